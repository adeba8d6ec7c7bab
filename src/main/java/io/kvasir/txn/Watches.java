package io.kvasir.txn;

import io.kvasir.store.Db;
import io.kvasir.store.KeyEvents;
import io.kvasir.store.Keyspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The keys WATCHed by all clients: optimistic locking for MULTI/EXEC. A watcher whose key changes
 * (see {@link KeyEvents} for what counts as a change) is marked dirty, and its next EXEC runs
 * nothing.
 *
 * <p>Per stripe, a map from watched key to its watchers, guarded by the stripe's lock: WATCH adds
 * under the key's lock (the dispatcher holds it, WATCH's arguments are keys), and a command that
 * changes the key holds the same lock, so the two are ordered. EXEC holds the locks of its
 * watched keys while it checks the flag and runs, so no change slips in between.
 *
 * <p>While nobody watches anything, {@link #modified} returns after one read of a counter.
 */
public final class Watches implements KeyEvents {
    private final Keyspace keyspace;
    private final Map<Key, ArrayList<Watcher>>[] byStripe;
    /** Watched (key, watcher) pairs, anywhere. */
    private final AtomicInteger watched = new AtomicInteger();

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

    /**
     * Watches the key {@code k[off, off+len)} of database {@code db} for {@code w}; watching it
     * again does nothing. The caller holds the key's stripe lock.
     */
    public void watch(Watcher w, int db, byte[] k, int off, int len) {
        int stripe = Keyspace.stripeOf(k, off, len);
        Key probe = new Key(db, k, off, len, stripe);
        for (Key mine : w.keys) if (mine.equals(probe)) return;
        Key key = new Key(db, Arrays.copyOfRange(k, off, off + len), 0, len, stripe);
        byStripe[stripe].computeIfAbsent(key, x -> new ArrayList<>(1)).add(w);
        w.keys.add(key);
        watched.incrementAndGet();
    }

    /**
     * Forgets every key {@code w} watches and its dirty mark. Locks each key's stripe in turn, so
     * the caller holds no stripe lock, or (EXEC) holds those of all the watched keys already.
     */
    public void unwatchAll(Watcher w) {
        for (Key key : w.keys) {
            var stripe = keyspace.stripe(key.stripe);
            stripe.lock();
            try {
                Map<Key, ArrayList<Watcher>> map = byStripe[key.stripe];
                ArrayList<Watcher> list = map.get(key);
                list.remove(w);
                if (list.isEmpty()) map.remove(key);
            } finally {
                stripe.unlock();
            }
        }
        watched.addAndGet(-w.keys.size());
        w.keys.clear();
        w.clean();
    }

    @Override
    public void modified(int db, byte[] k, int off, int len) {
        if (watched.get() == 0) return;
        int stripe = Keyspace.stripeOf(k, off, len);
        Map<Key, ArrayList<Watcher>> map = byStripe[stripe];
        if (map.isEmpty()) return;
        ArrayList<Watcher> list = map.get(new Key(db, k, off, len, stripe));
        if (list != null) for (Watcher w : list) w.touch();
    }

    /** As Redis: a watched key is touched by a flush only if it held a value that had not expired. */
    @Override
    public void flushing(int db) {
        if (watched.get() == 0) return;
        Db d = keyspace.db(db);
        forEach(db, key -> d.live(key.bytes, 0, key.len));
    }

    /**
     * As Redis: a watched key of either database is touched if it held a live value in that
     * database or will hold one after the swap.
     */
    @Override
    public void swapping(int a, int b) {
        if (watched.get() == 0) return;
        Db da = keyspace.db(a), db = keyspace.db(b);
        for (int which : new int[] {a, b}) {
            forEach(which, key -> da.live(key.bytes, 0, key.len) || db.live(key.bytes, 0, key.len));
        }
    }

    /** Marks the watchers of each watched key of database {@code db} that {@code changed} accepts. */
    private void forEach(int db, Predicate<Key> changed) {
        for (Map<Key, ArrayList<Watcher>> map : byStripe) {
            for (Map.Entry<Key, ArrayList<Watcher>> e : map.entrySet()) {
                if (e.getKey().db == db && changed.test(e.getKey())) for (Watcher w : e.getValue()) w.touch();
            }
        }
    }
}
