package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * A set. Encoded as Redis 7.0 encodes one: an {@link IntSet} ("intset") while every member is an
 * integer and there are at most {@code set-max-intset-entries} of them, else a {@link Table} of
 * members with empty values ("hashtable"). The conversion happens once, never back.
 *
 * <p>A stored intset has no object of its own: it is packed into its key's table entry (see
 * {@link PackedValue}).
 *
 * <p>Members are addressed by handles for random access (SPOP, SRANDMEMBER): an index into the
 * intset, or a slot of the table; a handle is valid until the next write.
 */
public final class SetValue extends PackedValue {
    /** Receives members; the bytes are valid only during the call. */
    @FunctionalInterface
    public interface MemberVisitor {
        void member(byte[] b, int off, int len);
    }

    private static final byte[] NO_VALUE = new byte[0];

    private SetValue(Object form) {
        super(form);
    }

    private SetValue(Table entries, int slot) {
        super(entries, slot);
    }

    /** The intset packed into the entry at slot {@code s} of {@code t}. */
    static SetValue packedIn(Table t, int s) {
        return new SetValue(t, s);
    }

    /** An empty set in the intset encoding (where SINTERSTORE and friends build their results). */
    public static SetValue empty() {
        return new SetValue(IntSet.empty());
    }

    /** An empty set encoded for {@code first}, the member it is created with (as SADD creates one). */
    public static SetValue forMember(byte[] first, int off, int len) {
        return new SetValue(Numbers.isLong(first, off, len) ? IntSet.empty() : new Table());
    }

    @Override public byte type() { return ValueType.SET; }

    @Override public String encoding() { return form instanceof Table ? "hashtable" : "intset"; }

    public int size() {
        if (form instanceof Table t) return t.size();
        byte[] p = packed();
        int base = base();
        return IntSet.size(p, base, end(p, base));
    }

    /** The position of integer {@code v} in the intset, or {@code -(insertion point) - 1}. */
    private int search(long v) {
        byte[] p = packed();
        int base = base();
        return IntSet.search(p, base, end(p, base), v);
    }

    /** The member at index {@code i} of the intset. */
    private long get(int i) {
        return IntSet.get(packed(), base(), i);
    }

    public boolean contains(byte[] b, int off, int len) {
        if (form instanceof Table t) return t.find(b, off, len, Hashing.hash(b, off, len)) != Table.NONE;
        return Numbers.isLong(b, off, len) && search(Numbers.parseLong(b, off, len)) >= 0;
    }

    /** Adds a member; true if it was not there. Converts to a table past the intset limits. */
    public boolean add(byte[] b, int off, int len, EncodingLimits limits) {
        if (!(form instanceof Table)) {
            if (!Numbers.isLong(b, off, len)) {
                toTable();
            } else {
                long v = Numbers.parseLong(b, off, len);
                byte[] p = packed();
                int base = base(), end = end(p, base);
                int at = IntSet.search(p, base, end, v);
                if (at >= 0) return false;
                written(p, IntSet.insert(p, base, end, -at - 1, v));
                if (size() > limits.setMaxIntsetEntries()) toTable();
                return true;
            }
        }
        Table t = (Table) form;
        int hash = Hashing.hash(b, off, len);
        if (t.find(b, off, len, hash) != Table.NONE) return false;
        t.putString(b, off, len, hash, NO_VALUE, 0, 0, Table.NO_EXPIRE);
        return true;
    }

    private void toTable() {
        Table t = new Table();
        byte[] digits = new byte[20];
        for (int i = 0, n = size(); i < n; i++) {
            int len = Numbers.writeLong(get(i), digits, 0);
            t.putString(digits, 0, len, Hashing.hash(digits, 0, len), NO_VALUE, 0, 0, Table.NO_EXPIRE);
        }
        large(t);
    }

    /** Removes a member; true if it was there. */
    public boolean remove(byte[] b, int off, int len) {
        if (form instanceof Table t) {
            int s = t.find(b, off, len, Hashing.hash(b, off, len));
            if (s == Table.NONE) return false;
            t.removeAt(s);
            return true;
        }
        if (!Numbers.isLong(b, off, len)) return false;
        int at = search(Numbers.parseLong(b, off, len));
        if (at < 0) return false;
        removeAt(at);
        return true;
    }

    /** Visits every member: an intset in ascending order, a table in its hash order. */
    public void forEach(MemberVisitor v) {
        if (form instanceof Table t) {
            t.forEach((tb, s) -> v.member(tb.keyArray(s), tb.keyOffset(s), tb.keyLength(s)));
            return;
        }
        byte[] digits = new byte[20];
        for (int i = 0, n = size(); i < n; i++) v.member(digits, 0, Numbers.writeLong(get(i), digits, 0));
    }

    /**
     * SSCAN: visits the members from {@code cursor} on, about {@code count} of them, and returns
     * the cursor to continue from (0 when done). An intset is visited whole in one call, as Redis does.
     */
    public long scan(long cursor, int count, MemberVisitor v) {
        if (!(form instanceof Table t)) {
            forEach(v);
            return 0;
        }
        return CollectionTables.scan(t, cursor, count, (tb, s) -> v.member(tb.keyArray(s), tb.keyOffset(s), tb.keyLength(s)));
    }

    // ---- random access by handle ----

    /** Draws member handles uniformly at random, with repetition, until the next write; the set must not be empty. */
    public IntSupplier sampler(RandomGenerator random) {
        if (form instanceof Table t) return () -> CollectionTables.randomSlot(t, random);
        int n = size();
        return () -> random.nextInt(n);
    }

    /** Every member's handle, in {@link #forEach} order. */
    public int[] handles() {
        if (form instanceof Table t) return CollectionTables.slots(t);
        int[] h = new int[size()];
        for (int i = 0; i < h.length; i++) h[i] = i;
        return h;
    }

    /** Visits the member at handle {@code h}. */
    public void member(int h, MemberVisitor v) {
        if (form instanceof Table t) {
            v.member(t.keyArray(h), t.keyOffset(h), t.keyLength(h));
        } else {
            byte[] digits = new byte[20];
            v.member(digits, 0, Numbers.writeLong(get(h), digits, 0));
        }
    }

    /** Removes the member at handle {@code h}. */
    public void removeAt(int h) {
        if (form instanceof Table t) {
            t.removeAt(h);
        } else {
            byte[] p = packed();
            int base = base();
            written(p, IntSet.removeAt(p, base, end(p, base), h));
        }
    }

    @Override
    public StoredValue copy() {
        if (!(form instanceof Table t)) return new SetValue(ownCopy());
        SetValue c = new SetValue(new Table());
        Table to = (Table) c.form;
        t.forEach((tb, s) -> to.putString(tb.keyArray(s), tb.keyOffset(s), tb.keyLength(s), tb.hashAt(s),
                NO_VALUE, 0, 0, Table.NO_EXPIRE));
        return c;
    }
}
