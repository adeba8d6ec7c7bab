package io.kvasir.store;

/**
 * One logical database. Every method expects the caller to hold the lock of the stripe of the
 * key it names (the dispatcher takes it from the command table's key positions).
 *
 * <p>Lookups expire lazily: a key past its deadline is deleted when it is looked up and
 * reported absent, so an expired key is never returned.
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
        Table t = keyspace.stripeFor(k, off, len).table(index);
        if (t == null) return false;
        int hash = Hashing.hash(k, off, len);
        int s = t.find(k, off, len, hash);
        if (s == Table.NONE) return false;
        long at = t.expireAt(s);
        if (at != Table.NO_EXPIRE && at <= Clock.now()) {
            t.removeAt(s);
            return false;
        }
        e.set(this, t, s);
        return true;
    }

    /** Stores a string value, as an integer when it is one; returns the entry via {@code e}. */
    public void putString(byte[] k, int off, int len, byte[] v, int voff, int vlen, long expireAt, Entry e) {
        Table t = keyspace.stripeFor(k, off, len).tableForWrite(index);
        int hash = Hashing.hash(k, off, len);
        int s;
        if (vlen <= 20 && io.kvasir.protocol.Numbers.isLong(v, voff, vlen)) {
            s = t.putLong(k, off, len, hash, io.kvasir.protocol.Numbers.parseLong(v, voff, vlen), expireAt);
        } else {
            s = t.putString(k, off, len, hash, v, voff, vlen, expireAt);
        }
        e.set(this, t, s);
    }

    public void putLong(byte[] k, int off, int len, long v, long expireAt, Entry e) {
        Table t = keyspace.stripeFor(k, off, len).tableForWrite(index);
        int s = t.putLong(k, off, len, Hashing.hash(k, off, len), v, expireAt);
        e.set(this, t, s);
    }

    public void putObject(byte[] k, int off, int len, byte type, Object v, long expireAt, Entry e) {
        Table t = keyspace.stripeFor(k, off, len).tableForWrite(index);
        int s = t.putObject(k, off, len, Hashing.hash(k, off, len), type, v, expireAt);
        e.set(this, t, s);
    }

    /** Deletes the key; true if it existed (and had not expired). */
    public boolean delete(byte[] k, int off, int len) {
        Table t = keyspace.stripeFor(k, off, len).table(index);
        if (t == null) return false;
        int s = t.find(k, off, len, Hashing.hash(k, off, len));
        if (s == Table.NONE) return false;
        boolean live = t.expireAt(s) == Table.NO_EXPIRE || t.expireAt(s) > Clock.now();
        t.removeAt(s);
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
        for (int i = 0; i < Keyspace.STRIPES; i++) {
            Table t = keyspace.stripe(i).table(index);
            if (t != null) t.clear();
        }
    }
}
