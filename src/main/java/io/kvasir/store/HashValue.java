package io.kvasir.store;

import java.util.Arrays;
import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * A hash. Encoded as Redis 7.0 encodes one: {@link PackedPairs} ("listpack") while it has at most
 * {@code hash-max-listpack-entries} fields and no field or value longer than
 * {@code hash-max-listpack-value} bytes, else a {@link Table} from field to value ("hashtable").
 * The conversion happens once, never back.
 *
 * <p><b>Where it lives.</b> A stored listpack hash has no object of its own: its form is packed
 * into its key's table entry ({@link Table#putPacked}), which saves the object, the array header
 * and the reference (about 40 bytes a key). {@link Entry#value} then hands out a view
 * ({@link #packedIn}) that reads the form in place and writes a changed form back into the entry;
 * like every handle on a table, the view is valid until the next write to another key of that
 * table. A new hash is built in an array of its own and packed when stored ({@link #packedForm}).
 * A hashtable hash is this object, stored as the entry's object.
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

    /** A byte[] (a listpack of its own), a Table (hashtable), or null: a listpack packed into {@link #entries}. */
    private Object form;
    private Table entries;
    private int slot;

    public HashValue() {
        this.form = PackedPairs.empty();
    }

    private HashValue(Object form) {
        this.form = form;
    }

    /** The listpack hash packed into the entry at slot {@code s} of {@code t}. */
    static HashValue packedIn(Table t, int s) {
        HashValue h = new HashValue(null);
        h.entries = t;
        h.slot = s;
        return h;
    }

    @Override public byte type() { return ValueType.HASH; }

    @Override public String encoding() { return form instanceof Table ? "hashtable" : "listpack"; }

    /** A listpack not stored yet is stored packed into its entry, and this object then reads it there. */
    @Override
    public byte[] packedForm() {
        return form instanceof byte[] p ? p : null;
    }

    @Override
    public void packedAt(Table t, int s) {
        form = null;
        entries = t;
        slot = s;
    }

    // the listpack's bytes: the slice [base(), end) of packed()
    private byte[] packed() { return form == null ? entries.stringArray(slot) : (byte[]) form; }
    private int base() { return form == null ? entries.stringOffset(slot) : 0; }
    private int end(byte[] p, int base) { return form == null ? base + entries.stringLength(slot) : p.length; }

    /** Keeps a listpack a write returned: the same array when changed in place, else a new form. */
    private void written(byte[] p, byte[] out) {
        if (out == p) return;
        if (form == null) entries.setPacked(slot, out, 0, out.length);
        else form = out;
    }

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
        if (form == null) entries.setObject(slot, this);
        form = t;
        entries = null;
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
        if (!(form instanceof Table)) {
            byte[] p = packed();
            int base = base();
            return new HashValue(Arrays.copyOfRange(p, base, end(p, base)));
        }
        HashValue c = new HashValue(new Table());
        Table to = (Table) c.form;
        forEach((b, fo, fl, vo, vl) -> to.putString(b, fo, fl, Hashing.hash(b, fo, fl), b, vo, vl, Table.NO_EXPIRE));
        return c;
    }

    /** The object (16 bytes) and its table or own array; nothing beyond its entry when packed into it. */
    @Override
    public long memoryUsage() {
        if (form == null) return 0;
        return 16 + (form instanceof Table t ? t.heapBytes() : (16L + ((byte[]) form).length + 7) & ~7L);
    }
}
