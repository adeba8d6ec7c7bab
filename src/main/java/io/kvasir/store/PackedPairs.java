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
 *
 * <p>The form may sit inside a larger array (a table entry packs it, see {@link HashValue}), so
 * reads take the slice {@code [base, end)} it occupies; writes that change the size return a new
 * array holding just the form.
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

    /** The position of the first pair of the form starting at {@code base}. */
    static int first(int base) {
        return base + FIRST;
    }

    static int count(byte[] p, int base, int end) {
        int n = (p[base] & 0xFF) | (p[base + 1] & 0xFF) << 8;
        if (n != MANY) return n;
        n = 0;
        for (int at = first(base); at < end; at = next(p, at)) n++;
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

    /** The position of the pair after the one at {@code at} (the end of the form after the last). */
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
    static int find(byte[] p, int base, int end, byte[] f, int off, int len) {
        for (int at = first(base); at < end; at = next(p, at)) {
            if (fieldLength(p, at) != len) continue;
            int fo = fieldOffset(p, at);
            if (Arrays.equals(p, fo, fo + len, f, off, off + len)) return at;
        }
        return -1;
    }

    /** Appends a pair whose field is known to be absent; returns the new form. */
    static byte[] append(byte[] p, int base, int end, byte[] f, int foff, int flen, byte[] v, int voff, int vlen) {
        int n = count(p, base, end);
        byte[] out = new byte[end - base + pairSize(flen, vlen)];
        System.arraycopy(p, base, out, 0, end - base);
        writePair(out, end - base, f, foff, flen, v, voff, vlen);
        count(out, n + 1);
        return out;
    }

    /**
     * Replaces the value of the pair at {@code at}, keeping its place; returns {@code p} itself
     * when done in place (the length is unchanged), else the new form.
     */
    static byte[] replaceValue(byte[] p, int base, int end, int at, byte[] v, int voff, int vlen) {
        if (valueLength(p, at) == vlen) {
            System.arraycopy(v, voff, p, valueOffset(p, at), vlen);
            return p;
        }
        int flen = fieldLength(p, at);
        int after = next(p, at);
        int size = pairSize(flen, vlen);
        byte[] out = new byte[end - base - (after - at) + size];
        System.arraycopy(p, base, out, 0, at - base);
        writePair(out, at - base, p, fieldOffset(p, at), flen, v, voff, vlen);
        System.arraycopy(p, after, out, at - base + size, end - after);
        return out;
    }

    /** Removes the pair at {@code at}; returns the new form. */
    static byte[] remove(byte[] p, int base, int end, int at) {
        int n = count(p, base, end);
        int after = next(p, at);
        byte[] out = new byte[end - base - (after - at)];
        System.arraycopy(p, base, out, 0, at - base);
        System.arraycopy(p, after, out, at - base, end - after);
        count(out, n - 1);
        return out;
    }
}
