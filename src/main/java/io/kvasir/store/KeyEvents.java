package io.kvasir.store;

/**
 * Who follows changes to keys: WATCH ({@code io.kvasir.txn.Watches}) and client-side caching
 * ({@code io.kvasir.tracking.Tracking}), told in turn through {@link #both}. This is Redis's
 * signalModifiedKey and its whole-database variants, and it is signalled exactly where Redis
 * signals, which is not everywhere a value is touched:
 *
 * <ul>
 *   <li>Commands call {@link #modified} (through {@code Call.keyModified}) when they change a key's
 *       value, delete it, rename it away or change its time to live, and only then: SADD adding
 *       nothing, DEL of a missing key, SET NX refused, EXPIRE NX refused change nothing. Some
 *       commands signal even when the value ends up equal (SET of the same value, HSET, LSET, LTRIM
 *       keeping everything, APPEND of ""), as Redis does; each family says where it signals.</li>
 *   <li>{@link Db#clear} and {@link Keyspace#swap} announce themselves ({@link #flushing},
 *       {@link #swapping}) while every stripe is locked and before anything moves, so a follower can
 *       still look at what the databases hold. A FLUSHDB or FLUSHALL then says once that it is done
 *       ({@link #flushed}), for followers that care about the command rather than each database.</li>
 *   <li>Expiry is a change: a key deleted because its deadline passed, when looked up or by the
 *       active cycle ({@link Keyspace#removeExpired}), is signalled like a deletion. (A watch tells
 *       that case apart, see {@code Watches}.)</li>
 * </ul>
 *
 * <p>{@link #modified} is called on every write, so an implementation must return at once when
 * nobody follows anything (one plain read, no allocation).
 */
public interface KeyEvents {
    /** The key {@code k[off, off+len)} of database {@code db} changed; the caller holds the key's stripe lock. */
    void modified(int db, byte[] k, int off, int len);

    /** Database {@code db} is about to be emptied; the caller holds every stripe lock. */
    void flushing(int db);

    /** Databases {@code a} and {@code b} are about to exchange contents; the caller holds every stripe lock. */
    void swapping(int a, int b);

    /**
     * A FLUSHDB or FLUSHALL has emptied its databases, after one {@link #flushing} per database; the
     * caller holds every stripe lock.
     */
    default void flushed() {}

    /** Tells {@code first}, then {@code second}. */
    static KeyEvents both(KeyEvents first, KeyEvents second) {
        return new Both(first, second);
    }

    /** Two followers told in turn. */
    record Both(KeyEvents first, KeyEvents second) implements KeyEvents {
        @Override
        public void modified(int db, byte[] k, int off, int len) {
            first.modified(db, k, off, len);
            second.modified(db, k, off, len);
        }

        @Override
        public void flushing(int db) {
            first.flushing(db);
            second.flushing(db);
        }

        @Override
        public void swapping(int a, int b) {
            first.swapping(a, b);
            second.swapping(a, b);
        }

        @Override
        public void flushed() {
            first.flushed();
            second.flushed();
        }
    }

    /** Follows nothing. */
    KeyEvents NONE = new KeyEvents() {
        @Override public void modified(int db, byte[] k, int off, int len) {}
        @Override public void flushing(int db) {}
        @Override public void swapping(int a, int b) {}
    };
}
