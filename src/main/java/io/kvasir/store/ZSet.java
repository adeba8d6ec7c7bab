package io.kvasir.store;

/**
 * A sorted set: unique members (byte strings), each with a double score, ordered by score and then
 * by member bytes (unsigned, a prefix first). Scores compare as C compares doubles, so -0 and 0 tie
 * and the member decides. A score is never NaN.
 *
 * <p>Two encodings, as in Redis: {@link ZSetListpack} ("listpack") packs a small set into one byte
 * string, which a stored set keeps packed into its key's table entry (see {@link PackedValue});
 * {@link ZSetSkiplist} ("skiplist") holds a large one in an order-statistic tree plus a member hash.
 * A set starts packed and converts once it passes {@code zset-max-listpack-entries} members or gets a
 * member longer than {@code zset-max-listpack-value} ({@link #withRoomFor}); it never converts back,
 * except when a command builds a new set ({@link ZSetSkiplist#compact}). A conversion makes a new
 * object, which the caller stores under the key in place of the packed one.
 *
 * <p>An interface so that the packed encoding can extend {@link PackedValue}, whose slot mechanism
 * hashes and sets share.
 *
 * <p>Positions are ranks, 0 the lowest. Every range query reduces to ranks: the members with score
 * in [min, max] are the ranks from {@code countBelow(min, false)} up to {@code countBelow(max, true)}.
 */
public sealed interface ZSet extends StoredValue, ZSetOps.Input permits ZSetListpack, ZSetSkiplist {

    /** Receives members: the bytes {@code b[off, off+len)} are valid only during the call. */
    @FunctionalInterface
    interface Visitor {
        void visit(byte[] b, int off, int len, double score);
    }

    @Override
    default byte type() { return ValueType.ZSET; }

    @Override
    int size();

    /** The member's score, or NaN when it is not in the set. */
    @Override
    double score(byte[] m, int off, int len);

    /** Visits every member in order. */
    @Override
    default void forEach(Visitor v) {
        visit(0, size(), false, v);
    }

    /** Adds the member or changes its score; true if it was added. */
    boolean put(byte[] m, int off, int len, double score);

    /** Removes the member; true if it was there. */
    boolean remove(byte[] m, int off, int len);

    /** The member's rank, or -1 when it is not in the set. */
    int rank(byte[] m, int off, int len);

    /** How many members score below {@code score} (with {@code inclusive}, at or below it). */
    int countBelow(double score, boolean inclusive);

    /**
     * How many members sort before member {@code m} (with {@code inclusive}, at or before it), comparing
     * members only: meaningful when all scores are equal, as lexicographic ranges assume.
     */
    int countBelow(byte[] m, int off, int len, boolean inclusive);

    /** Visits ranks {@code [from, to)} in order, or from {@code to - 1} down with {@code reverse}. */
    void visit(int from, int to, boolean reverse, Visitor v);

    /** Visits the members at the given ranks (repeats allowed), in the order given. */
    void visitRanks(int[] ranks, int n, Visitor v);

    /** Removes ranks {@code [from, to)}. */
    void removeRange(int from, int to);

    /**
     * ZSCAN: visits members from {@code cursor}, about {@code count} of them, and returns the next
     * cursor (0 when done). A member present for a whole scan is visited at least once.
     */
    long scan(long cursor, int count, Visitor v);

    /** A score as ZSCAN shows it: as Redis's encoding of this set holds it. */
    String scanText(double score);

    @Override
    ZSet copy();

    /**
     * This set, or its skiplist form when adding a new member of {@code memberLength} bytes would
     * pass the listpack limits. The caller stores the returned set under the key.
     */
    ZSet withRoomFor(int memberLength, long maxEntries, long maxValue);

    /** This set in the skiplist encoding (SORT converts the set it reads, as Redis does); the caller stores it. */
    default ZSet asSkiplist() {
        return this instanceof ZSetListpack packed ? packed.toSkiplist() : this;
    }

    /** A new empty set in its small encoding. */
    static ZSet create() {
        return new ZSetListpack();
    }

    /** Redis compares members as memcmp over the common length, then the shorter first. */
    static int compareMembers(byte[] a, int aoff, int alen, byte[] b, int boff, int blen) {
        return java.util.Arrays.compareUnsigned(a, aoff, aoff + alen, b, boff, boff + blen);
    }

    /** Orders (score, member) pairs; NaN never occurs. */
    static int compare(double s1, byte[] a, int aoff, int alen, double s2, byte[] b, int boff, int blen) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return compareMembers(a, aoff, alen, b, boff, blen);
    }

    /** Bytes a Java array of {@code n} bytes occupies (16-byte header, 8-byte alignment). */
    static long arrayBytes(long n) {
        return (16 + n + 7) & ~7L;
    }
}
