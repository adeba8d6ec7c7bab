package io.kvasir.txn;

import java.util.ArrayList;

/**
 * The keys one client WATCHes, and whether one of them changed since (Redis's CLIENT_DIRTY_CAS,
 * the {@code d} of CLIENT LIST). The list is the client's own (its thread alone touches it); the
 * flag is set by whichever thread changes a watched key, under that key's stripe lock.
 */
public final class Watcher {
    final ArrayList<Watches.Watched> keys = new ArrayList<>(0);
    private volatile boolean dirty;

    /** True if a watched key changed: EXEC will not run the transaction. */
    public boolean dirty() { return dirty; }

    void touch() { dirty = true; }

    /** True if the client watches any key. */
    public boolean watching() { return !keys.isEmpty(); }

    /** How many keys are watched. */
    public int count() { return keys.size(); }

    /** The stripe of watched key {@code i}: EXEC locks it to check and run in one step. */
    public int stripe(int i) { return keys.get(i).key.stripe; }

    /** Forgets the change once the keys are unwatched (EXEC, DISCARD, UNWATCH, RESET). */
    void clean() { dirty = false; }
}
