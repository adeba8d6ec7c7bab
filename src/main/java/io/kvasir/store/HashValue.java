package io.kvasir.store;

import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * A hash. Encoded as Redis 7.0 encodes one: {@link PackedPairs} ("listpack") while it has at most
 * {@code hash-max-listpack-entries} fields and no field or value longer than
 * {@code hash-max-listpack-value} bytes, else a {@link Table} from field to value ("hashtable").
 * The conversion happens once, never back.
 *
 * <p>A stored listpack hash has no object of its own: it is packed into its key's table entry
 * (see {@link PackedValue}).
 *
 * <p>Pairs are addressed by handles: a position in the packed array, or a slot of the table. A
 * handle, and the array its bytes are read from, are valid until the next write. Field and value
 * of a pair are always in the same array ({@link #array}).
 */
public final class HashValue extends PackedValue {
    /** Receives pairs; the bytes are valid only during the call. */
    @FunctionalInterface
    public interface PairVisitor {
        void pair(byte[] b, int fieldOff, int fieldLen, int valueOff, int valueLen);
    }

    public static final int NONE = -1;

    public HashValue() {
        super(PackedPairs.empty());
    }

    private HashValue(Object form) {
        super(form);
    }

    private HashValue(Table entries, int slot) {
        super(entries, slot);
    }

    /** The listpack hash packed into the entry at slot {@code s} of {@code t}. */
    static HashValue packedIn(Table t, int s) {
        return new HashValue(t, s);
    }

    @Override public byte type() { return ValueType.HASH; }

    @Override public String encoding() { return form instanceof Table ? "hashtable" : "listpack"; }

    public int size() {
        if (form instanceof Table t) return t.size();
        byte[] p = packed();
        int base = base();
        return PackedPairs.count(p, base, end(p, base));
    }

    /** The handle of {@code field}, or {@link #NONE}. */
    public int find(byte[] f, int off, int len) {
        if (form instanceof Table t) return t.find(f, off, len, Hashing.hash(f, off, len));
        byte[] p = packed();
        int base = base();
        return PackedPairs.find(p, base, end(p, base), f, off, len);
    }

    public byte[] array(int h) {
        return form instanceof Table t ? t.keyArray(h) : packed();
    }

    public int fieldOffset(int h) {
        return form instanceof Table t ? t.keyOffset(h) : PackedPairs.fieldOffset(packed(), h);
    }

    public int fieldLength(int h) {
        return form instanceof Table t ? t.keyLength(h) : PackedPairs.fieldLength(packed(), h);
    }

    public int valueOffset(int h) {
        return form instanceof Table t ? t.stringOffset(h) : PackedPairs.valueOffset(packed(), h);
    }

    public int valueLength(int h) {
        return form instanceof Table t ? t.stringLength(h) : PackedPairs.valueLength(packed(), h);
    }

    /**
     * Sets {@code field} to {@code value}; true if the field is new. A field or value longer than
     * the listpack value limit, or a field count past the entry limit, converts to a table.
     */
    public boolean set(byte[] f, int foff, int flen, byte[] v, int voff, int vlen, EncodingLimits limits) {
        if (!(form instanceof Table)) {
            int max = limits.hashMaxValue();
            if (flen <= max && vlen <= max) {
                byte[] p = packed();
                int base = base(), end = end(p, base);
                int at = PackedPairs.find(p, base, end, f, foff, flen);
                written(p, at >= 0 ? PackedPairs.replaceValue(p, base, end, at, v, voff, vlen)
                        : PackedPairs.append(p, base, end, f, foff, flen, v, voff, vlen));
                // checked after updates too, as Redis does: a lowered limit converts at the next write
                if (size() > limits.hashMaxEntries()) toTable();
                return at < 0;
            }
            toTable();
        }
        Table t = (Table) form;
        int size = t.size();
        t.putString(f, foff, flen, Hashing.hash(f, foff, flen), v, voff, vlen, Table.NO_EXPIRE);
        return t.size() != size;
    }

    private void toTable() {
        Table t = new Table();
        forEach((b, fo, fl, vo, vl) -> t.putString(b, fo, fl, Hashing.hash(b, fo, fl), b, vo, vl, Table.NO_EXPIRE));
        large(t);
    }

    /** Removes {@code field}; true if it was there. */
    public boolean remove(byte[] f, int off, int len) {
        int h = find(f, off, len);
        if (h == NONE) return false;
        if (form instanceof Table t) {
            t.removeAt(h);
        } else {
            byte[] p = packed();
            int base = base();
            written(p, PackedPairs.remove(p, base, end(p, base), h));
        }
        return true;
    }

    /** Visits every pair: a listpack in insertion order, a table in its hash order. */
    public void forEach(PairVisitor v) {
        if (form instanceof Table t) {
            t.forEach((tb, s) -> visit(tb, s, v));
            return;
        }
        byte[] p = packed();
        int base = base(), end = end(p, base);
        for (int at = PackedPairs.first(base); at < end; at = PackedPairs.next(p, at)) {
            int fo = PackedPairs.fieldOffset(p, at), fl = PackedPairs.fieldLength(p, at);
            v.pair(p, fo, fl, fo + fl, PackedPairs.valueLength(p, at));
        }
    }

    private static void visit(Table t, int s, PairVisitor v) {
        v.pair(t.keyArray(s), t.keyOffset(s), t.keyLength(s), t.stringOffset(s), t.stringLength(s));
    }

    /**
     * HSCAN: visits the pairs from {@code cursor} on, about {@code count} of them, and returns the
     * cursor to continue from (0 when done). A listpack is visited whole in one call, as Redis does.
     */
    public long scan(long cursor, int count, PairVisitor v) {
        if (!(form instanceof Table t)) {
            forEach(v);
            return 0;
        }
        return CollectionTables.scan(t, cursor, count, (tb, s) -> visit(tb, s, v));
    }

    // ---- random access by handle ----

    /** Draws pair handles uniformly at random, with repetition, until the next write; the hash must not be empty. */
    public IntSupplier sampler(RandomGenerator random) {
        if (form instanceof Table t) return () -> CollectionTables.randomSlot(t, random);
        int[] h = handles();
        return () -> h[random.nextInt(h.length)];
    }

    /** Every pair's handle, in {@link #forEach} order. */
    public int[] handles() {
        if (form instanceof Table t) return CollectionTables.slots(t);
        byte[] p = packed();
        int base = base(), end = end(p, base);
        int[] h = new int[PackedPairs.count(p, base, end)];
        for (int i = 0, at = PackedPairs.first(base); at < end; at = PackedPairs.next(p, at)) h[i++] = at;
        return h;
    }

    @Override
    public StoredValue copy() {
        if (small()) return new HashValue(ownCopy());
        HashValue c = new HashValue(new Table());
        Table to = (Table) c.form;
        forEach((b, fo, fl, vo, vl) -> to.putString(b, fo, fl, Hashing.hash(b, fo, fl), b, vo, vl, Table.NO_EXPIRE));
        return c;
    }
}
