package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import java.util.Arrays;

/**
 * A small sorted set packed into one exactly sized byte string: the member count (a varint), then
 * the entries in (score, member) order (OBJECT ENCODING "listpack"). Every operation is a linear
 * walk, as Redis's listpack ones are; the set holds at most {@code zset-max-listpack-entries} (128)
 * members of {@code zset-max-listpack-value} (64) bytes.
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
 * <p>A stored set has no object of its own: the form is packed into its key's table entry and this
 * class is a view of it ({@link PackedValue}). The static functions walk the form in the slice
 * {@code [base, end)} of an array, as {@link PackedPairs} and {@link IntSet} do; a write builds a new
 * form (an array holding just it), which {@link PackedValue#written} keeps. Conversion to the
 * skiplist makes a new object that the caller stores in this one's place ({@link ZSet#withRoomFor}).
 */
final class ZSetListpack extends PackedValue implements ZSet {
    private static final long EXACT = 1L << 53;
    private static final int DOUBLE_TAG = 1;

    ZSetListpack() {
        super(new byte[1]); // a count of 0
    }

    private ZSetListpack(byte[] form) {
        super(form);
    }

    private ZSetListpack(Table entries, int slot) {
        super(entries, slot);
    }

    /** The set packed into the entry at slot {@code s} of {@code t}. */
    static ZSetListpack packedIn(Table t, int s) {
        return new ZSetListpack(t, s);
    }

    @Override
    public String encoding() { return "listpack"; }

    @Override
    public int size() { return count(packed(), base()); }

    @Override
    public ZSet copy() { return new ZSetListpack(ownCopy()); }

    // ---- the form ----

    static int count(byte[] p, int base) { return Table.readVar(p, base); }

    /** Offset of the first entry of the form starting at {@code base}, after the count. */
    private static int first(byte[] p, int base) { return Table.skipVar(p, base); }

    private static boolean packsAsInteger(double s) {
        return s == Math.rint(s) && Math.abs(s) <= EXACT;
    }

    // scores need 64-bit varints; counts and lengths use the table's 32-bit ones

    private static int scoreVarLen(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    private static int writeScoreVar(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    private static long readScoreVar(byte[] b, int p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }

    private static long zigzag(long v) { return (v << 1) ^ (v >> 63); }

    private static int scoreBytes(double s) {
        return packsAsInteger(s) ? scoreVarLen(zigzag((long) s) << 1) : 9;
    }

    private static int entryBytes(int memberLength, double s) {
        return scoreBytes(s) + Table.varLen(memberLength) + memberLength;
    }

    private static int writeEntry(byte[] b, int p, byte[] m, int off, int len, double s) {
        if (packsAsInteger(s)) {
            p = writeScoreVar(b, p, zigzag((long) s) << 1);
        } else {
            b[p++] = DOUBLE_TAG;
            long bits = Double.doubleToRawLongBits(s);
            for (int i = 56; i >= 0; i -= 8) b[p++] = (byte) (bits >>> i);
        }
        p = Table.writeVar(b, p, len);
        System.arraycopy(m, off, b, p, len);
        return p + len;
    }

    private static double scoreAt(byte[] b, int at) {
        if ((b[at] & 1) == DOUBLE_TAG) {
            long bits = 0;
            for (int i = 1; i <= 8; i++) bits = bits << 8 | (b[at + i] & 0xFF);
            return Double.longBitsToDouble(bits);
        }
        long z = readScoreVar(b, at) >>> 1;
        return (double) ((z >>> 1) ^ -(z & 1));
    }

    /** Offset of the member-length varint of the entry at {@code at}. */
    private static int lengthAt(byte[] b, int at) {
        return (b[at] & 1) == DOUBLE_TAG ? at + 9 : Table.skipVar(b, at);
    }

    private static int next(byte[] b, int at) {
        int q = lengthAt(b, at);
        return Table.skipVar(b, q) + Table.readVar(b, q);
    }

    private static void visitAt(byte[] b, int at, Visitor v) {
        int q = lengthAt(b, at);
        v.visit(b, Table.skipVar(b, q), Table.readVar(b, q), scoreAt(b, at));
    }

    /** Offset of the entry at rank {@code r} (the form's end for {@code r == count}). */
    private static int offsetOf(byte[] p, int base, int r) {
        int at = first(p, base);
        for (int i = 0; i < r; i++) at = next(p, at);
        return at;
    }

    /** Offset of the member's entry (or its rank when {@code wantRank}), or -1: one linear walk for both. */
    private static int locate(byte[] p, int base, int end, byte[] m, int off, int len, boolean wantRank) {
        for (int i = 0, at = first(p, base); at < end; i++) {
            int q = lengthAt(p, at);
            int n = Table.readVar(p, q);
            int mp = Table.skipVar(p, q);
            if (n == len && Arrays.equals(p, mp, mp + n, m, off, off + len)) return wantRank ? i : at;
            at = mp + n;
        }
        return -1;
    }

    /**
     * A new form: the entries of {@code [base, end)} with bytes {@code [from, to)} replaced by
     * {@code room} bytes to be written at {@link #roomAt}, and a count of {@code count}.
     */
    private static byte[] splice(byte[] p, int base, int end, int from, int to, int room, int count) {
        int h0 = first(p, base), h1 = Table.varLen(count);
        byte[] out = new byte[h1 + (end - h0) - (to - from) + room];
        Table.writeVar(out, 0, count);
        int at = roomAt(p, base, from, count);
        System.arraycopy(p, h0, out, h1, from - h0);
        System.arraycopy(p, to, out, at + room, end - to);
        return out;
    }

    /** Where {@link #splice} of the form at {@code base}, replacing from {@code from}, leaves its room. */
    private static int roomAt(byte[] p, int base, int from, int count) {
        return from - first(p, base) + Table.varLen(count);
    }

    /** Inserts a member known to be absent in its place; returns the new form. */
    private static byte[] insert(byte[] p, int base, int end, byte[] m, int off, int len, double score) {
        int at = first(p, base);
        while (at < end) {
            int q = lengthAt(p, at);
            int n = Table.readVar(p, q);
            int mp = Table.skipVar(p, q);
            if (ZSet.compare(scoreAt(p, at), p, mp, n, score, m, off, len) > 0) break;
            at = mp + n;
        }
        int count = count(p, base) + 1;
        byte[] out = splice(p, base, end, at, at, entryBytes(len, score), count);
        writeEntry(out, roomAt(p, base, at, count), m, off, len, score);
        return out;
    }

    // ---- queries ----

    @Override
    public double score(byte[] m, int off, int len) {
        byte[] p = packed();
        int base = base();
        int at = locate(p, base, end(p, base), m, off, len, false);
        return at < 0 ? Double.NaN : scoreAt(p, at);
    }

    @Override
    public int rank(byte[] m, int off, int len) {
        byte[] p = packed();
        int base = base();
        return locate(p, base, end(p, base), m, off, len, true);
    }

    @Override
    public int countBelow(double score, boolean inclusive) {
        byte[] p = packed();
        int base = base(), end = end(p, base);
        int i = 0;
        for (int at = first(p, base); at < end; i++, at = next(p, at)) {
            double s = scoreAt(p, at);
            if (inclusive ? s > score : s >= score) break;
        }
        return i;
    }

    @Override
    public int countBelow(byte[] m, int off, int len, boolean inclusive) {
        byte[] p = packed();
        int base = base(), end = end(p, base);
        int i = 0;
        for (int at = first(p, base); at < end; i++) {
            int q = lengthAt(p, at);
            int n = Table.readVar(p, q);
            int mp = Table.skipVar(p, q);
            int c = ZSet.compareMembers(p, mp, n, m, off, len);
            if (inclusive ? c > 0 : c >= 0) break;
            at = mp + n;
        }
        return i;
    }

    @Override
    public void visit(int from, int to, boolean reverse, Visitor v) {
        if (from >= to) return;
        byte[] p = packed();
        int at = offsetOf(p, base(), from);
        if (!reverse) {
            for (int i = from; i < to; i++, at = next(p, at)) visitAt(p, at, v);
            return;
        }
        int[] offsets = new int[to - from];
        for (int i = 0; i < offsets.length; i++, at = next(p, at)) offsets[i] = at;
        for (int i = offsets.length - 1; i >= 0; i--) visitAt(p, offsets[i], v);
    }

    @Override
    public void visitRanks(int[] ranks, int n, Visitor v) {
        byte[] p = packed();
        int base = base();
        int[] offsets = new int[count(p, base)];
        for (int i = 0, at = first(p, base); i < offsets.length; i++, at = next(p, at)) offsets[i] = at;
        for (int i = 0; i < n; i++) visitAt(p, offsets[ranks[i]], v);
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
        byte[] p = packed();
        int base = base(), end = end(p, base);
        int at = locate(p, base, end, m, off, len, false);
        if (at < 0) {
            written(p, insert(p, base, end, m, off, len, score));
            return true;
        }
        if (scoreAt(p, at) == score) return false;
        byte[] without = splice(p, base, end, at, next(p, at), 0, count(p, base) - 1);
        written(p, insert(without, 0, without.length, m, off, len, score));
        return false;
    }

    @Override
    public boolean remove(byte[] m, int off, int len) {
        byte[] p = packed();
        int base = base(), end = end(p, base);
        int at = locate(p, base, end, m, off, len, false);
        if (at < 0) return false;
        written(p, splice(p, base, end, at, next(p, at), 0, count(p, base) - 1));
        return true;
    }

    @Override
    public void removeRange(int from, int to) {
        if (from >= to) return;
        byte[] p = packed();
        int base = base();
        int start = offsetOf(p, base, from), stop = start;
        for (int i = from; i < to; i++) stop = next(p, stop);
        written(p, splice(p, base, end(p, base), start, stop, 0, count(p, base) - (to - from)));
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

    /** A set (not stored yet) of the first {@code n} members of the parallel arrays, in (score, member) order. */
    static ZSetListpack ofSorted(double[] scores, byte[][] members, int n) {
        int size = Table.varLen(n);
        for (int i = 0; i < n; i++) size += entryBytes(members[i].length, scores[i] == 0 ? 0.0 : scores[i]);
        byte[] b = new byte[size];
        for (int i = 0, at = Table.writeVar(b, 0, n); i < n; i++) {
            byte[] m = members[i];
            at = writeEntry(b, at, m, 0, m.length, scores[i] == 0 ? 0.0 : scores[i]);
        }
        return new ZSetListpack(b);
    }
}
