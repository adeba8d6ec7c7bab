package io.kvasir.store;

/**
 * One logical database. Every method expects the caller to hold the lock of the stripe of the
 * key it names (the dispatcher takes it from the command table's key positions).
 *
 * <p>Lookups expire lazily: a key past its deadline is deleted when it is looked up and
 * reported absent, so an expired key is never returned. Its deletion is told to the
 * {@link KeyEvents} followers, as Redis signals it, and to {@link KeyNotices}. Writes tell
 * {@link KeyNotices} of the keys they create.
 */
public final class Db {
    private final Keyspace keyspace;
    private final int index;

    Db(Keyspace keyspace, int index) {
        this.keyspace = keyspace;
        this.index = index;
    }

    public int index() { return index; }
    public Keyspace keyspace() { return keyspace; }

    public Stripe stripeFor(byte[] k, int off, int len) { return keyspace.stripeFor(k, off, len); }

    /**
     * Points {@code e} at the key if it exists and has not expired; returns false otherwise.
     * An expired key found here is deleted.
     */
    public boolean lookup(byte[] k, int off, int len, Entry e) {
        return lookup(keyspace.stripeFor(k, off, len), k, off, len, e);
    }

    /** {@link #lookup(byte[], int, int, Entry)} with the key's stripe already known. */
    public boolean lookup(Stripe stripe, byte[] k, int off, int len, Entry e) {
        Table t = stripe.table(index);
        if (t == null) return false;
        int hash = Hashing.hash(k, off, len);
        int s = t.find(k, off, len, hash);
        if (s == Table.NONE) return false;
        long at = t.expireAt(s);
        if (at != Table.NO_EXPIRE && at <= Clock.now()) {
            keyspace.expireOnAccess(index, t, s);
            return false;
        }
        e.set(this, t, s);
        return true;
    }

    /** True if the key is stored, whether or not its deadline has passed (Redis's dictFind). */
    public boolean present(byte[] k, int off, int len) {
        Table t = keyspace.stripeFor(k, off, len).table(index);
        return t != null && t.find(k, off, len, Hashing.hash(k, off, len)) != Table.NONE;
    }

    /** True if the key is stored but its deadline has passed: it is logically gone, not yet reclaimed. */
    public boolean expired(byte[] k, int off, int len) {
        Table t = keyspace.stripeFor(k, off, len).table(index);
        if (t == null) return false;
        int s = t.find(k, off, len, Hashing.hash(k, off, len));
        if (s == Table.NONE) return false;
        long at = t.expireAt(s);
        return at != Table.NO_EXPIRE && at <= Clock.now();
    }

    /** True if the key exists and has not expired. Unlike {@link #lookup} these three delete nothing and touch nothing. */
    public boolean live(byte[] k, int off, int len) {
        return present(k, off, len) && !expired(k, off, len);
    }

    /** Stores a string value, as an integer when it is one; returns the entry via {@code e}. */
    public void putString(byte[] k, int off, int len, byte[] v, int voff, int vlen, long expireAt, Entry e) {
        putString(keyspace.stripeFor(k, off, len), k, off, len, v, voff, vlen, expireAt, e);
    }

    /** {@link #putString(byte[], int, int, byte[], int, int, long, Entry)} with the key's stripe known. */
    public void putString(Stripe stripe, byte[] k, int off, int len, byte[] v, int voff, int vlen, long expireAt, Entry e) {
        if (vlen <= 20 && io.kvasir.protocol.Numbers.isLong(v, voff, vlen)) {
            putLong(stripe, k, off, len, io.kvasir.protocol.Numbers.parseLong(v, voff, vlen), expireAt, e);
            return;
        }
        Table t = stripe.tableForWrite(index);
        int hash = Hashing.hash(k, off, len);
        KeyNotices n = beforeWrite(t, k, off, len, hash);
        int before = t.size();
        stored(t, t.putString(k, off, len, hash, v, voff, vlen, expireAt), before, e, n, k, off, len);
    }

    /** Stores a string value as these bytes, never int-encoded (INCRBYFLOAT and SETRANGE results). */
    public void putBytes(byte[] k, int off, int len, byte[] v, long expireAt, Entry e) {
        Table t = keyspace.stripeFor(k, off, len).tableForWrite(index);
        int hash = Hashing.hash(k, off, len);
        KeyNotices n = beforeWrite(t, k, off, len, hash);
        int before = t.size();
        int s = t.putString(k, off, len, hash, v, 0, v.length, expireAt);
        e.set(this, t, s);
        if (n != null && t.size() != before) n.created(index, k, off, len);
    }

    public void putLong(byte[] k, int off, int len, long v, long expireAt, Entry e) {
        putLong(keyspace.stripeFor(k, off, len), k, off, len, v, expireAt, e);
    }

    private void putLong(Stripe stripe, byte[] k, int off, int len, long v, long expireAt, Entry e) {
        Table t = stripe.tableForWrite(index);
        int hash = Hashing.hash(k, off, len);
        KeyNotices n = beforeWrite(t, k, off, len, hash);
        int before = t.size();
        stored(t, t.putLong(k, off, len, hash, v, expireAt), before, e, n, k, off, len);
    }

    /** Stores a collection (or any non-string) value under the type it declares. */
    public void putObject(byte[] k, int off, int len, StoredValue v, long expireAt, Entry e) {
        Table t = keyspace.stripeFor(k, off, len).tableForWrite(index);
        int hash = Hashing.hash(k, off, len);
        KeyNotices n = beforeWrite(t, k, off, len, hash);
        int before = t.size();
        byte[] packed = v.packedForm();
        if (packed == null) {
            stored(t, t.putObject(k, off, len, hash, v.type(), v, expireAt), before, e, n, k, off, len);
            return;
        }
        int s = t.putPacked(k, off, len, hash, v.type(), packed, 0, packed.length, expireAt);
        v.packedAt(t, s);
        stored(t, s, before, e, n, k, off, len);
    }

    /**
     * Stores the value of {@code src} (type, string encoding, deadline) under key {@code k} of
     * this database, replacing any value there. With {@code deep} (COPY) a collection is copied
     * and the value counts as new; otherwise (RENAME, MOVE, whose source is deleted next) a
     * collection is shared and the value keeps its access history. {@code src} may be in this
     * table: its fields are read before the insert. The caller has looked the destination up (so it
     * is not a key past its deadline, whose removal would move {@code src}). The key counts as created
     * even if it replaces another, as Redis deletes the destination and adds it anew.
     */
    public void putFrom(byte[] k, int off, int len, Entry src, boolean deep, Entry e) {
        Table st = src.table;
        int ss = src.slot;
        byte type = st.type(ss), flags = st.flags(ss);
        long at = st.expireAt(ss);
        int access = st.lru(ss);
        Table t = keyspace.stripeFor(k, off, len).tableForWrite(index);
        int hash = Hashing.hash(k, off, len);
        KeyNotices n = keyspace.notices;
        int s;
        if (st.isPacked(ss)) {
            // copied like a string's bytes (never shared), from a view that stays readable during the put
            s = t.putPacked(k, off, len, hash, type, st.stringArray(ss), st.stringOffset(ss), st.stringLength(ss), at);
        } else if (type != ValueType.STRING) {
            StoredValue v = (StoredValue) st.object(ss);
            s = t.putObject(k, off, len, hash, type, deep ? v.copy() : v, at);
        } else if (st.isLong(ss)) {
            s = t.putLong(k, off, len, hash, st.longValue(ss), at);
        } else {
            // the table copies the bytes (never sharing them), and views stay readable during the put
            s = t.putString(k, off, len, hash, st.stringArray(ss), st.stringOffset(ss), st.stringLength(ss), at);
        }
        t.flags(s, flags);
        t.lru(s, deep ? keyspace.newAccess() : access);
        e.set(this, t, s);
        if (n != null) n.created(index, k, off, len);
    }

    /**
     * Points {@code e} at a value just written to slot {@code s}. A new key, or any write outside
     * LFU mode, starts a fresh access field; an overwritten key keeps its LFU counter, as Redis's
     * value replacement does. (A command that looks the key up first, as SET does in Redis,
     * counts that access itself with {@link Entry#touch}.)
     */
    private void stored(Table t, int s, int sizeBefore, Entry e, KeyNotices n, byte[] k, int off, int len) {
        boolean added = t.size() != sizeBefore;
        if (added || !keyspace.lfu()) t.lru(s, keyspace.newAccess());
        e.set(this, t, s);
        if (added && n != null) n.created(index, k, off, len);
    }

    /**
     * Returns who follows keys created and expired, if anyone; then a key about to be written whose
     * deadline has passed is first deleted as expired, so that the write adds it anew ("expired",
     * then "new"), as Redis's lookup before a write does. Nobody following, the write just overwrites.
     */
    private KeyNotices beforeWrite(Table t, byte[] k, int off, int len, int hash) {
        KeyNotices n = keyspace.notices;
        if (n != null) {
            int s = t.find(k, off, len, hash);
            long at = s == Table.NONE ? Table.NO_EXPIRE : t.expireAt(s);
            if (at != Table.NO_EXPIRE && at <= Clock.now()) {
                keyspace.removeExpired(index, t, s);
                keyspace.expiredOnAccess();
            }
        }
        return n;
    }

    /** Deletes the key; true if it existed (and had not expired). */
    public boolean delete(byte[] k, int off, int len) {
        Table t = keyspace.stripeFor(k, off, len).table(index);
        if (t == null) return false;
        int s = t.find(k, off, len, Hashing.hash(k, off, len));
        if (s == Table.NONE) return false;
        boolean live = t.expireAt(s) == Table.NO_EXPIRE || t.expireAt(s) > Clock.now();
        if (live) {
            t.removeAt(s);
        } else {
            keyspace.removeExpired(index, t, s);
            keyspace.expiredOnAccess();
        }
        return live;
    }

    /** Number of keys (expired ones not yet reclaimed included, as Redis's DBSIZE). */
    public long size() {
        long n = 0;
        for (int i = 0; i < Keyspace.STRIPES; i++) {
            Table t = keyspace.stripe(i).table(index);
            if (t != null) n += t.size();
        }
        return n;
    }

    public long expiring() {
        long n = 0;
        for (int i = 0; i < Keyspace.STRIPES; i++) {
            Table t = keyspace.stripe(i).table(index);
            if (t != null) n += t.expiring();
        }
        return n;
    }

    /** Empties the database; the caller holds every stripe lock. */
    public void clear() {
        keyspace.events().flushing(index);
        for (int i = 0; i < Keyspace.STRIPES; i++) {
            Table t = keyspace.stripe(i).table(index);
            if (t != null) t.clear();
        }
    }
}
