package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import io.kvasir.protocol.Reply;

/**
 * A list: a chain of packed nodes ({@link ListNode}), each a byte array of elements, as Redis's
 * quicklist chains listpacks. A node takes elements until list-max-listpack-size says it is full
 * (8 KB by default); then a new node begins.
 *
 * <p>A list of one node, every small list, <em>is</em> that node: the entries are in the fields
 * this class inherits from {@link ListNode}, so the list costs one object and one byte array,
 * whatever its number of elements. Past one node, the nodes sit in an array with free slots kept
 * at both ends, so that a node is added or dropped at either end in amortized constant time, and
 * the inherited fields are unused; back at one node, the list takes that node's entries over again.
 * An element is found by walking node counts from the nearer end, then entries from the nearer end
 * of its node. A node left empty is dropped at once; the command layer deletes a list that becomes
 * empty.
 *
 * <p>Redis 7.0 reports every list as "quicklist", however small, and so does this one.
 * list-compress-depth is accepted but nodes are not compressed.
 */
public final class ListValue extends ListNode implements StoredValue {
    private static final int FILL_MAX = (1 << 15) - 1;
    private static final byte[] EMPTY = {};
    private static final ListNode EMPTY_NODE = new ListNode(EMPTY, 0);

    private ListNode[] nodes; // null while the list has at most one node (this one)
    private int first, n;     // the nodes are nodes[first, first + n)
    private long size;

    public ListValue() {
        super(EMPTY, 0);
    }

    /** An element to compare entries with (LREM, LPOS, LINSERT), its integer form worked out once. */
    public static final class Needle {
        final byte[] b;
        final int off, len;
        final boolean isInt;
        final long value;

        public Needle(byte[] b, int off, int len) {
            this.b = b;
            this.off = off;
            this.len = len;
            this.isInt = ListNode.isInt(b, off, len);
            this.value = isInt ? Numbers.parseLong(b, off, len) : 0;
        }
    }

    @Override
    public byte type() { return ValueType.LIST; }

    @Override
    public String encoding() { return "quicklist"; }

    public long size() { return size; }

    /** Number of nodes (for tests and memory reports). */
    public int nodeCount() { return n; }

    private ListNode node(int k) { return nodes == null ? this : nodes[first + k]; }

    /** list-max-listpack-size as Redis applies it: -5..-1 (bytes) or 0..32767 (elements). */
    private static int clampFill(int fill) {
        return fill < -5 ? -5 : Math.min(fill, FILL_MAX);
    }

    // ---- ends ----

    /** Adds an element at the head or the tail, in a new node if the end node is full. */
    public void push(boolean head, byte[] v, int off, int len, int fill) {
        fill = clampFill(fill);
        ListNode node;
        if (n == 0) {
            node = this;
            n = 1;
        } else {
            node = head ? node(0) : node(n - 1);
            if (!node.allowInsert(len, fill)) {
                node.compact(); // full: it keeps no room to spare
                node = new ListNode(ListNode.entrySize(v, off, len));
                insertNode(head ? 0 : n, node);
            }
        }
        if (head) node.pushHead(v, off, len);
        else node.pushTail(v, off, len);
        size++;
    }

    /** Removes the element at the head or the tail, writing it as a bulk reply. The list must not be empty. */
    public void pop(boolean head, Reply r) {
        ListNode node = head ? node(0) : node(n - 1);
        int p = head ? node.start : node.last();
        node.reply(p, r);
        removeEnd(head, node, p);
    }

    /** Removes the element at the head or the tail and returns it. The list must not be empty. */
    public byte[] pop(boolean head) {
        ListNode node = head ? node(0) : node(n - 1);
        int p = head ? node.start : node.last();
        byte[] v = node.element(p);
        removeEnd(head, node, p);
        return v;
    }

    private void removeEnd(boolean head, ListNode node, int p) {
        node.removeAt(p);
        size--;
        if (node.count == 0) removeNode(head ? 0 : n - 1);
    }

    /** Removes {@code head} elements from the head and {@code tail} from the tail (LTRIM). */
    public void trim(long head, long tail) {
        while (head > 0) {
            ListNode h = node(0);
            if (h.count <= head) {
                head -= h.count;
                size -= h.count;
                removeNode(0);
            } else {
                h.dropHead((int) head);
                size -= head;
                head = 0;
            }
        }
        while (tail > 0) {
            ListNode t = node(n - 1);
            if (t.count <= tail) {
                tail -= t.count;
                size -= t.count;
                removeNode(n - 1);
            } else {
                t.dropTail((int) tail);
                size -= tail;
                tail = 0;
            }
        }
    }

    // ---- nodes ----

    /**
     * Inserts a node at index {@code k} (0..n, n at least 1), growing or recentring the array when the
     * side is full. A list of one node moves its entries out into a node of their own first.
     */
    private void insertNode(int k, ListNode node) {
        if (nodes == null) {
            ListNode mine = new ListNode(EMPTY, 0);
            mine.adopt(this);
            adopt(EMPTY_NODE);
            nodes = new ListNode[4];
            first = 1;
            nodes[1] = mine;
        }
        if (k == 0 && first > 0) {
            nodes[--first] = node;
        } else if (k == n && first + n < nodes.length) {
            nodes[first + n] = node;
        } else {
            ListNode[] dst = n + 1 <= nodes.length / 2 ? nodes : new ListNode[Math.max(4, nodes.length * 2)];
            ListNode[] old = nodes.clone();
            java.util.Arrays.fill(dst, null);
            int newFirst = (dst.length - (n + 1)) / 2;
            System.arraycopy(old, first, dst, newFirst, k);
            dst[newFirst + k] = node;
            System.arraycopy(old, first + k, dst, newFirst + k + 1, n - k);
            nodes = dst;
            first = newFirst;
        }
        n++;
    }

    /** Drops node {@code k}; a list left with one node takes its entries over. */
    private void removeNode(int k) {
        if (nodes == null) {
            adopt(EMPTY_NODE);
            n = 0;
            return;
        }
        if (k < n / 2) {
            System.arraycopy(nodes, first, nodes, first + 1, k);
            nodes[first++] = null;
        } else {
            System.arraycopy(nodes, first + k + 1, nodes, first + k, n - k - 1);
            nodes[first + n - 1] = null;
        }
        n--;
        if (n == 1) {
            adopt(nodes[first]);
            nodes = null;
            first = 0;
        }
    }


    // ---- StoredValue ----

    @Override
    public ListValue copy() {
        ListValue c = new ListValue();
        if (nodes == null) {
            c.adopt(copyNode());
        } else {
            c.nodes = new ListNode[n];
            for (int k = 0; k < n; k++) c.nodes[k] = node(k).copyNode();
        }
        c.n = n;
        c.size = size;
        return c;
    }

    /** Object headers and arrays as a 64-bit JVM with compressed pointers lays them out. */
    @Override
    public long memoryUsage() {
        long bytes = 48; // this object, its inherited node fields included
        if (nodes == null) return bytes + array(buf.length);
        bytes += array(4L * nodes.length);
        for (int k = 0; k < n; k++) bytes += 32 + array(node(k).buf.length);
        return bytes;
    }

    /** An array of {@code n} bytes of elements: a 16-byte header, 8-byte aligned. */
    private static long array(long n) {
        return (16 + n + 7) & ~7L;
    }

    // ---- positions ----

    /** A new cursor, not yet on any element. */
    public Cursor cursor() {
        return new Cursor();
    }

    /**
     * A position on one element, for walking the list in either direction and changing it there.
     * Valid until the list is changed other than through this cursor.
     */
    public final class Cursor {
        private int k = -1; // node index
        private int p;      // entry position in the node
        private ListNode node;

        /** Moves to the element at {@code index} (0 = head); false if there is none. */
        public boolean seek(long index) {
            if (index < 0 || index >= size) {
                k = -1;
                return false;
            }
            long i;
            if (index < size / 2) {
                k = 0;
                i = index;
                while (i >= node(k).count) i -= node(k++).count;
            } else {
                k = n - 1;
                long j = size - 1 - index;
                while (j >= node(k).count) j -= node(k--).count;
                i = node(k).count - 1 - j;
            }
            node = node(k);
            if (i < node.count / 2) {
                p = node.start;
                for (long x = 0; x < i; x++) p = node.next(p);
            } else {
                p = node.last();
                for (long x = node.count - 1; x > i; x--) p = node.prev(p);
            }
            return true;
        }

        /** Moves to the next element (towards the tail); false past the last. */
        public boolean next() {
            p = node.next(p);
            if (p < node.end) return true;
            return enter(k + 1, true);
        }

        /** Moves to the previous element (towards the head); false before the first. */
        public boolean prev() {
            if (p > node.start) {
                p = node.prev(p);
                return true;
            }
            return enter(k - 1, false);
        }

        /** Enters node {@code j} at its first or last element; false if there is no such node. */
        private boolean enter(int j, boolean atFirst) {
            if (j < 0 || j >= n) {
                k = -1;
                return false;
            }
            k = j;
            node = node(j);
            p = atFirst ? node.start : node.last();
            return true;
        }

        public void reply(Reply r) { node.reply(p, r); }

        public byte[] element() { return node.element(p); }

        public boolean matches(Needle needle) { return node.matches(p, needle); }

        /** Replaces the element here (LSET). */
        public void set(byte[] v, int off, int len) {
            p = node.replaceAt(p, v, off, len);
        }

        /**
         * Removes the element here and moves on in the direction of the walk ({@code forward}:
         * towards the tail); false if there is no element left that way.
         */
        public boolean remove(boolean forward) {
            ListNode nd = node;
            int before = !forward && p > nd.start ? nd.prev(p) : -1;
            int shift = nd.removeAt(p);
            size--;
            if (nd.count == 0) {
                removeNode(k);
                return forward ? enter(k, true) : enter(k - 1, false);
            }
            if (forward) {
                p += shift;
                return p < nd.end || enter(k + 1, true);
            }
            if (before >= 0) {
                p = before + shift;
                return true;
            }
            return enter(k - 1, false);
        }

        /**
         * Inserts an element before or after the one here (LINSERT). A full node passes the element
         * to its neighbour when it goes at the node's edge, or splits. The cursor is spent afterwards.
         */
        public void insert(boolean after, byte[] v, int off, int len, int fill) {
            fill = clampFill(fill);
            ListNode nd = node;
            int j = k, at = after ? nd.next(p) : p;
            size++;
            k = -1;
            if (nd.allowInsert(len, fill)) {
                nd.insertAt(at, v, off, len);
                return;
            }
            boolean atTail = at == nd.end, atHead = at == nd.start;
            if (atTail && j + 1 < n && node(j + 1).allowInsert(len, fill)) {
                node(j + 1).pushHead(v, off, len);
            } else if (atHead && j > 0 && node(j - 1).allowInsert(len, fill)) {
                node(j - 1).pushTail(v, off, len);
            } else if (atTail || atHead) {
                insertNode(atTail ? j + 1 : j, fresh(v, off, len));
            } else {
                int moved = 0;
                for (int q = at; q < nd.end; q = nd.next(q)) moved++;
                ListNode right = nd.splitAt(at, moved);
                insertNode(j + 1, right);
                nd = node(j); // this list's own node moved out into the array
                if (nd.allowInsert(len, fill)) nd.pushTail(v, off, len);
                else if (right.allowInsert(len, fill)) right.pushHead(v, off, len);
                else insertNode(j + 1, fresh(v, off, len));
            }
        }
    }

    private static ListNode fresh(byte[] v, int off, int len) {
        ListNode node = new ListNode(ListNode.entrySize(v, off, len));
        node.pushTail(v, off, len);
        return node;
    }
}
