package io.kvasir.store;

import java.util.Arrays;

/**
 * The compact form of a small hash (Redis's "listpack" encoding): every field/value pair in one
 * exactly sized {@code byte[]}, searched linearly. Static functions over the array; a write
 * returns the array to keep (a new one whenever the size changes, like a listpack realloc).
 *
 * <pre>
 *   2 bytes  number of pairs, little-endian; 0xFFFF means 65535 or more (then counted by walking)
 *   per pair, in insertion order:
 *     1 byte   field length nibble (high) and value length nibble (low), each 0..14; a nibble of
 *              15 means 15 plus a varint that follows (the field's first, then the value's)
 *     field bytes, value bytes
 * </pre>
 *
 * A pair of an 8-byte field and an 8-byte value takes 17 bytes. A pair is addressed by the
 * offset of its length byte (a "position"), valid until the next write.
 */
final class PackedPairs {
    private PackedPairs() {}

    static final int FIRST = 2;
    private static final int MANY = 0xFFFF;
    private static final int NIBBLE_MAX = 14;
    /** A nibble of 15: the length is 15 plus a varint after the length byte. */
    private static final int ESCAPE = 15;

    static byte[] empty() {
        return new byte[FIRST];
    }

    static int count(byte[] p) {
        int n = (p[0] & 0xFF) | (p[1] & 0xFF) << 8;
        if (n != MANY) return n;
        n = 0;
        for (int at = FIRST; at < p.length; at = next(p, at)) n++;
        return n;
    }

    private static void count(byte[] p, int n) {
        int v = Math.min(n, MANY);
        p[0] = (byte) v;
        p[1] = (byte) (v >>> 8);
    }

    // ---- one pair ----

    static int fieldLength(byte[] p, int at) {
        int n = (p[at] & 0xFF) >>> 4;
        return n <= NIBBLE_MAX ? n : ESCAPE + Table.readVar(p, at + 1);
    }

    static int valueLength(byte[] p, int at) {
        int n = p[at] & 0x0F;
        if (n <= NIBBLE_MAX) return n;
        int q = at + 1;
        if ((p[at] & 0xFF) >>> 4 > NIBBLE_MAX) q = Table.skipVar(p, q);
        return ESCAPE + Table.readVar(p, q);
    }

    static int fieldOffset(byte[] p, int at) {
        int q = at + 1;
        if ((p[at] & 0xFF) >>> 4 > NIBBLE_MAX) q = Table.skipVar(p, q);
        if ((p[at] & 0x0F) > NIBBLE_MAX) q = Table.skipVar(p, q);
        return q;
    }

    static int valueOffset(byte[] p, int at) {
        return fieldOffset(p, at) + fieldLength(p, at);
    }

    /** The position of the pair after the one at {@code at} ({@code p.length} after the last). */
    static int next(byte[] p, int at) {
        int h = p[at] & 0xFF;
        if (h >>> 4 <= NIBBLE_MAX && (h & 0x0F) <= NIBBLE_MAX) return at + 1 + (h >>> 4) + (h & 0x0F); // short pair
        return valueOffset(p, at) + valueLength(p, at);
    }

    private static int pairSize(int flen, int vlen) {
        return 1 + (flen > NIBBLE_MAX ? Table.varLen(flen - ESCAPE) : 0) + (vlen > NIBBLE_MAX ? Table.varLen(vlen - ESCAPE) : 0)
                + flen + vlen;
    }

    private static int writePair(byte[] p, int at, byte[] f, int foff, int flen, byte[] v, int voff, int vlen) {
        p[at] = (byte) (Math.min(flen, ESCAPE) << 4 | Math.min(vlen, ESCAPE));
        int q = at + 1;
        if (flen > NIBBLE_MAX) q = Table.writeVar(p, q, flen - ESCAPE);
        if (vlen > NIBBLE_MAX) q = Table.writeVar(p, q, vlen - ESCAPE);
        System.arraycopy(f, foff, p, q, flen);
        System.arraycopy(v, voff, p, q + flen, vlen);
        return q + flen + vlen;
    }

    // ---- lookup and writes ----

    /** The position of the pair whose field is {@code f[off, off+len)}, or -1. */
    static int find(byte[] p, byte[] f, int off, int len) {
        for (int at = FIRST; at < p.length; at = next(p, at)) {
            if (fieldLength(p, at) != len) continue;
            int fo = fieldOffset(p, at);
            if (Arrays.equals(p, fo, fo + len, f, off, off + len)) return at;
        }
        return -1;
    }

    /** Appends a pair whose field is known to be absent. */
    static byte[] append(byte[] p, byte[] f, int foff, int flen, byte[] v, int voff, int vlen) {
        int n = count(p);
        byte[] out = Arrays.copyOf(p, p.length + pairSize(flen, vlen));
        writePair(out, p.length, f, foff, flen, v, voff, vlen);
        count(out, n + 1);
        return out;
    }

    /** Replaces the value of the pair at {@code at}, keeping its place; in place when the length is unchanged. */
    static byte[] replaceValue(byte[] p, int at, byte[] v, int voff, int vlen) {
        if (valueLength(p, at) == vlen) {
            System.arraycopy(v, voff, p, valueOffset(p, at), vlen);
            return p;
        }
        int flen = fieldLength(p, at);
        int end = next(p, at);
        int size = pairSize(flen, vlen);
        byte[] out = new byte[p.length - (end - at) + size];
        System.arraycopy(p, 0, out, 0, at);
        writePair(out, at, p, fieldOffset(p, at), flen, v, voff, vlen);
        System.arraycopy(p, end, out, at + size, p.length - end);
        return out;
    }

    /** Removes the pair at {@code at}. */
    static byte[] remove(byte[] p, int at) {
        int n = count(p);
        int end = next(p, at);
        byte[] out = new byte[p.length - (end - at)];
        System.arraycopy(p, 0, out, 0, at);
        System.arraycopy(p, end, out, at, p.length - end);
        count(out, n - 1);
        return out;
    }
}
