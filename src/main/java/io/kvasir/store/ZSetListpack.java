package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import java.util.Arrays;

/**
 * A small sorted set packed into one exactly sized byte array: the member count (a varint), then
 * the entries in (score, member) order (OBJECT ENCODING "listpack"). Every operation is a linear
 * walk, as Redis's listpack ones are; the set holds at most {@code zset-max-listpack-entries} (128)
 * members of {@code zset-max-listpack-value} (64) bytes. The object is just its array reference
 * (16 bytes), so the count lives in the array.
 *
 * <p>An entry:
 * <pre>
 *   score    an integral score v with |v| &lt;= 2^53: the LEB128 varint of zigzag(v) &lt;&lt; 1 (low bit 0);
 *            any other score: the byte 0x01 and the 8 bytes of its IEEE bits (big-endian)
 *   varint   member length
 *   bytes    member
 * </pre>
 * So "member:1" with score 7 takes 1 + 1 + 8 bytes. Like Redis's listpack, which stores integral
 * scores as integers, the encoding keeps no negative zero: -0 is stored as 0.
 *
 * <p>Every change writes a new array and never touches the old one, so {@link #copy} shares it.
 */
final class ZSetListpack extends ZSet {
    private static final long EXACT = 1L << 53;
    private static final int DOUBLE_TAG = 1;

    private byte[] data;

    ZSetListpack() {
        this(new byte[1]);
    }

    private ZSetListpack(byte[] data) {
        this.data = data;
    }

    @Override
    public String encoding() { return "listpack"; }

    @Override
    public int size() { return (int) readVar(data, 0); }

    @Override
    public ZSet copy() { return new ZSetListpack(data); }

    @Override
    public long memoryUsage() { return 16 + arrayBytes(data.length); }

    /** Offset of the first entry, after the count. */
    private static int first(byte[] b) { return skipVar(b, 0); }

    // ---- the entry format ----

    private static boolean packsAsInteger(double s) {
        return s == Math.rint(s) && Math.abs(s) <= EXACT;
    }

    private static int varLen(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int writeVar(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static long readVar(byte[] b, int p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }

    private static int skipVar(byte[] b, int p) {
        while (b[p++] < 0) { /* continuation bytes */ }
        return p;
    }

    private static long zigzag(long v) { return (v << 1) ^ (v >> 63); }

    private static int scoreBytes(double s) {
        return packsAsInteger(s) ? varLen(zigzag((long) s) << 1) : 9;
    }

    private static int entryBytes(int memberLength, double s) {
        return scoreBytes(s) + varLen(memberLength) + memberLength;
    }

    private static int writeEntry(byte[] b, int p, byte[] m, int off, int len, double s) {
        if (packsAsInteger(s)) {
            p = writeVar(b, p, zigzag((long) s) << 1);
        } else {
            b[p++] = DOUBLE_TAG;
            long bits = Double.doubleToRawLongBits(s);
            for (int i = 56; i >= 0; i -= 8) b[p++] = (byte) (bits >>> i);
        }
        p = writeVar(b, p, len);
        System.arraycopy(m, off, b, p, len);
        return p + len;
    }

    private static double scoreAt(byte[] b, int p) {
        if ((b[p] & 1) == DOUBLE_TAG) {
            long bits = 0;
            for (int i = 1; i <= 8; i++) bits = bits << 8 | (b[p + i] & 0xFF);
            return Double.longBitsToDouble(bits);
        }
        long z = readVar(b, p) >>> 1;
        return (double) ((z >>> 1) ^ -(z & 1));
    }

    /** Offset of the member-length varint of the entry at {@code p}. */
    private static int lengthAt(byte[] b, int p) {
        return (b[p] & 1) == DOUBLE_TAG ? p + 9 : skipVar(b, p);
    }

    /** Offset of the member bytes of the entry whose length varint is at {@code q}. */
    private static int memberAt(byte[] b, int q) {
        return skipVar(b, q);
    }

    private static int next(byte[] b, int p) {
        int q = lengthAt(b, p);
        int len = (int) readVar(b, q);
        return memberAt(b, q) + len;
    }

    private static void visitAt(byte[] b, int p, Visitor v) {
        int q = lengthAt(b, p);
        int len = (int) readVar(b, q);
        v.visit(b, memberAt(b, q), len, scoreAt(b, p));
    }

    /** Byte offsets of every entry, in order. */
    private int[] offsets() {
        int count = size();
        int[] at = new int[count];
        for (int i = 0, p = first(data); i < count; i++, p = next(data, p)) at[i] = p;
        return at;
    }

    /** Byte offset of the entry at rank {@code r} (the array's end for {@code r == count}). */
    private int offsetOf(int r) {
        int p = first(data);
        for (int i = 0; i < r; i++) p = next(data, p);
        return p;
    }

    /** Offset of the member's entry, or -1. */
    private int find(byte[] m, int off, int len) {
        return locate(m, off, len, false);
    }

    /** The member's entry offset (or its rank when {@code wantRank}), or -1: one linear walk for both. */
    private int locate(byte[] m, int off, int len, boolean wantRank) {
        byte[] b = data;
        int count = size();
        for (int i = 0, p = first(b); i < count; i++) {
            int q = lengthAt(b, p);
            int n = (int) readVar(b, q);
            int mp = memberAt(b, q);
            if (n == len && Arrays.equals(b, mp, mp + n, m, off, off + len)) return wantRank ? i : p;
            p = mp + n;
        }
        return -1;
    }

    // ---- queries ----

    @Override
    public double score(byte[] m, int off, int len) {
        int p = find(m, off, len);
        return p < 0 ? Double.NaN : scoreAt(data, p);
    }

    @Override
    public int rank(byte[] m, int off, int len) {
        return locate(m, off, len, true);
    }

    @Override
    public int countBelow(double score, boolean inclusive) {
        int i = 0, count = size();
        for (int p = first(data); i < count; i++, p = next(data, p)) {
            double s = scoreAt(data, p);
            if (inclusive ? s > score : s >= score) break;
        }
        return i;
    }

    @Override
    public int countBelow(byte[] m, int off, int len, boolean inclusive) {
        byte[] b = data;
        int i = 0, count = size();
        for (int p = first(b); i < count; i++) {
            int q = lengthAt(b, p);
            int n = (int) readVar(b, q);
            int mp = memberAt(b, q);
            int c = compareMembers(b, mp, n, m, off, len);
            if (inclusive ? c > 0 : c >= 0) break;
            p = mp + n;
        }
        return i;
    }

    @Override
    public void visit(int from, int to, boolean reverse, Visitor v) {
        if (from >= to) return;
        if (!reverse) {
            for (int i = from, p = offsetOf(from); i < to; i++, p = next(data, p)) visitAt(data, p, v);
            return;
        }
        int[] at = offsets();
        for (int i = to - 1; i >= from; i--) visitAt(data, at[i], v);
    }

    @Override
    public void visitRanks(int[] ranks, int n, Visitor v) {
        int[] at = offsets();
        for (int i = 0; i < n; i++) visitAt(data, at[ranks[i]], v);
    }

    @Override
    public long scan(long cursor, int count, Visitor v) {
        visit(0, size(), false, v); // Redis returns a listpack whole, whatever the cursor
        return 0;
    }

    /** Redis's listpack holds integral scores within half the long range as integers, others as %.17g. */
    @Override
    public String scanText(double score) {
        if (score == Math.rint(score) && Math.abs(score) <= (double) (Long.MAX_VALUE / 2)) {
            return Long.toString((long) score);
        }
        return Numbers.formatDouble(score);
    }

    // ---- changes ----

    @Override
    public boolean put(byte[] m, int off, int len, double score) {
        score = score == 0 ? 0.0 : score; // no negative zero, as Redis's listpack keeps integral scores
        int p = find(m, off, len);
        if (p >= 0) {
            if (scoreAt(data, p) == score) return false;
            splice(p, next(data, p), 0, size() - 1);
            insert(m, off, len, score);
            return false;
        }
        insert(m, off, len, score);
        return true;
    }

    private void insert(byte[] m, int off, int len, double score) {
        byte[] b = data;
        int count = size();
        int p = first(b);
        for (int i = 0; i < count; i++) {
            int q = lengthAt(b, p);
            int n = (int) readVar(b, q);
            int mp = memberAt(b, q);
            if (compare(scoreAt(b, p), b, mp, n, score, m, off, len) > 0) break;
            p = mp + n;
        }
        int at = splice(p, p, entryBytes(len, score), count + 1);
        writeEntry(data, at, m, off, len, score);
    }

    /**
     * Replaces entry bytes {@code [from, to)} with {@code room} bytes to be written and sets the
     * count, in a new array; returns where the room starts in it.
     */
    private int splice(int from, int to, int room, int count) {
        byte[] b = data;
        int h0 = first(b), h1 = varLen(count);
        byte[] out = new byte[h1 + (b.length - h0) - (to - from) + room];
        writeVar(out, 0, count);
        int at = from - h0 + h1;
        System.arraycopy(b, h0, out, h1, from - h0);
        System.arraycopy(b, to, out, at + room, b.length - to);
        data = out;
        return at;
    }

    @Override
    public boolean remove(byte[] m, int off, int len) {
        int p = find(m, off, len);
        if (p < 0) return false;
        splice(p, next(data, p), 0, size() - 1);
        return true;
    }

    @Override
    public void removeRange(int from, int to) {
        if (from >= to) return;
        int start = offsetOf(from);
        int end = start;
        for (int i = from; i < to; i++) end = next(data, end);
        splice(start, end, 0, size() - (to - from));
    }

    // ---- conversion ----

    @Override
    public ZSet withRoomFor(int memberLength, long maxEntries, long maxValue) {
        if (size() + 1L <= maxEntries && memberLength <= maxValue) return this;
        return toSkiplist();
    }

    ZSetSkiplist toSkiplist() {
        int count = size();
        byte[][] members = new byte[count][];
        int[] i = {0};
        visit(0, count, false, (b, off, len, s) -> members[i[0]++] = ZSetSkiplist.stored(b, off, len, s));
        return ZSetSkiplist.ofSorted(members, count);
    }

    /** A packed set of the first {@code n} members of the parallel arrays, in (score, member) order. */
    static ZSetListpack ofSorted(double[] scores, byte[][] members, int n) {
        int size = varLen(n);
        for (int i = 0; i < n; i++) size += entryBytes(members[i].length, scores[i] == 0 ? 0.0 : scores[i]);
        byte[] b = new byte[size];
        for (int i = 0, p = writeVar(b, 0, n); i < n; i++) {
            byte[] m = members[i];
            p = writeEntry(b, p, m, 0, m.length, scores[i] == 0 ? 0.0 : scores[i]);
        }
        return new ZSetListpack(b);
    }
}
