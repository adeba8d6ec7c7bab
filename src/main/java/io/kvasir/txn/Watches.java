package io.kvasir.txn;

import io.kvasir.store.Db;
import io.kvasir.store.KeyEvents;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Stripe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The keys WATCHed by all clients: optimistic locking for MULTI/EXEC. A watcher whose key changes
 * (see {@link KeyEvents} for what counts as a change) is marked dirty, and its next EXEC runs
 * nothing.
 *
 * <p>Expiry, as in Redis 7.0: a key that had already expired (but was not yet reclaimed) when it
 * was watched is noted so; its reclaiming is then no change, though writing it again is. A key
 * live when watched that expires before EXEC fails the EXEC, reclaimed or not.
 *
 * <p>Locking: per stripe, a map from watched key to its watches, guarded by the stripe's lock.
 * WATCH adds under the key's lock (the dispatcher holds it: WATCH's arguments are keys), and a
 * command that changes the key holds the same lock, so the two are ordered. EXEC holds the locks
 * of the watched keys while it checks and runs, so no change slips in between. While nobody
 * watches anything, {@link #modified} returns after one read of a counter.
 */
public final class Watches implements KeyEvents {
    private final Keyspace keyspace;
    private final Map<Key, ArrayList<Watched>>[] byStripe;
    /** Watched (key, client) pairs, anywhere. */
    final AtomicInteger watched = new AtomicInteger();

    @SuppressWarnings("unchecked")
    public Watches(Keyspace keyspace) {
        this.keyspace = keyspace;
        byStripe = new Map[Keyspace.STRIPES];
        for (int i = 0; i < byStripe.length; i++) byStripe[i] = new HashMap<>();
    }

    /** A key of one database. A probe (for lookups) views the caller's bytes; stored keys own theirs. */
    static final class Key {
        final int db;
        final byte[] bytes;
        final int off, len, stripe, hash;

        Key(int db, byte[] bytes, int off, int len, int stripe) {
            this.db = db;
            this.bytes = bytes;
            this.off = off;
            this.len = len;
            this.stripe = stripe;
            int h = 31 * db;
            for (int i = off; i < off + len; i++) h = 31 * h + bytes[i];
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.db == db && k.hash == hash
                    && Arrays.equals(k.bytes, k.off, k.off + k.len, bytes, off, off + len);
        }

        @Override
        public int hashCode() { return hash; }
    }

    /** One client's watch on one key; {@code expired} is guarded by the key's stripe lock. */
    static final class Watched {
        final Key key;
        final Watcher owner;
        /** The key was stored but past its deadline when watched (Redis's watchedKey.expired). */
        boolean expired;

        Watched(Key key, Watcher owner, boolean expired) {
            this.key = key;
            this.owner = owner;
            this.expired = expired;
        }
    }

    /**
     * Watches the key {@code k[off, off+len)} of database {@code db} for {@code w}; watching it
     * again does nothing. The caller holds the key's stripe lock.
     */
    public void watch(Watcher w, int db, byte[] k, int off, int len) {
        int stripe = Keyspace.stripeOf(k, off, len);
        Key probe = new Key(db, k, off, len, stripe);
        for (Watched mine : w.keys) if (mine.key.equals(probe)) return;
        Key key = new Key(db, Arrays.copyOfRange(k, off, off + len), 0, len, stripe);
        Watched entry = new Watched(key, w, keyspace.db(db).expired(k, off, len));
        byStripe[stripe].computeIfAbsent(key, x -> new ArrayList<>(1)).add(entry);
        w.keys.add(entry);
        watched.incrementAndGet();
    }

    /**
     * Forgets every key {@code w} watches and its dirty mark. Locks each key's stripe in turn, so
     * the caller holds no stripe lock, or (EXEC) holds those of all the watched keys already.
     */
    public void unwatchAll(Watcher w) {
        for (Watched entry : w.keys) {
            Stripe stripe = keyspace.stripe(entry.key.stripe);
            stripe.lock();
            try {
                Map<Key, ArrayList<Watched>> map = byStripe[entry.key.stripe];
                ArrayList<Watched> list = map.get(entry.key);
                list.remove(entry);
                if (list.isEmpty()) map.remove(entry.key);
            } finally {
                stripe.unlock();
            }
        }
        watched.addAndGet(-w.keys.size());
        w.keys.clear();
        w.clean();
    }

    /**
     * True if a key {@code w} watched while it was live has expired since, even if not yet
     * reclaimed: EXEC then runs nothing. The caller holds the watched keys' stripe locks.
     */
    public boolean expiredSinceWatched(Watcher w) {
        for (Watched entry : w.keys) {
            Key k = entry.key;
            if (!entry.expired && keyspace.db(k.db).expired(k.bytes, 0, k.len)) return true;
        }
        return false;
    }

    @Override
    public void modified(int db, byte[] k, int off, int len) {
        if (watched.get() == 0) return;
        int stripe = Keyspace.stripeOf(k, off, len);
        Map<Key, ArrayList<Watched>> map = byStripe[stripe];
        if (map.isEmpty()) return;
        ArrayList<Watched> list = map.get(new Key(db, k, off, len, stripe));
        if (list == null) return;
        for (Watched entry : list) {
            // a key already expired when watched, now reclaimed (or about to be): logically no change
            if (entry.expired && !keyspace.db(db).live(k, off, len)) entry.expired = false;
            else entry.owner.touch();
        }
    }

    /** As Redis: a flush touches the watched keys it deletes, unless they had already expired when watched. */
    @Override
    public void flushing(int db) {
        if (watched.get() == 0) return;
        Db d = keyspace.db(db);
        for (Map<Key, ArrayList<Watched>> map : byStripe) {
            for (Map.Entry<Key, ArrayList<Watched>> e : map.entrySet()) {
                Key k = e.getKey();
                if (k.db != db || !d.present(k.bytes, 0, k.len)) continue;
                for (Watched entry : e.getValue()) {
                    if (entry.expired) entry.expired = false;
                    else entry.owner.touch();
                }
            }
        }
    }

    /**
     * As Redis: a watched key of either database is touched if it is stored on either side, except
     * that a key expired when watched stays untouched if it is gone or expired after the swap, and
     * a key absent when watched that an expired one replaces counts as watched expired.
     */
    @Override
    public void swapping(int a, int b) {
        if (watched.get() == 0) return;
        for (Map<Key, ArrayList<Watched>> map : byStripe) {
            for (Map.Entry<Key, ArrayList<Watched>> e : map.entrySet()) {
                Key k = e.getKey();
                if (k.db != a && k.db != b) continue;
                Db here = keyspace.db(k.db), there = keyspace.db(k.db == a ? b : a);
                boolean inHere = here.present(k.bytes, 0, k.len), inThere = there.present(k.bytes, 0, k.len);
                if (!inHere && !inThere) continue;
                boolean expiredThere = there.expired(k.bytes, 0, k.len);
                for (Watched entry : e.getValue()) {
                    if (entry.expired) {
                        if (!inThere) {
                            entry.expired = false;
                            continue;
                        }
                        if (expiredThere) continue;
                    } else if (!inHere && expiredThere) {
                        entry.expired = true;
                        continue;
                    }
                    entry.owner.touch();
                }
            }
        }
    }
}
