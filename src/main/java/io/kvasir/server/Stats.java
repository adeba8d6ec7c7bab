package io.kvasir.server;

import io.kvasir.metrics.Counter;
import io.kvasir.metrics.Counters;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Server-wide counters reported by INFO stats and INFO errorstats; CONFIG RESETSTAT zeroes them. */
public final class Stats {
    private final Counters counters = new Counters();
    public final Counter connectionsReceived = counters.counter();
    public final Counter connectionsRejected = counters.counter();
    public final Counter commandsProcessed = counters.counter();
    public final Counter netInputBytes = counters.counter();
    public final Counter netOutputBytes = counters.counter();
    public final Counter readsProcessed = counters.counter();
    public final Counter writesProcessed = counters.counter();
    public final Counter expiredKeys = counters.counter();
    public final Counter expireCycleMillis = counters.counter();
    public final Counter evictedKeys = counters.counter();
    public final Counter keyspaceHits = counters.counter();
    public final Counter keyspaceMisses = counters.counter();
    public final Counter totalErrorReplies = counters.counter();
    public final Counter unexpectedErrorReplies = counters.counter();
    /** Changes to the dataset since the last save (not reset by RESETSTAT, as in Redis). */
    public final Counter dirty = counters.counter();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    // Instantaneous rates: the last SAMPLES per-tick rates of each metric, as Redis's trackInstantaneousMetric.
    private static final int SAMPLES = 16;
    private final long[][] samples = new long[3][SAMPLES];
    private final long[] lastValue = new long[3];
    private long lastSampleMs;
    private int sampleIndex;
    private volatile long peakMemory;

    /** The family these counters belong to; command statistics join it. */
    public Counters counters() { return counters; }

    /** Counts an error reply by its code ("ERR", "WRONGTYPE"), as INFO errorstats does. */
    public void error(String code) {
        totalErrorReplies.increment();
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    public Map<String, LongAdder> errors() { return errors; }

    public void resetErrors() { errors.clear(); }

    /** CONFIG RESETSTAT: zeroes every counter INFO stats shows (the dirty count stays). */
    public synchronized void reset() {
        for (Counter a : new Counter[] {connectionsReceived, connectionsRejected, commandsProcessed, netInputBytes,
                netOutputBytes, readsProcessed, writesProcessed, expiredKeys, expireCycleMillis, evictedKeys,
                keyspaceHits, keyspaceMisses, totalErrorReplies, unexpectedErrorReplies}) {
            a.reset();
        }
        resetErrors();
        for (long[] s : samples) java.util.Arrays.fill(s, 0);
        lastSampleMs = 0;
        peakMemory = 0;
    }

    /** Called by the cron: records per-second rates of commands and network bytes. */
    public synchronized void sample(long nowMs) {
        long[] now = {commandsProcessed.sum(), netInputBytes.sum(), netOutputBytes.sum()};
        if (lastSampleMs != 0 && nowMs > lastSampleMs) {
            for (int m = 0; m < 3; m++) samples[m][sampleIndex] = (now[m] - lastValue[m]) * 1000 / (nowMs - lastSampleMs);
            sampleIndex = (sampleIndex + 1) % SAMPLES;
        }
        System.arraycopy(now, 0, lastValue, 0, 3);
        lastSampleMs = nowMs;
    }

    private synchronized long rate(int metric) {
        long sum = 0;
        for (long v : samples[metric]) sum += v;
        return sum / SAMPLES;
    }

    public long opsPerSec() { return rate(0); }
    public double inputKbps() { return rate(1) / 1024.0; }
    public double outputKbps() { return rate(2) / 1024.0; }

    /** Records memory use; returns the peak seen since start (or the last RESETSTAT). */
    public long peakMemory(long used) {
        if (used > peakMemory) peakMemory = used;
        return peakMemory;
    }
}
