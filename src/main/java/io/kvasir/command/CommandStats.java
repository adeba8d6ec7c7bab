package io.kvasir.command;

import io.kvasir.metrics.Counter;
import io.kvasir.metrics.Counters;

/** Per-command counters for INFO commandstats. */
public final class CommandStats {
    public final Counter calls;
    public final Counter usec;
    public final Counter rejectedCalls;
    public final Counter failedCalls;

    CommandStats(Counters family) {
        calls = family.counter();
        usec = family.counter();
        rejectedCalls = family.counter();
        failedCalls = family.counter();
    }

    public void reset() {
        calls.reset();
        usec.reset();
        rejectedCalls.reset();
        failedCalls.reset();
    }
}
