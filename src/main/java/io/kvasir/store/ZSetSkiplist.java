package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import java.util.Arrays;

/**
 * A large sorted set (OBJECT ENCODING "skiplist", the name Redis reports). Not a skiplist: an
 * order-statistic tree for order and ranks, plus an open-addressing hash from member to node for
 * ZSCORE and friends.
 *
 * <h2>Why a weight-balanced tree</h2>
 * Redis's skiplist keeps a forward pointer and a span per level, about 1.33 levels a node. In Java
 * each level would cost array headers; a binary tree node costs one object with two child
 * references, and rank queries need only a subtree size. The tree is weight-balanced (Adams's
 * trees with Hirai and Yamamoto's parameters delta 3, gamma 2): the sizes that answer rank queries
 * also keep it balanced, so no color or height field is needed, and every operation (insert,
 * delete, rank, select, count below a bound) is O(log n) in the worst case, not just expected.
 * A node is 40 bytes with compressed references (header 12, member 4, score 8, two children 8,
 * size 4, cached member hash 4); the member's own array comes on top.
 *
 * <h2>Hash</h2>
 * {@code slots} holds node references, power-of-two capacity, linear probing, backward-shift
 * deletion. A member's home slot is the top bits of its hash, so slots are in hash order and a
 * ZSCAN cursor is a position in hash space, which stays valid across resizes (as {@link Table}'s).
 *
 * <p>Member arrays are never changed once stored, so {@link #copy} shares them and copies nodes.
 */
final class ZSetSkiplist extends ZSet {
    private static final int DELTA = 3, GAMMA = 2;
    private static final int MIN_CAPACITY = 8;

    static final class Node {
        final byte[] member;
        double score;
        Node left, right;
        int size = 1;
        final int hash;

        Node(byte[] member, double score) {
            this(member, score, Hashing.hash(member, 0, member.length));
        }

        Node(byte[] member, double score, int hash) {
            this.member = member;
            this.score = score;
            this.hash = hash;
        }
    }

    private Node root;
    private Node[] slots = new Node[MIN_CAPACITY];
    private int count;

    ZSetSkiplist() {}

    @Override
    public String encoding() { return "skiplist"; }

    @Override
    public int size() { return count; }

    @Override
    public long memoryUsage() {
        long bytes = 24 + arrayBytes(4L * slots.length);
        for (Node n : slots) if (n != null) bytes += 40 + arrayBytes(n.member.length);
        return bytes;
    }

    @Override
    public ZSet copy() {
        Node[] nodes = new Node[count];
        collect(root, nodes, 0);
        for (int i = 0; i < count; i++) nodes[i] = new Node(nodes[i].member, nodes[i].score, nodes[i].hash);
        return ofSorted(nodes, count);
    }

    // ---- building ----

    /** A set of {@code n} distinct nodes given in (score, member) order: a perfectly balanced tree. */
    static ZSetSkiplist ofSorted(Node[] nodes, int n) {
        ZSetSkiplist z = new ZSetSkiplist();
        z.resize(capacityFor(n));
        for (int i = 0; i < n; i++) z.hashInsert(nodes[i]);
        z.count = n;
        z.root = build(nodes, 0, n);
        return z;
    }

    private static Node build(Node[] nodes, int from, int to) {
        if (from >= to) return null;
        int mid = (from + to) >>> 1;
        Node n = nodes[mid];
        n.left = build(nodes, from, mid);
        n.right = build(nodes, mid + 1, to);
        n.size = to - from;
        return n;
    }

    /** Writes the subtree's nodes in order into {@code out} from {@code at}; returns the next position. */
    private static int collect(Node t, Node[] out, int at) {
        while (t != null) {
            at = collect(t.left, out, at);
            out[at++] = t;
            t = t.right;
        }
        return at;
    }

    // ---- accumulation (ZUNION and friends build results in the hash first, then order them once) ----

    /** The node of a member added by {@link #accumulate}, or null. */
    Node find(byte[] m, int off, int len) {
        int h = Hashing.hash(m, off, len);
        int mask = slots.length - 1;
        for (int i = h >>> shift(); ; i = (i + 1) & mask) {
            Node n = slots[i];
            if (n == null) return null;
            if (n.hash == h && n.member.length == len && Arrays.equals(n.member, 0, len, m, off, off + len)) return n;
        }
    }

    /** Adds a member to the hash only; {@link #order} must follow before the set is used as a set. */
    Node accumulate(byte[] m, int off, int len, double score) {
        Node n = new Node(Arrays.copyOfRange(m, off, off + len), score);
        if (count + 1 > slots.length * 3L / 4) resize(slots.length * 2);
        hashInsert(n);
        count++;
        return n;
    }

    /** Orders the accumulated members into the tree. */
    void order() {
        Node[] nodes = new Node[count];
        int k = 0;
        for (Node n : slots) if (n != null) nodes[k++] = n;
        Arrays.sort(nodes, 0, k, (a, b) -> compare(a.score, a.member, 0, a.member.length, b.score, b.member, 0,
                b.member.length));
        root = build(nodes, 0, k);
    }

    /**
     * The listpack form if this (newly built) set fits the limits, else this set: what Redis does
     * with the result of a command that builds a set (ZUNIONSTORE, ZRANGESTORE...).
     */
    ZSet compact(long maxEntries, long maxValue) {
        if (count > maxEntries) return this;
        Node[] nodes = new Node[count];
        collect(root, nodes, 0);
        for (Node n : nodes) if (n.member.length > maxValue) return this;
        return ZSetListpack.ofSorted(nodes, count);
    }

    // ---- hash ----

    /** Home slots are the top bits of the hash: it shifts right by this much. */
    private int shift() { return 32 - Integer.numberOfTrailingZeros(slots.length); }

    private static int capacityFor(int n) {
        int cap = MIN_CAPACITY;
        while (cap * 3L / 4 < n) cap <<= 1;
        return cap;
    }

    private void resize(int capacity) {
        Node[] old = slots;
        slots = new Node[capacity];
        for (Node n : old) if (n != null) hashInsert(n);
    }

    private void hashInsert(Node n) {
        int mask = slots.length - 1;
        int i = n.hash >>> shift();
        while (slots[i] != null) i = (i + 1) & mask;
        slots[i] = n;
    }

    private void hashRemove(Node n) {
        int mask = slots.length - 1;
        int shift = shift();
        int i = n.hash >>> shift;
        while (slots[i] != n) i = (i + 1) & mask;
        int hole = i;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = slots[j].hash >>> shift;
            // move j into the hole unless its home lies cyclically in (hole, j]
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = null;
        if (count < slots.length / 8 && slots.length > MIN_CAPACITY) resize(slots.length / 2);
    }

    // ---- the tree ----

    private static int size(Node n) { return n == null ? 0 : n.size; }

    private static int compare(Node a, Node b) {
        return compare(a.score, a.member, 0, a.member.length, b.score, b.member, 0, b.member.length);
    }

    // Insertion and deletion read the size of the child they descend into (it is on the path anyway)
    // and derive its sibling's from the parent's size, so rebalancing loads no node off the path
    // unless it rotates: at 100k members that halves the cache misses of a ZADD.

    private static Node insert(Node t, Node x) {
        if (t == null) {
            x.left = x.right = null;
            x.size = 1;
            return x;
        }
        if (compare(x, t) < 0) {
            int l = size(t.left), r = t.size - l - 1;
            t.left = insert(t.left, x);
            return balance(t, l + 1, r);
        }
        int r = size(t.right), l = t.size - r - 1;
        t.right = insert(t.right, x);
        return balance(t, l, r + 1);
    }

    /** Removes node {@code x} (present) from the subtree. */
    private static Node delete(Node t, Node x) {
        if (t == x) return glue(t.left, t.right);
        if (compare(x, t) < 0) {
            int l = size(t.left), r = t.size - l - 1;
            t.left = delete(t.left, x);
            return balance(t, l - 1, r);
        }
        int r = size(t.right), l = t.size - r - 1;
        t.right = delete(t.right, x);
        return balance(t, l, r - 1);
    }

    /** Joins two balanced neighbours, the root taken from the larger one. */
    private static Node glue(Node l, Node r) {
        if (l == null) return r;
        if (r == null) return l;
        Node top;
        if (l.size > r.size) {
            top = max(l);
            l = delete(l, top);
        } else {
            top = min(r);
            r = delete(r, top);
        }
        top.left = l;
        top.right = r;
        return balance(top, size(l), size(r));
    }

    private static Node min(Node t) {
        while (t.left != null) t = t.left;
        return t;
    }

    private static Node max(Node t) {
        while (t.right != null) t = t.right;
        return t;
    }

    /**
     * Restores the weight balance at {@code t} after one insertion or deletion below it, given its
     * children's sizes {@code l} and {@code r} as they now are.
     */
    private static Node balance(Node t, int l, int r) {
        int wl = l + 1, wr = r + 1;
        if (wr > DELTA * wl) {
            Node right = t.right;
            if (size(right.left) + 1 >= GAMMA * (size(right.right) + 1)) t.right = rotateRight(right);
            return rotateLeft(t);
        }
        if (wl > DELTA * wr) {
            Node left = t.left;
            if (size(left.right) + 1 >= GAMMA * (size(left.left) + 1)) t.left = rotateLeft(left);
            return rotateRight(t);
        }
        t.size = l + r + 1;
        return t;
    }

    private static Node rotateLeft(Node t) {
        Node r = t.right;
        t.right = r.left;
        r.left = t;
        t.size = size(t.left) + size(t.right) + 1;
        r.size = t.size + size(r.right) + 1;
        return r;
    }

    private static Node rotateRight(Node t) {
        Node l = t.left;
        t.left = l.right;
        l.right = t;
        t.size = size(t.left) + size(t.right) + 1;
        l.size = t.size + size(l.left) + 1;
        return l;
    }

    private Node select(int rank) {
        Node n = root;
        while (true) {
            int ls = size(n.left);
            if (rank < ls) {
                n = n.left;
            } else if (rank == ls) {
                return n;
            } else {
                rank -= ls + 1;
                n = n.right;
            }
        }
    }

    // ---- queries ----

    @Override
    public double score(byte[] m, int off, int len) {
        Node n = find(m, off, len);
        return n == null ? Double.NaN : n.score;
    }

    @Override
    public int rank(byte[] m, int off, int len) {
        Node x = find(m, off, len);
        if (x == null) return -1;
        int r = 0;
        for (Node n = root; n != x; ) {
            if (compare(x, n) < 0) {
                n = n.left;
            } else {
                r += size(n.left) + 1;
                n = n.right;
            }
        }
        return r + size(x.left);
    }

    @Override
    public int countBelow(double score, boolean inclusive) {
        int r = 0;
        for (Node n = root; n != null; ) {
            if (inclusive ? n.score <= score : n.score < score) {
                r += size(n.left) + 1;
                n = n.right;
            } else {
                n = n.left;
            }
        }
        return r;
    }

    @Override
    public int countBelow(byte[] m, int off, int len, boolean inclusive) {
        int r = 0;
        for (Node n = root; n != null; ) {
            int c = compareMembers(n.member, 0, n.member.length, m, off, len);
            if (inclusive ? c <= 0 : c < 0) {
                r += size(n.left) + 1;
                n = n.right;
            } else {
                n = n.left;
            }
        }
        return r;
    }

    @Override
    public void visit(int from, int to, boolean reverse, Visitor v) {
        if (from >= to) return;
        if (reverse) visitReverse(root, 0, from, to, v);
        else visitForward(root, 0, from, to, v);
    }

    /** In-order walk of ranks [from, to) of the subtree whose first rank is {@code base}. */
    private static void visitForward(Node t, int base, int from, int to, Visitor v) {
        while (t != null && from < base + t.size && to > base) {
            int r = base + size(t.left);
            if (from < r) visitForward(t.left, base, from, to, v);
            if (r >= to) return;
            if (r >= from) v.visit(t.member, 0, t.member.length, t.score);
            base = r + 1;
            t = t.right;
        }
    }

    private static void visitReverse(Node t, int base, int from, int to, Visitor v) {
        while (t != null && from < base + t.size && to > base) {
            int r = base + size(t.left);
            if (to > r + 1) visitReverse(t.right, r + 1, from, to, v);
            if (r < from) return;
            if (r < to) v.visit(t.member, 0, t.member.length, t.score);
            t = t.left;
        }
    }

    @Override
    public void visitRanks(int[] ranks, int n, Visitor v) {
        for (int i = 0; i < n; i++) {
            Node x = select(ranks[i]);
            v.visit(x.member, 0, x.member.length, x.score);
        }
    }

    @Override
    public long scan(long cursor, int count, Visitor v) {
        if (cursor < 0 || cursor >= 1L << 32) return 0;
        int cap = slots.length, mask = cap - 1;
        int seen = 0;
        int shift = shift();
        int from = (int) (cursor >>> shift);
        while (from < cap && seen < count) {
            int to = (int) Math.min(cap, (long) from + Math.max(1, count - seen));
            // walk from the window's first home slot to the end of the run after its last one
            for (int i = from, steps = 0; steps < cap; steps++, i = (i + 1) & mask) {
                Node n = slots[i];
                if (n == null) {
                    if (steps >= to - from) break;
                    continue;
                }
                int home = n.hash >>> shift;
                if (home >= from && home < to && Integer.toUnsignedLong(n.hash) >= cursor) {
                    v.visit(n.member, 0, n.member.length, n.score);
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
        Node n = find(m, off, len);
        if (n != null) {
            if (n.score != score) {
                root = delete(root, n);
                n.score = score;
                root = insert(root, n);
            }
            return false;
        }
        n = new Node(Arrays.copyOfRange(m, off, off + len), score);
        if (count + 1 > slots.length * 3L / 4) resize(slots.length * 2);
        hashInsert(n);
        count++;
        root = insert(root, n);
        return true;
    }

    @Override
    public boolean remove(byte[] m, int off, int len) {
        Node n = find(m, off, len);
        if (n == null) return false;
        unlink(n);
        return true;
    }

    private void unlink(Node n) {
        root = delete(root, n);
        count--;
        hashRemove(n);
    }

    @Override
    public void removeRange(int from, int to) {
        if (from >= to) return;
        Node[] doomed = new Node[to - from];
        int[] k = {0};
        visitNodes(root, 0, from, to, doomed, k);
        for (Node n : doomed) unlink(n);
    }

    private static void visitNodes(Node t, int base, int from, int to, Node[] out, int[] k) {
        while (t != null && from < base + t.size && to > base) {
            int r = base + size(t.left);
            if (from < r) visitNodes(t.left, base, from, to, out, k);
            if (r >= to) return;
            if (r >= from) out[k[0]++] = t;
            base = r + 1;
            t = t.right;
        }
    }

    @Override
    public ZSet withRoomFor(int memberLength, long maxEntries, long maxValue) {
        return this;
    }

    /** Checks the tree's order, sizes and balance and the hash's contents (tests). */
    void verify() {
        if (size(root) != count) throw new IllegalStateException("tree size " + size(root) + " != " + count);
        check(root);
        Node[] nodes = new Node[count];
        collect(root, nodes, 0);
        for (int i = 1; i < count; i++) {
            if (compare(nodes[i - 1], nodes[i]) >= 0) throw new IllegalStateException("out of order at " + i);
        }
        int inHash = 0;
        for (Node n : slots) if (n != null) inHash++;
        if (inHash != count) throw new IllegalStateException("hash holds " + inHash + " != " + count);
        for (Node n : nodes) {
            if (find(n.member, 0, n.member.length) != n) throw new IllegalStateException("hash misses a member");
        }
    }

    private static int check(Node t) {
        if (t == null) return 0;
        int l = check(t.left), r = check(t.right);
        if (t.size != l + r + 1) throw new IllegalStateException("bad size");
        if (l + 1 > DELTA * (r + 1) || r + 1 > DELTA * (l + 1)) throw new IllegalStateException("unbalanced");
        return t.size;
    }
}
