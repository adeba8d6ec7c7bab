package io.kvasir.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The compact form of a small set of integers (Redis's "intset" encoding): one byte giving the
 * width of a member (1, 2, 4 or 8 bytes), then the members sorted ascending, little-endian, all of
 * that width, the narrowest that holds them all. Like Redis's intset it widens when a member needs
 * it and never narrows again; unlike it, it starts at 8 bits rather than 16 and has no length
 * field, so the integers 1..10 take 11 bytes.
 *
 * <p>Static functions over the slice {@code [base, end)} of an array, so that the form can sit
 * packed in a table entry (see {@link PackedValue}); a write returns a new array holding just the form.
 */
final class IntSet {
    private IntSet() {}

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static byte[] empty() {
        return new byte[] {1};
    }

    /** Bytes per member: 1, 2, 4 or 8. */
    static int width(byte[] p, int base) {
        return p[base];
    }

    static int size(byte[] p, int base, int end) {
        return (end - base - 1) / p[base];
    }

    static long get(byte[] p, int base, int i) {
        int w = p[base];
        int at = base + 1 + i * w;
        return switch (w) {
            case 1 -> p[at];
            case 2 -> (short) SHORTS.get(p, at);
            case 4 -> (int) INTS.get(p, at);
            default -> (long) LONGS.get(p, at);
        };
    }

    private static void set(byte[] p, int base, int i, long v) {
        int w = p[base];
        int at = base + 1 + i * w;
        switch (w) {
            case 1 -> p[at] = (byte) v;
            case 2 -> SHORTS.set(p, at, (short) v);
            case 4 -> INTS.set(p, at, (int) v);
            default -> LONGS.set(p, at, v);
        }
    }

    private static int width(long v) {
        return v == (byte) v ? 1 : v == (short) v ? 2 : v == (int) v ? 4 : 8;
    }

    /** The index of {@code v}, or {@code -(insertion point) - 1} as {@link java.util.Arrays#binarySearch} answers. */
    static int search(byte[] p, int base, int end, long v) {
        int n = size(p, base, end);
        int w = width(p, base);
        if (width(v) > w) return v < 0 ? -1 : -n - 1; // beyond every member of this width
        int lo = 0, hi = n - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = get(p, base, mid);
            if (m < v) lo = mid + 1;
            else if (m > v) hi = mid - 1;
            else return mid;
        }
        return -lo - 1;
    }

    /** Inserts {@code v} (known absent) at index {@code at}, widening the form if {@code v} needs it. */
    static byte[] insert(byte[] p, int base, int end, int at, long v) {
        int n = size(p, base, end);
        int old = width(p, base);
        int w = Math.max(old, width(v));
        byte[] out = new byte[1 + (n + 1) * w];
        out[0] = (byte) w;
        if (w == old) {
            System.arraycopy(p, base + 1, out, 1, at * w);
            System.arraycopy(p, base + 1 + at * w, out, 1 + (at + 1) * w, (n - at) * w);
        } else {
            for (int i = 0; i < n; i++) set(out, 0, i < at ? i : i + 1, get(p, base, i));
        }
        set(out, 0, at, v);
        return out;
    }

    static byte[] removeAt(byte[] p, int base, int end, int at) {
        int w = width(p, base);
        byte[] out = new byte[end - base - w];
        out[0] = (byte) w;
        System.arraycopy(p, base + 1, out, 1, at * w);
        System.arraycopy(p, base + 1 + (at + 1) * w, out, 1 + at * w, end - (base + 1 + (at + 1) * w));
        return out;
    }
}
