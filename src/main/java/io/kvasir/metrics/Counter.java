package io.kvasir.metrics;

/**
 * One statistics counter of a {@link Counters} family: bumped by any thread without atomics,
 * summed on demand. {@link #reset} moves the zero point rather than writing other threads' counts.
 */
public final class Counter {
    private final Counters family;
    private final int index;
    private volatile long zero;

    Counter(Counters family, int index) {
        this.family = family;
        this.index = index;
    }

    public void increment() { family.add(index, 1); }

    public void add(long n) { family.add(index, n); }

    public long sum() { return family.sum(index) - zero; }

    /** Counts from zero again (CONFIG RESETSTAT); bumps racing with it may land on either side. */
    public void reset() { zero = family.sum(index); }
}
