package io.kvasir.store;

/**
 * What the store itself tells keyspace notifications (notify-keyspace-events, implemented outside
 * the store): a key was created, a key was deleted because its deadline passed. Commands report
 * the rest of the events themselves.
 *
 * <p>The keyspace holds a follower only while one of these events is wanted ({@link Keyspace#notices});
 * otherwise a write pays one field read and a branch for it. Both are called with the key's stripe
 * locked, before the write's own events.
 */
public interface KeyNotices {
    /**
     * The key {@code k[off, off+len)} of database {@code db} was just added (Redis's "new"): a write to
     * a missing key, and RENAME, MOVE and COPY, which replace their destination rather than overwrite it.
     */
    void created(int db, byte[] k, int off, int len);

    /** The key of database {@code db} is being deleted because its deadline passed ("expired"), lazily or actively. */
    void expired(int db, byte[] k, int off, int len);
}
