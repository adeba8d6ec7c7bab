package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A large sorted set (OBJECT ENCODING "skiplist", the name Redis reports). Not a skiplist: an
 * order-statistic B+tree for order and ranks, plus an open-addressing hash from member to score for
 * ZSCORE and friends.
 *
 * <h2>Why a B+tree</h2>
 * A tree with one small node per member (or a skiplist) costs a cache miss per level, about 17
 * levels at 100k members, and an object per member. Here a node holds up to {@link #MAX} entries in
 * parallel arrays, so an operation visits three or four nodes, and an insertion shifts a few hundred
 * bytes within one node. A node is searched by a linear pass over its contiguous {@code double[]} of
 * scores (see {@link #scoreBound}); member bytes are read only among equal scores.
 *
 * <p>A member costs its slot in a leaf (12 bytes, leaves about 70% full), its hash slot (4 bytes,
 * the hash 37-75% full) and its stored array: the member's bytes, then its current score in 8 bytes
 * ({@link #stored}), one array for the hash and the tree.
 *
 * <h2>Nodes</h2>
 * Every node has {@code n} entries in {@code scores} and {@code members}, in (score, member) order
 * as {@link ZSet#compare} orders them.
 * <ul>
 * <li>A {@link Leaf}'s entries are the set's members. Only a leaf that is the whole tree may have
 * arrays shorter than {@code max}: it starts small and doubles, so a set of a few members stays small.
 * <li>An {@link Inner} node's entry {@code i} describes child {@code i}: {@code counts[i]} members below
 * it, and for {@code i >= 1} the key {@code (scores[i], members[i])} separating it from child
 * {@code i - 1}: every member of child {@code i - 1} sorts below the key, every member of child
 * {@code i} at or above it. Entry 0's key is a lower bound of the node, meaningful only while the node
 * moves between siblings (see below). A separator may name a member removed since: it still separates
 * correctly, and its array stays alive until the separator goes ({@link #memoryUsage} counts it).
 * </ul>
 * All leaves are at the same depth. Every node but the root holds {@code min = max / 4} to
 * {@code max} entries (an inner root at least two), so the height is O(log n).
 *
 * <h2>Changes</h2>
 * <ul>
 * <li>Insertion into a full node splits it in two, and the parent gains the right half with its first
 * key as separator. The split is even, except when the new entry goes at either end of the node:
 * then the other half keeps {@code max + 1 - min} entries, so members added in rising (or falling)
 * order fill nodes three quarters rather than half. A root split grows the tree by one level.
 * <li>After a removal, a node left with fewer than {@code min} entries joins a neighbour: the two merge
 * when they fit in one node, else their entries are shared out evenly. Inner entries move with their
 * keys once the right node's entry 0 holds the parent's separator for it; afterwards the parent's
 * separator is the right node's first key. A merge removes an entry from the parent, which may then
 * need the same; an inner root left with one child gives way to it.
 * <li>A score update first looks in the member's leaf: when the new key lies between two other
 * entries of that leaf, the entry just moves within it and no count changes.
 * <li>{@link #removeRange} removes a leaf's worth of consecutive entries per descent, and the same
 * join repairs any shortage, however large.
 * </ul>
 *
 * <h2>Hash</h2>
 * {@code slots} holds the stored member arrays, the very ones the leaves hold: power-of-two capacity,
 * linear probing, backward-shift deletion. A member's score is read from its array's last 8 bytes,
 * so ZSCORE reads no tree, and a score update finds the member's old key (score, member) to remove
 * from the tree. A home slot is the top bits of the member's hash, so slots are in hash order and a
 * ZSCAN cursor is a position in hash space, which stays valid across resizes (as {@link Table}'s).
 * Hashes are not stored: a probe compares lengths and bytes, and moves recompute them.
 *
 * <p>A stored array's score changes in place, so {@link #copy} copies the arrays.
 */
final class ZSetSkiplist implements ZSet {
    /** Most entries of a node: its scores span eight cache lines, and a shift in a leaf moves at most 768 bytes. */
    static final int MAX = 64;
    /** The hash's smallest capacity, and a new set's leaf's (it doubles up to {@code max}). */
    private static final int MIN_HASH = 8, MIN_LEAF = 4;

    private abstract static sealed class Node permits Leaf, Inner {
        int n;
        double[] scores;
        byte[][] members;

        Node(int capacity) {
            scores = new double[capacity];
            members = new byte[capacity][];
        }

        /** Members in the subtree. */
        abstract int size();

        /** Copies entries {@code [from, from + len)} to {@code dst} at {@code to}; overlap (dst == this) is fine. */
        void copy(int from, Node dst, int to, int len) {
            System.arraycopy(scores, from, dst.scores, to, len);
            System.arraycopy(members, from, dst.members, to, len);
        }

        /** Keeps the first {@code k} entries, dropping references to the rest. */
        void truncate(int k) {
            Arrays.fill(members, k, n, null);
            n = k;
        }

        /** A new empty node of the same kind. */
        abstract Node sibling(int capacity);
    }

    private static final class Leaf extends Node {
        Leaf(int capacity) { super(capacity); }

        @Override
        int size() { return n; }

        @Override
        Node sibling(int capacity) { return new Leaf(capacity); }
    }

    private static final class Inner extends Node {
        Node[] children;
        int[] counts;

        Inner(int capacity) {
            super(capacity);
            children = new Node[capacity];
            counts = new int[capacity];
        }

        @Override
        int size() {
            int s = 0;
            for (int i = 0; i < n; i++) s += counts[i];
            return s;
        }

        @Override
        void copy(int from, Node dst, int to, int len) {
            super.copy(from, dst, to, len);
            Inner d = (Inner) dst;
            System.arraycopy(children, from, d.children, to, len);
            System.arraycopy(counts, from, d.counts, to, len);
        }

        @Override
        void truncate(int k) {
            Arrays.fill(children, k, n, null);
            super.truncate(k);
        }

        @Override
        Node sibling(int capacity) { return new Inner(capacity); }
    }

    private final int max, min;
    private Node root;
    private int count;
    private byte[][] slots = new byte[MIN_HASH][];

    ZSetSkiplist() {
        this(MAX);
    }

    /** A set whose nodes hold up to {@code max} entries (at least 8; tests use small ones for deep trees). */
    ZSetSkiplist(int max) {
        this.max = max;
        this.min = max / 4;
        root = new Leaf(MIN_LEAF);
    }

    @Override
    public String encoding() { return "skiplist"; }

    @Override
    public int size() { return count; }

    // ---- stored members ----

    private static final VarHandle SCORE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** A member as the set stores it: its bytes, then its score in 8 bytes. */
    static byte[] stored(byte[] m, int off, int len, double score) {
        byte[] k = new byte[len + 8];
        System.arraycopy(m, off, k, 0, len);
        SCORE.set(k, len, score);
        return k;
    }

    private static int length(byte[] k) { return k.length - 8; }

    private static double score(byte[] k) { return (double) SCORE.get(k, k.length - 8); }

    private static void setScore(byte[] k, double score) { SCORE.set(k, k.length - 8, score); }

    @Override
    public long memoryUsage() {
        long bytes = 32 + ZSet.arrayBytes(4L * slots.length);
        for (byte[] m : slots) if (m != null) bytes += ZSet.arrayBytes(m.length);
        Set<byte[]> removed = Collections.newSetFromMap(new IdentityHashMap<>());
        bytes += nodeBytes(root, removed);
        for (byte[] m : removed) bytes += ZSet.arrayBytes(m.length);
        return bytes;
    }

    /** The subtree's nodes, and into {@code removed} the arrays of removed members its keys keep alive. */
    private long nodeBytes(Node x, Set<byte[]> removed) {
        long bytes = ZSet.arrayBytes(8L * x.scores.length) + ZSet.arrayBytes(4L * x.members.length);
        if (!(x instanceof Inner in)) return 24 + bytes;
        bytes += 32 + ZSet.arrayBytes(4L * in.children.length) + ZSet.arrayBytes(4L * in.counts.length);
        for (int i = 0; i < in.n; i++) {
            byte[] key = in.members[i];
            int slot = find(key, 0, length(key));
            if (slot < 0 || slots[slot] != key) removed.add(key);
            bytes += nodeBytes(in.children[i], removed);
        }
        return bytes;
    }

    /** A copy with its own member arrays, as their scores change in place. */
    @Override
    public ZSet copy() {
        byte[][] members = new byte[count][];
        int[] k = {0};
        visit(0, count, false, (b, off, len, s) -> members[k[0]++] = stored(b, off, len, s));
        ZSetSkiplist z = new ZSetSkiplist(max);
        z.fill(members, count);
        return z;
    }

    // ---- building ----

    /** A set of the first {@code n} {@link #stored} members of the array, distinct and in (score, member) order. */
    static ZSetSkiplist ofSorted(byte[][] members, int n) {
        ZSetSkiplist z = new ZSetSkiplist();
        z.fill(members, n);
        return z;
    }

    private void fill(byte[][] members, int n) {
        resize(capacityFor(n));
        for (int i = 0; i < n; i++) hashInsert(members[i]);
        count = n;
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) scores[i] = score(members[i]);
        build(scores, members, n);
    }

    /** Packs the sorted entries into as few leaves as hold them, shared out evenly, then the levels above. */
    private void build(double[] scores, byte[][] members, int n) {
        if (n <= max) {
            Leaf leaf = new Leaf(Math.max(n, MIN_LEAF));
            System.arraycopy(scores, 0, leaf.scores, 0, n);
            System.arraycopy(members, 0, leaf.members, 0, n);
            leaf.n = n;
            root = leaf;
            return;
        }
        int k = (n + max - 1) / max;
        Node[] level = new Node[k];
        for (int j = 0; j < k; j++) {
            int from = (int) ((long) j * n / k), to = (int) ((long) (j + 1) * n / k);
            Leaf leaf = new Leaf(max);
            System.arraycopy(scores, from, leaf.scores, 0, to - from);
            System.arraycopy(members, from, leaf.members, 0, to - from);
            leaf.n = to - from;
            level[j] = leaf;
        }
        while (k > 1) {
            int up = (k + max - 1) / max;
            Node[] parents = new Node[up];
            for (int j = 0; j < up; j++) {
                int from = (int) ((long) j * k / up), to = (int) ((long) (j + 1) * k / up);
                Inner in = new Inner(max);
                for (int c = from; c < to; c++) {
                    Node child = level[c];
                    in.children[c - from] = child;
                    in.counts[c - from] = child.size();
                    in.scores[c - from] = child.scores[0];
                    in.members[c - from] = child.members[0];
                }
                in.n = to - from;
                parents[j] = in;
            }
            level = parents;
            k = up;
        }
        root = level[0];
    }

    // ---- accumulation (ZUNION and friends build results in the hash first, then order them once) ----

    /** The hash slot of a member, or -1; valid until the next insertion or removal. */
    int find(byte[] m, int off, int len) {
        byte[][] ks = slots;
        int mask = ks.length - 1;
        for (int i = Hashing.hash(m, off, len) >>> shift(); ; i = (i + 1) & mask) {
            byte[] k = ks[i];
            if (k == null) return -1;
            if (k.length - 8 == len && Arrays.equals(k, 0, len, m, off, off + len)) return i;
        }
    }

    double scoreAt(int slot) { return score(slots[slot]); }

    /** Changes an accumulated member's score; only before {@link #order}. */
    void rescore(int slot, double score) { setScore(slots[slot], score); }

    /** Adds a member to the hash only; {@link #order} must follow before the set is used as a set. */
    void accumulate(byte[] m, int off, int len, double score) {
        hashAdd(stored(m, off, len, score));
    }

    /** Orders the accumulated members into the tree. */
    void order() {
        double[] scores = new double[count];
        byte[][] members = new byte[count][];
        int k = 0;
        for (byte[] m : slots) {
            if (m != null) {
                scores[k] = score(m);
                members[k++] = m;
            }
        }
        sort(scores, members, k);
        build(scores, members, k);
    }

    /** Sorts the parallel arrays' first {@code n} entries by (score, member): a bottom-up merge sort. */
    private static void sort(double[] scores, byte[][] members, int n) {
        double[] ts = new double[n];
        byte[][] tm = new byte[n][];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
                for (int a = lo, b = mid, k = lo; k < hi; k++) {
                    boolean left = b >= hi || a < mid && compare(scores[a], members[a], scores[b], members[b]) < 0;
                    int from = left ? a++ : b++;
                    ts[k] = scores[from];
                    tm[k] = members[from];
                }
            }
            System.arraycopy(ts, 0, scores, 0, n);
            System.arraycopy(tm, 0, members, 0, n);
        }
    }

    /**
     * The listpack form if this (newly built) set fits the limits, else this set: what Redis does
     * with the result of a command that builds a set (ZUNIONSTORE, ZRANGESTORE...).
     */
    ZSet compact(long maxEntries, long maxValue) {
        if (count > maxEntries) return this;
        for (byte[] m : slots) if (m != null && length(m) > maxValue) return this;
        double[] scores = new double[count];
        byte[][] members = new byte[count][];
        int[] k = {0};
        visit(0, count, false, (b, off, len, s) -> {
            scores[k[0]] = s;
            members[k[0]++] = Arrays.copyOfRange(b, off, off + len);
        });
        return ZSetListpack.ofSorted(scores, members, count);
    }

    // ---- hash ----

    /** Home slots are the top bits of the hash: it shifts right by this much. */
    private int shift() { return 32 - Integer.numberOfTrailingZeros(slots.length); }

    private static int hash(byte[] k) { return Hashing.hash(k, 0, k.length - 8); }

    private static int capacityFor(int n) {
        int cap = MIN_HASH;
        while (cap * 3L / 4 < n) cap <<= 1;
        return cap;
    }

    private void resize(int capacity) {
        byte[][] old = slots;
        slots = new byte[capacity][];
        for (byte[] k : old) if (k != null) hashInsert(k);
    }

    private void hashAdd(byte[] member) {
        if (count + 1 > slots.length * 3L / 4) resize(slots.length * 2);
        hashInsert(member);
        count++;
    }

    private void hashInsert(byte[] member) {
        int mask = slots.length - 1;
        int i = hash(member) >>> shift();
        while (slots[i] != null) i = (i + 1) & mask;
        slots[i] = member;
    }

    /** Removes the slot holding this very array. */
    private void hashRemove(byte[] member) {
        byte[][] ks = slots;
        int mask = ks.length - 1;
        int shift = shift();
        int i = hash(member) >>> shift;
        while (ks[i] != member) i = (i + 1) & mask;
        int hole = i;
        for (int j = (i + 1) & mask; ks[j] != null; j = (j + 1) & mask) {
            int home = hash(ks[j]) >>> shift;
            // move j into the hole unless its home lies cyclically in (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                ks[hole] = ks[j];
                hole = j;
            }
        }
        ks[hole] = null;
        count--;
        if (count < ks.length / 8 && ks.length > MIN_HASH) resize(ks.length / 2);
    }

    // ---- searching nodes ----

    private static int compare(double s1, byte[] a, double s2, byte[] b) {
        return ZSet.compare(s1, a, 0, length(a), s2, b, 0, length(b));
    }

    /*
     * Searches within a node walk its scores linearly rather than binary-search them: the scores are
     * one contiguous array, and the processor, predicting that the walk goes on, loads the next cache
     * lines while it compares, so a node out of cache costs about one miss, where a binary search
     * would wait for each probe's in turn. Member arrays are read only among equal scores, and not at
     * all to find a stored array already in hand ({@link #indexOf}).
     */

    /** The first index at or after {@code from} whose score is not below {@code s} (with inclusive, not at or below). */
    private static int scoreBound(Node x, int from, double s, boolean inclusive) {
        double[] scores = x.scores;
        int i = from, n = x.n;
        if (inclusive) while (i < n && scores[i] <= s) i++;
        else while (i < n && scores[i] < s) i++;
        return i;
    }

    /** The first index at or after {@code from} whose key is not below (s, m) (with inclusive, not at or below). */
    private static int keyBound(Node x, int from, double s, byte[] m, boolean inclusive) {
        int i = scoreBound(x, from, s, false);
        for (; i < x.n && x.scores[i] == s; i++) {
            byte[] k = x.members[i];
            int c = ZSet.compareMembers(k, 0, length(k), m, 0, length(m));
            if (inclusive ? c > 0 : c >= 0) break;
        }
        return i;
    }

    /** The first index whose key is not below (s, m). */
    private static int lowerBound(Node x, double s, byte[] m) {
        return keyBound(x, 0, s, m, false);
    }

    /** The index of this very stored array, in leaf {@code x} with score {@code s}: no member bytes are read. */
    private static int indexOf(Node x, double s, byte[] member) {
        int i = scoreBound(x, 0, s, false);
        while (x.members[i] != member) i++;
        return i;
    }

    /** The child of an inner node whose range holds key (s, m): the last one whose separator is at or below it. */
    private static int childFor(Inner x, double s, byte[] m) {
        return keyBound(x, 1, s, m, true) - 1;
    }

    /** As {@link #scoreBound}, comparing members only. */
    private static int memberBound(Node x, int from, byte[] m, int off, int len, boolean inclusive) {
        int lo = from, hi = x.n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            byte[] k = x.members[mid];
            int c = ZSet.compareMembers(k, 0, length(k), m, off, len);
            if (inclusive ? c <= 0 : c < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static int countsBefore(Inner x, int c) {
        int r = 0;
        for (int i = 0; i < c; i++) r += x.counts[i];
        return r;
    }

    // ---- queries ----

    @Override
    public double score(byte[] m, int off, int len) {
        int slot = find(m, off, len);
        return slot < 0 ? Double.NaN : score(slots[slot]);
    }

    @Override
    public int rank(byte[] m, int off, int len) {
        int slot = find(m, off, len);
        if (slot < 0) return -1;
        byte[] member = slots[slot];
        double s = score(member);
        int r = 0;
        Node x = root;
        while (x instanceof Inner in) {
            int c = childFor(in, s, member);
            r += countsBefore(in, c);
            x = in.children[c];
        }
        return r + indexOf(x, s, member);
    }

    @Override
    public int countBelow(double score, boolean inclusive) {
        int r = 0;
        Node x = root;
        while (x instanceof Inner in) {
            int c = scoreBound(in, 1, score, inclusive) - 1;
            r += countsBefore(in, c);
            x = in.children[c];
        }
        return r + scoreBound(x, 0, score, inclusive);
    }

    @Override
    public int countBelow(byte[] m, int off, int len, boolean inclusive) {
        int r = 0;
        Node x = root;
        while (x instanceof Inner in) {
            int c = memberBound(in, 1, m, off, len, inclusive) - 1;
            r += countsBefore(in, c);
            x = in.children[c];
        }
        return r + memberBound(x, 0, m, off, len, inclusive);
    }

    @Override
    public void visit(int from, int to, boolean reverse, Visitor v) {
        if (from < to) visit(root, count, from, to, reverse, v);
    }

    /** Visits ranks [from, to) of the subtree of {@code size} members, ranks counted from its first. */
    private static void visit(Node x, int size, int from, int to, boolean reverse, Visitor v) {
        if (x instanceof Inner in) {
            if (reverse) {
                for (int c = in.n - 1, end = size; c >= 0 && end > from; c--) {
                    int start = end - in.counts[c];
                    if (start < to) visit(in.children[c], in.counts[c], Math.max(from - start, 0), Math.min(to - start, in.counts[c]), true, v);
                    end = start;
                }
            } else {
                for (int c = 0, start = 0; c < in.n && start < to; c++) {
                    int end = start + in.counts[c];
                    if (end > from) visit(in.children[c], in.counts[c], Math.max(from - start, 0), Math.min(to - start, in.counts[c]), false, v);
                    start = end;
                }
            }
            return;
        }
        if (reverse) {
            for (int i = to - 1; i >= from; i--) v.visit(x.members[i], 0, length(x.members[i]), x.scores[i]);
        } else {
            for (int i = from; i < to; i++) v.visit(x.members[i], 0, length(x.members[i]), x.scores[i]);
        }
    }

    @Override
    public void visitRanks(int[] ranks, int n, Visitor v) {
        for (int k = 0; k < n; k++) {
            int r = ranks[k];
            Node x = root;
            while (x instanceof Inner in) {
                int c = 0;
                while (r >= in.counts[c]) r -= in.counts[c++];
                x = in.children[c];
            }
            v.visit(x.members[r], 0, length(x.members[r]), x.scores[r]);
        }
    }

    @Override
    public long scan(long cursor, int count, Visitor v) {
        if (cursor < 0 || cursor >= 1L << 32) return 0;
        byte[][] ks = slots;
        int cap = ks.length, mask = cap - 1;
        int seen = 0;
        int shift = shift();
        int from = (int) (cursor >>> shift);
        while (from < cap && seen < count) {
            int to = (int) Math.min(cap, (long) from + Math.max(1, count - seen));
            // walk from the window's first home slot to the end of the run after its last one
            for (int i = from, steps = 0; steps < cap; steps++, i = (i + 1) & mask) {
                byte[] m = ks[i];
                if (m == null) {
                    if (steps >= to - from) break;
                    continue;
                }
                int hash = hash(m);
                int home = hash >>> shift;
                if (home >= from && home < to && Integer.toUnsignedLong(hash) >= cursor) {
                    v.visit(m, 0, length(m), score(m));
                    seen++;
                }
            }
            from = to;
            cursor = (long) to << shift;
        }
        return from >= cap ? 0 : cursor;
    }

    @Override
    public String scanText(double score) {
        return Numbers.formatDouble(score);
    }

    // ---- changes ----

    @Override
    public boolean put(byte[] m, int off, int len, double score) {
        int slot = find(m, off, len);
        if (slot >= 0) {
            byte[] member = slots[slot];
            double old = score(member);
            if (old != score) {
                setScore(member, score);
                if (!delete(root, old, member, score)) {
                    shrinkRoot();
                    insert(score, member);
                }
            }
            return false;
        }
        byte[] member = stored(m, off, len, score);
        hashAdd(member);
        insert(score, member);
        return true;
    }

    @Override
    public boolean remove(byte[] m, int off, int len) {
        int slot = find(m, off, len);
        if (slot < 0) return false;
        byte[] member = slots[slot];
        delete(root, score(member), member, Double.NaN);
        shrinkRoot();
        hashRemove(member);
        return true;
    }

    @Override
    public void removeRange(int from, int to) {
        if (from == 0 && to == count) {
            clear();
            return;
        }
        while (from < to) {
            to -= removeRun(root, from, to - from);
            shrinkRoot();
        }
    }

    private void clear() {
        root = new Leaf(MIN_LEAF);
        slots = new byte[MIN_HASH][];
        count = 0;
    }

    /** Removes up to {@code k} entries from rank {@code from} on, those in rank {@code from}'s leaf; returns how many. */
    private int removeRun(Node x, int from, int k) {
        if (x instanceof Inner in) {
            int c = 0;
            while (from >= in.counts[c]) from -= in.counts[c++];
            int removed = removeRun(in.children[c], from, k);
            in.counts[c] -= removed;
            join(in, c);
            return removed;
        }
        int end = Math.min(x.n, from + k);
        for (int i = from; i < end; i++) hashRemove(x.members[i]);
        x.copy(end, x, from, x.n - end);
        x.truncate(x.n - (end - from));
        return end - from;
    }

    /** An inner root left with one child gives way to it. */
    private void shrinkRoot() {
        while (root instanceof Inner in && in.n == 1) root = in.children[0];
    }

    private void insert(double s, byte[] member) {
        Node right = insert(root, s, member);
        if (right == null) return;
        Inner top = new Inner(max);
        top.n = 2;
        top.children[0] = root;
        top.children[1] = right;
        top.scores[0] = root.scores[0];
        top.members[0] = root.members[0];
        top.scores[1] = right.scores[0];
        top.members[1] = right.members[0];
        top.counts[1] = right.size();
        top.counts[0] = count - top.counts[1];
        root = top;
    }

    /** Inserts (s, member) into the subtree; returns the new right sibling if the node split. */
    private Node insert(Node x, double s, byte[] member) {
        if (x instanceof Inner in) {
            int c = childFor(in, s, member);
            Node right = insert(in.children[c], s, member);
            if (right == null) {
                in.counts[c]++;
                return null;
            }
            int moved = right.size();
            in.counts[c] += 1 - moved;
            return add(in, c + 1, right.scores[0], right.members[0], right, moved);
        }
        return add(x, lowerBound(x, s, member), s, member, null, 0);
    }

    /**
     * Puts an entry at index {@code i} of {@code x} (for an inner node, a child and its count); a full
     * node splits first. Returns the new right half, or null.
     */
    private Node add(Node x, int i, double s, byte[] m, Node child, int childCount) {
        Node target = x;
        Node right = null;
        if (x.n == x.scores.length) {
            if (x.n < max) {
                int cap = Math.min(max, 2 * x.n);
                x.scores = Arrays.copyOf(x.scores, cap);
                x.members = Arrays.copyOf(x.members, cap);
            } else {
                int left = i == x.n ? x.n + 1 - min : i == 0 ? min : (x.n + 1) / 2;
                right = x.sibling(max);
                int keep = i < left ? left - 1 : left;
                x.copy(keep, right, 0, x.n - keep);
                right.n = x.n - keep;
                x.truncate(keep);
                if (i >= left) {
                    target = right;
                    i -= left;
                }
            }
        }
        target.copy(i, target, i + 1, target.n - i);
        target.scores[i] = s;
        target.members[i] = m;
        if (target instanceof Inner in) {
            in.children[i] = child;
            in.counts[i] = childCount;
        }
        target.n++;
        return right;
    }

    /**
     * Removes (s, member), present, from the subtree; but when {@code rescore} is a score whose place
     * lies between two other entries of the member's leaf, moves the entry there instead and returns
     * true (nothing else changes then).
     */
    private boolean delete(Node x, double s, byte[] member, double rescore) {
        if (x instanceof Inner in) {
            int c = childFor(in, s, member);
            if (delete(in.children[c], s, member, rescore)) return true;
            in.counts[c]--;
            join(in, c);
            return false;
        }
        int i = indexOf(x, s, member);
        if (!Double.isNaN(rescore)) {
            int j = lowerBound(x, rescore, member);
            int at = j > i ? j - 1 : j; // others below the new key
            if (at > 0 && at < x.n - 1) {
                if (at > i) x.copy(i + 1, x, i, at - i);
                else x.copy(at, x, at + 1, i - at);
                x.scores[at] = rescore;
                x.members[at] = member;
                return true;
            }
        }
        x.copy(i + 1, x, i, x.n - i - 1);
        x.truncate(x.n - 1);
        return false;
    }

    /** If child {@code c} of {@code in} has fewer than {@code min} entries, merges it with a neighbour or evens them out. */
    private void join(Inner in, int c) {
        if (in.children[c].n >= min) return;
        int i = c > 0 ? c : c + 1;
        Node l = in.children[i - 1], r = in.children[i];
        if (r instanceof Inner) {
            r.scores[0] = in.scores[i];
            r.members[0] = in.members[i];
        }
        if (l.n + r.n <= max) {
            r.copy(0, l, l.n, r.n);
            l.n += r.n;
            in.counts[i - 1] += in.counts[i];
            in.copy(i + 1, in, i, in.n - i - 1);
            in.truncate(in.n - 1);
            return;
        }
        int left = (l.n + r.n) / 2;
        if (l.n < left) {
            int k = left - l.n;
            r.copy(0, l, l.n, k);
            l.n = left;
            r.copy(k, r, 0, r.n - k);
            r.truncate(r.n - k);
        } else {
            int k = l.n - left;
            r.copy(0, r, k, r.n);
            l.copy(left, r, 0, k);
            r.n += k;
            l.truncate(left);
        }
        in.counts[i - 1] = l.size();
        in.counts[i] = r.size();
        in.scores[i] = r.scores[0];
        in.members[i] = r.members[0];
    }

    @Override
    public ZSet withRoomFor(int memberLength, long maxEntries, long maxValue) {
        return this;
    }

    // ---- checks (tests) ----

    /** Checks the tree's order, counts, fill and depth and the hash's contents. */
    void verify() {
        int[] leafDepth = {-1};
        int size = check(root, true, 0, leafDepth);
        if (size != count) throw new IllegalStateException("tree size " + size + " != " + count);
        double[] scores = new double[count];
        byte[][] members = new byte[count][];
        int[] k = {0};
        visit(0, count, false, (b, off, len, s) -> {
            scores[k[0]] = s;
            members[k[0]++] = b;
        });
        for (int i = 1; i < count; i++) {
            if (compare(scores[i - 1], members[i - 1], scores[i], members[i]) >= 0) {
                throw new IllegalStateException("out of order at " + i);
            }
        }
        int inHash = 0;
        for (byte[] m : slots) if (m != null) inHash++;
        if (inHash != count) throw new IllegalStateException("hash holds " + inHash + " != " + count);
        for (int i = 0; i < count; i++) {
            int slot = find(members[i], 0, length(members[i]));
            if (slot < 0 || slots[slot] != members[i]) throw new IllegalStateException("hash misses a member");
            if (Double.doubleToRawLongBits(score(slots[slot])) != Double.doubleToRawLongBits(scores[i])) {
                throw new IllegalStateException("hash and tree disagree on a score");
            }
        }
    }

    /** Checks a subtree and returns its size. */
    private int check(Node x, boolean isRoot, int depth, int[] leafDepth) {
        if (x.n > x.scores.length || x.n > max) throw new IllegalStateException("overfull node");
        if (!isRoot && x.n < min) throw new IllegalStateException("underfull node: " + x.n);
        if (!isRoot && x.scores.length != max) throw new IllegalStateException("short arrays below the root");
        for (int i = x.n; i < x.members.length; i++) if (x.members[i] != null) throw new IllegalStateException("stale reference");
        if (!(x instanceof Inner in)) {
            if (leafDepth[0] < 0) leafDepth[0] = depth;
            if (leafDepth[0] != depth) throw new IllegalStateException("leaves at depths " + leafDepth[0] + " and " + depth);
            return x.n;
        }
        if (isRoot && in.n < 2) throw new IllegalStateException("inner root with one child");
        int size = 0;
        for (int c = 0; c < in.n; c++) {
            Node child = in.children[c];
            int s = check(child, false, depth + 1, leafDepth);
            if (s != in.counts[c]) throw new IllegalStateException("count " + in.counts[c] + " != " + s);
            size += s;
            Leaf above = first(child), below = last(in.children[Math.max(c - 1, 0)]);
            if (c > 0 && (compare(above.scores[0], above.members[0], in.scores[c], in.members[c]) < 0
                    || compare(below.scores[below.n - 1], below.members[below.n - 1], in.scores[c], in.members[c]) >= 0)) {
                throw new IllegalStateException("separator " + c + " does not separate");
            }
        }
        for (int i = in.n; i < in.children.length; i++) if (in.children[i] != null) throw new IllegalStateException("stale child");
        return size;
    }

    private static Leaf first(Node x) {
        while (x instanceof Inner in) x = in.children[0];
        return (Leaf) x;
    }

    private static Leaf last(Node x) {
        while (x instanceof Inner in) x = in.children[in.n - 1];
        return (Leaf) x;
    }
}
