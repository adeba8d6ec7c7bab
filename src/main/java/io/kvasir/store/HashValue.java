package io.kvasir.store;

import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * A hash. Encoded as Redis 7.0 encodes one: {@link PackedPairs} ("listpack") while it has at most
 * {@code hash-max-listpack-entries} fields and no field or value longer than
 * {@code hash-max-listpack-value} bytes, else a {@link Table} from field to value ("hashtable").
 * The conversion happens once, never back.
 *
 * <p>Pairs are addressed by handles: a position in the packed array, or a slot of the table. A
 * handle, and the array its bytes are read from, are valid until the next write. Field and value
 * of a pair are always in the same array ({@link #array}).
 */
public final class HashValue implements StoredValue {
    /** Receives pairs; the bytes are valid only during the call. */
    @FunctionalInterface
    public interface PairVisitor {
        void pair(byte[] b, int fieldOff, int fieldLen, int valueOff, int valueLen);
    }

    public static final int NONE = -1;

    private Object form; // a byte[] (PackedPairs) or a Table

    public HashValue() {
        this.form = PackedPairs.empty();
    }

    private HashValue(Object form) {
        this.form = form;
    }

    @Override public byte type() { return ValueType.HASH; }

    @Override public String encoding() { return form instanceof Table ? "hashtable" : "listpack"; }

    public int size() {
        return form instanceof Table t ? t.size() : PackedPairs.count((byte[]) form);
    }

    /** The handle of {@code field}, or {@link #NONE}. */
    public int find(byte[] f, int off, int len) {
        if (form instanceof Table t) return t.find(f, off, len, Hashing.hash(f, off, len));
        return PackedPairs.find((byte[]) form, f, off, len);
    }

    public byte[] array(int h) {
        return form instanceof Table t ? t.keyArray(h) : (byte[]) form;
    }

    public int fieldOffset(int h) {
        return form instanceof Table t ? t.keyOffset(h) : PackedPairs.fieldOffset((byte[]) form, h);
    }

    public int fieldLength(int h) {
        return form instanceof Table t ? t.keyLength(h) : PackedPairs.fieldLength((byte[]) form, h);
    }

    public int valueOffset(int h) {
        return form instanceof Table t ? t.stringOffset(h) : PackedPairs.valueOffset((byte[]) form, h);
    }

    public int valueLength(int h) {
        return form instanceof Table t ? t.stringLength(h) : PackedPairs.valueLength((byte[]) form, h);
    }

    /**
     * Sets {@code field} to {@code value}; true if the field is new. A field or value longer than
     * the listpack value limit, or a field count past the entry limit, converts to a table.
     */
    public boolean set(byte[] f, int foff, int flen, byte[] v, int voff, int vlen, EncodingLimits limits) {
        if (form instanceof byte[] p) {
            int max = limits.hashMaxValue();
            if (flen <= max && vlen <= max) {
                int at = PackedPairs.find(p, f, foff, flen);
                p = at >= 0 ? PackedPairs.replaceValue(p, at, v, voff, vlen) : PackedPairs.append(p, f, foff, flen, v, voff, vlen);
                form = p;
                // checked after updates too, as Redis does: a lowered limit converts at the next write
                if (PackedPairs.count(p) > limits.hashMaxEntries()) toTable();
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
        form = t;
    }

    /** Removes {@code field}; true if it was there. */
    public boolean remove(byte[] f, int off, int len) {
        int h = find(f, off, len);
        if (h == NONE) return false;
        if (form instanceof Table t) t.removeAt(h);
        else form = PackedPairs.remove((byte[]) form, h);
        return true;
    }

    /** Visits every pair: a listpack in insertion order, a table in its hash order. */
    public void forEach(PairVisitor v) {
        if (form instanceof Table t) {
            t.forEach((tb, s) -> visit(tb, s, v));
            return;
        }
        byte[] p = (byte[]) form;
        for (int at = PackedPairs.FIRST; at < p.length; at = PackedPairs.next(p, at)) {
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
        byte[] p = (byte[]) form;
        int[] h = new int[PackedPairs.count(p)];
        for (int i = 0, at = PackedPairs.FIRST; at < p.length; at = PackedPairs.next(p, at)) h[i++] = at;
        return h;
    }

    @Override
    public StoredValue copy() {
        if (form instanceof byte[] p) return new HashValue(p.clone());
        HashValue c = new HashValue(new Table());
        Table to = (Table) c.form;
        forEach((b, fo, fl, vo, vl) -> to.putString(b, fo, fl, Hashing.hash(b, fo, fl), b, vo, vl, Table.NO_EXPIRE));
        return c;
    }

    /** The object (16 bytes) and its packed array or table. */
    @Override
    public long memoryUsage() {
        return 16 + (form instanceof Table t ? t.heapBytes() : (16L + ((byte[]) form).length + 7) & ~7L);
    }
}
