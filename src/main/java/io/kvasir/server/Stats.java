package io.kvasir.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters reported by INFO stats and INFO errorstats. */
public final class Stats {
    public final LongAdder connectionsReceived = new LongAdder();
    public final LongAdder connectionsRejected = new LongAdder();
    public final LongAdder commandsProcessed = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder evictedKeys = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder totalErrorReplies = new LongAdder();
    public final LongAdder unexpectedErrorReplies = new LongAdder();
    public final LongAdder dirty = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    /** Counts an error reply by its code ("ERR", "WRONGTYPE"), as INFO errorstats does. */
    public void error(String code) {
        totalErrorReplies.increment();
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    public Map<String, LongAdder> errors() { return errors; }

    public void resetErrors() { errors.clear(); }
}
