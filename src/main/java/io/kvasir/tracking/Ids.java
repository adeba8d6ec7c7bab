package io.kvasir.tracking;

/**
 * The ids of the clients that read one key: a set of positive longs in open addressing (0 marks a
 * free slot), so remembering a key read by thousands of clients stays O(1) per read and boxes
 * nothing.
 */
final class Ids {
    private long[] slots = new long[2];
    private int size;

    int size() { return size; }

    /** Adds {@code id}; false if it was there. */
    boolean add(long id) {
        if (2 * (size + 1) > slots.length) grow();
        if (!insert(slots, id)) return false;
        size++;
        return true;
    }

    /** The id in slot {@code i}, 0 if the slot is free; slots run from 0 to {@link #capacity}. */
    long at(int i) { return slots[i]; }

    int capacity() { return slots.length; }

    private static boolean insert(long[] t, long id) {
        int mask = t.length - 1;
        for (int i = (int) mix(id) & mask; ; i = (i + 1) & mask) {
            if (t[i] == id) return false;
            if (t[i] == 0) {
                t[i] = id;
                return true;
            }
        }
    }

    private void grow() {
        long[] t = new long[slots.length * 2];
        for (long id : slots) if (id != 0) insert(t, id);
        slots = t;
    }

    private static long mix(long id) {
        long h = id * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }
}
