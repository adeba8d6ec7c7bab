package io.kvasir.store;

import java.util.Arrays;

/**
 * The compact form of a small set of integers (Redis's "intset" encoding): the members sorted
 * ascending in a {@code byte[]}, {@code short[]}, {@code int[]} or {@code long[]}, the narrowest
 * that holds them all, sized exactly. Static functions; a write returns the array to keep. Like
 * Redis's intset it widens when a member needs it and never narrows again; unlike it, it starts
 * at 8 bits rather than 16, so ten small members take a 26-byte array.
 */
final class IntSet {
    private IntSet() {}

    static final Object EMPTY = new byte[0];

    static int size(Object a) {
        return switch (a) {
            case byte[] b -> b.length;
            case short[] s -> s.length;
            case int[] i -> i.length;
            default -> ((long[]) a).length;
        };
    }

    static long get(Object a, int i) {
        return switch (a) {
            case byte[] b -> b[i];
            case short[] s -> s[i];
            case int[] n -> n[i];
            default -> ((long[]) a)[i];
        };
    }

    /** The index of {@code v}, or {@code -(insertion point) - 1} as {@link Arrays#binarySearch} answers. */
    static int search(Object a, long v) {
        int n = size(a);
        return switch (a) {
            case byte[] b -> v < Byte.MIN_VALUE ? -1 : v > Byte.MAX_VALUE ? -n - 1 : Arrays.binarySearch(b, (byte) v);
            case short[] s -> v < Short.MIN_VALUE ? -1 : v > Short.MAX_VALUE ? -n - 1 : Arrays.binarySearch(s, (short) v);
            case int[] i -> v < Integer.MIN_VALUE ? -1 : v > Integer.MAX_VALUE ? -n - 1 : Arrays.binarySearch(i, (int) v);
            default -> Arrays.binarySearch((long[]) a, v);
        };
    }

    /** Bytes per member: 1, 2, 4 or 8. */
    private static int width(Object a) {
        return a instanceof byte[] ? 1 : a instanceof short[] ? 2 : a instanceof int[] ? 4 : 8;
    }

    private static int width(long v) {
        return v == (byte) v ? 1 : v == (short) v ? 2 : v == (int) v ? 4 : 8;
    }

    private static Object array(int width, int n) {
        return switch (width) {
            case 1 -> new byte[n];
            case 2 -> new short[n];
            case 4 -> new int[n];
            default -> new long[n];
        };
    }

    /** Inserts {@code v} (known absent) at index {@code at}, widening the array if {@code v} needs it. */
    static Object insert(Object a, int at, long v) {
        int n = size(a);
        int w = Math.max(width(a), width(v));
        Object out = array(w, n + 1);
        if (w == width(a)) {
            System.arraycopy(a, 0, out, 0, at);
            System.arraycopy(a, at, out, at + 1, n - at);
        } else {
            for (int i = 0; i < n; i++) set(out, i < at ? i : i + 1, get(a, i));
        }
        set(out, at, v);
        return out;
    }

    private static void set(Object a, int i, long v) {
        switch (a) {
            case byte[] b -> b[i] = (byte) v;
            case short[] s -> s[i] = (short) v;
            case int[] n -> n[i] = (int) v;
            default -> ((long[]) a)[i] = v;
        }
    }

    static Object removeAt(Object a, int at) {
        int n = size(a);
        Object out = array(width(a), n - 1);
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(a, at + 1, out, at, n - at - 1);
        return out;
    }

    /** Heap bytes of the array: a 16-byte header and the members, rounded up to 8. */
    static long heapBytes(Object a) {
        return (16L + (long) size(a) * width(a) + 7) & ~7L;
    }
}
