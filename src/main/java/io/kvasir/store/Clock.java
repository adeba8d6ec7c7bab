package io.kvasir.store;

/** Wall-clock milliseconds, the unit of every expiry deadline. One place so tests can reason about time. */
public final class Clock {
    private Clock() {}

    public static long now() {
        return System.currentTimeMillis();
    }

    /** The 24-bit LRU clock (seconds), as Redis keeps one per key for OBJECT IDLETIME. */
    public static int lruClock() {
        return (int) ((System.currentTimeMillis() / 1000) & 0xFFFFFF);
    }
}
