package io.kvasir.store;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The access-frequency counter kept per key under an LFU maxmemory-policy, in the 24 bits Redis
 * keeps for it: the time of the last decay in minutes (16 bits) and a logarithmic counter (8
 * bits). The counter starts at {@link #INITIAL}, grows with probability 1 / ((c - 5) x factor + 1)
 * on each access, and loses one per {@code lfu-decay-time} minutes without access. OBJECT FREQ
 * reports the decayed counter.
 */
public final class Lfu {
    private Lfu() {}

    static final int INITIAL = 5;

    /** The value of a new key. */
    static int initial() {
        return (minutes() << 8) | INITIAL;
    }

    /** The counter after decay, as of now. */
    public static int frequency(int lfu, int decayMinutes) {
        int counter = lfu & 0xFF;
        if (decayMinutes == 0) return counter;
        int periods = elapsed(lfu >>> 8) / decayMinutes;
        return periods > counter ? 0 : counter - periods;
    }

    /** The value after one access: decayed, then maybe incremented. */
    static int accessed(int lfu, int logFactor, int decayMinutes) {
        int counter = frequency(lfu, decayMinutes);
        if (counter < 255) {
            double p = 1.0 / (Math.max(0, counter - INITIAL) * (double) logFactor + 1);
            if (ThreadLocalRandom.current().nextDouble() < p) counter++;
        }
        return (minutes() << 8) | counter;
    }

    private static int minutes() {
        return (int) ((Clock.now() / 60_000) & 0xFFFF);
    }

    private static int elapsed(int since) {
        int now = minutes();
        return now >= since ? now - since : 0xFFFF - since + now;
    }
}
