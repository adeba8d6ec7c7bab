package io.kvasir.store;

/**
 * A collection whose small form is a byte string that, once stored, lives packed into its key's
 * table entry ({@link Table#putPacked}) instead of in an object of its own: no object, array header
 * or reference per key. A hash's or set's large form is an object (a {@link Table}) held here, and
 * this value is then stored as the entry's object ({@link #large}); a sorted set's is another class
 * ({@link ZSetSkiplist}), which its command stores in this one's place.
 *
 * <p>{@code form} is the small form in an array of its own (a value built before it is stored),
 * the large form, or null: the small form is the payload of slot {@link #slot} of
 * {@link #entries}, read in place ({@link #packed}, from {@link #base} to {@link #end}) and
 * replaced there when a write changes its size ({@link #written}). Such a view is made per access
 * by {@link Entry#value} and, like every slot handle, is valid until another key of that table is
 * added or removed (which may move slots): a command holding views of two keys must finish with
 * them before it adds or deletes a key, or {@link #detach} them (a lookup of a further key may
 * delete it as expired). A view used after its slot moved throws rather than reads another key's
 * bytes.
 */
abstract sealed class PackedValue implements StoredValue permits HashValue, SetValue, ZSetListpack {
    protected Object form;
    private Table entries;
    private int slot;
    private int hash; // of the key in slot, to notice a moved slot

    PackedValue(Object form) {
        this.form = form;
    }

    PackedValue(Table entries, int slot) {
        packedAt(entries, slot);
    }

    /** True while the small form is in use (packed into the entry or in its own array). */
    final boolean small() { return form == null || form instanceof byte[]; }

    /** A small form is stored packed into its entry (a copy when it already is packed into another), and this object then reads it there. */
    @Override
    public final byte[] packedForm() {
        if (form == null) return ownCopy();
        return form instanceof byte[] p ? p : null;
    }

    @Override
    public final void packedAt(Table t, int s) {
        form = null;
        entries = t;
        slot = s;
        hash = t.hashAt(s);
    }

    @Override
    public final void detach() {
        if (form != null) return;
        form = ownCopy();
        entries = null;
    }

    /** The array holding the small form (from {@link #base} to {@link #end}). */
    final byte[] packed() {
        if (form != null) return (byte[]) form;
        if (!entries.occupied(slot) || entries.hashAt(slot) != hash) throw new IllegalStateException("a view of a moved slot");
        return entries.stringArray(slot);
    }

    final int base() { return form == null ? entries.stringOffset(slot) : 0; }

    final int end(byte[] p, int base) { return form == null ? base + entries.stringLength(slot) : p.length; }

    /** The small form as an array of its own (a copy when it is packed into the entry). */
    final byte[] ownCopy() {
        byte[] p = packed();
        int base = base();
        return java.util.Arrays.copyOfRange(p, base, end(p, base));
    }

    /** Keeps the small form a write returned: {@code p} itself when changed in place, else a new form. */
    final void written(byte[] p, byte[] out) {
        if (out == p) return;
        if (form == null) entries.setPacked(slot, out, 0, out.length);
        else form = out;
    }

    /** Switches to the large form; a value packed into its entry becomes the entry's object. */
    final void large(Table t) {
        if (form == null) entries.setObject(slot, this);
        form = t;
        entries = null;
    }

    /** The object (16 bytes) and its table or own array; nothing beyond its entry when packed into it. */
    @Override
    public final long memoryUsage() {
        if (form == null) return 0;
        return 16 + (form instanceof Table t ? t.heapBytes() : (16L + ((byte[]) form).length + 7) & ~7L);
    }
}
