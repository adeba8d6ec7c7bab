package io.kvasir.tracking;

import io.kvasir.protocol.Args;
import io.kvasir.server.Client;
import io.kvasir.store.Hashing;
import io.kvasir.store.KeyEvents;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Stripe;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Server-assisted client-side caching (CLIENT TRACKING), as Redis 7.0 does it.
 *
 * <p><b>Default mode.</b> After a read-only command of a tracking client, the dispatcher calls
 * {@link #remember} with the command's keys, still holding their stripe locks. The table maps a
 * key name (of any database: Redis tracks names, not database entries) to the ids of the clients
 * that read it. When the key changes ({@link #modified}, under the same stripe lock, so a change
 * cannot slip between a read and its remembering), each of those clients still tracking is sent
 * one invalidation and the entry is forgotten. A client that tracked a key, turned tracking off
 * and on again is still told, as in Redis; a gone client is skipped. The tables are kept per
 * stripe and guarded by the stripe locks, like the keys themselves: a stripe holds a name in every
 * database, so one lock covers a name wherever it is read or changed.
 *
 * <p><b>BCAST mode.</b> Clients register key prefixes; every change of a key under a prefix is
 * collected on the changing thread and sent once that event-loop iteration is over, one message per
 * prefix with its keys sorted and deduplicated, as Redis sends them before it sleeps. A NOLOOP
 * client is not told of the keys its own commands changed.
 *
 * <p><b>Delivery.</b> A RESP3 client gets a push; a client redirecting to another sends there: a
 * push if that one speaks RESP3, else a pub/sub message on {@code __redis__:invalidate} if it is
 * subscribed to anything, else nothing. A client's own changes reach it after the reply of the
 * command that made them (Redis 7.0 holds them back until the command is over); everything else
 * goes through the receiver's queue for its own event loop. FLUSHDB and FLUSHALL send every
 * tracking client a null invalidation and empty the table; SWAPDB sends nothing.
 *
 * <p>While nobody tracks anything, {@link #modified} returns after one read of a counter.
 */
public final class Tracking implements KeyEvents {
    private static final Prefix[] NO_PREFIXES = new Prefix[0];
    private static final byte[] EVERY_KEY = new byte[0];

    private final Keyspace keyspace;
    private final Map<Long, Client> clients;
    /** Per stripe: key name → ids of the clients that read it; guarded by the stripe's lock. */
    private final HashMap<Key, Ids>[] tables;
    /** Tracked keys plus distinct prefixes: zero while there is nothing to invalidate. */
    private final AtomicLong followed = new AtomicLong();
    /** (key, client) pairs in the tables (INFO tracking_total_items). */
    private final AtomicLong items = new AtomicLong();
    private final AtomicInteger trackingClients = new AtomicInteger();
    /** Every prefix some client registered; changed under this object's lock. */
    private final TreeMap<byte[], Prefix> prefixMap = new TreeMap<>(Arrays::compareUnsigned);
    /** The values of {@link #prefixMap}, in order, as the writers read them. */
    private volatile Prefix[] prefixes = NO_PREFIXES;
    private volatile long maxKeys;
    private final AtomicBoolean limitScheduled = new AtomicBoolean();
    private final ThreadLocal<Batch> batches = ThreadLocal.withInitial(Batch::new);

    @SuppressWarnings("unchecked")
    public Tracking(Keyspace keyspace, Map<Long, Client> clients) {
        this.keyspace = keyspace;
        this.clients = clients;
        tables = new HashMap[Keyspace.STRIPES];
        for (int i = 0; i < tables.length; i++) tables[i] = new HashMap<>();
    }

    /** tracking-table-max-keys: past this many keys, keys are evicted with their invalidations (0: no limit). */
    public void maxKeys(long max) { maxKeys = max; }

    // ---- turning tracking on and off: on the client's thread ----

    /**
     * Turns tracking on for {@code c}, or changes its mode if it is on. The caller has checked what
     * Redis checks. BCAST adds {@code newPrefixes} to the client's prefixes, or the empty prefix (every
     * key) when none is given.
     */
    public void enable(Client c, Tracker.Mode mode, List<byte[]> newPrefixes) {
        Tracker t = c.tracker();
        if (t == null) c.tracker(t = new Tracker());
        if (t.mode() == null) trackingClients.incrementAndGet();
        t.brokenRedirect = false;
        t.mode(mode);
        if (mode.bcast()) {
            if (newPrefixes.isEmpty()) t.prefixes.add(EVERY_KEY);
            else t.prefixes.addAll(newPrefixes);
            register(c, t);
        }
    }

    /** Turns tracking off for {@code c} (CLIENT TRACKING OFF, RESET, disconnection); the keys it read stay tracked. */
    public void disable(Client c) {
        Tracker t = c.tracker();
        if (t == null || t.mode() == null) return;
        if (t.mode().bcast()) unregister(c, t);
        t.prefixes.clear();
        t.mode(null);
        t.caching(false);
        t.brokenRedirect = false;
        trackingClients.decrementAndGet();
    }

    private synchronized void register(Client c, Tracker t) {
        boolean changed = false;
        for (byte[] p : t.prefixes) {
            Prefix x = prefixMap.get(p);
            if (x == null) {
                prefixMap.put(p, x = new Prefix(p));
                followed.incrementAndGet();
                changed = true;
            }
            x.add(c, t.mode().noloop());
        }
        if (changed) prefixes = prefixMap.values().toArray(NO_PREFIXES);
    }

    private synchronized void unregister(Client c, Tracker t) {
        boolean changed = false;
        for (byte[] p : t.prefixes) {
            Prefix x = prefixMap.get(p);
            if (x != null && x.remove(c)) {
                prefixMap.remove(p);
                followed.decrementAndGet();
                changed = true;
            }
        }
        if (changed) prefixes = prefixMap.values().toArray(NO_PREFIXES);
    }

    // ---- remembering: the dispatcher, under the keys' stripe locks ----

    /**
     * Remembers that {@code c} read the keys in arguments {@code positions[0..n)} of {@code a}, if its
     * mode says so (default mode, and CLIENT CACHING as OPTIN or OPTOUT want it). The caller holds the
     * keys' stripe locks.
     */
    public void remember(Client c, Args a, int[] positions, int n) {
        Tracker t = c.tracker();
        if (t == null || !t.remembers()) return;
        long id = c.id();
        byte[] b = a.buf();
        for (int i = 0; i < n; i++) {
            int off = a.off(positions[i]), len = a.len(positions[i]);
            HashMap<Key, Ids> table = tables[Keyspace.stripeOf(b, off, len)];
            Key probe = new Key(b, off, len);
            Ids ids = table.get(probe);
            if (ids == null) {
                table.put(probe.copy(), ids = new Ids());
                followed.incrementAndGet();
            }
            if (ids.add(id)) items.incrementAndGet();
        }
        long max = maxKeys;
        if (max > 0 && keys() > max) scheduleLimit();
    }

    // ---- changes: KeyEvents ----

    @Override
    public void modified(int db, byte[] k, int off, int len) {
        if (followed.get() == 0) return;
        Prefix[] ps = prefixes;
        if (ps.length != 0) broadcastLater(ps, k, off, len);
        HashMap<Key, Ids> table = tables[Keyspace.stripeOf(k, off, len)];
        if (table.isEmpty()) return;
        Ids ids = table.remove(new Key(k, off, len));
        if (ids == null) return;
        forgotten(ids);
        invalidate(ids, Arrays.copyOfRange(k, off, off + len));
    }

    /** Database contents are exchanged, names stay: nothing to tell (Redis 7.0 tells nothing either). */
    @Override
    public void swapping(int a, int b) {}

    @Override
    public void flushing(int db) {}

    /** Every tracking client is told with a null key list, once per FLUSHDB or FLUSHALL, and the table is emptied. */
    @Override
    public void flushed() {
        if (trackingClients.get() > 0) {
            for (Client c : clients.values()) {
                Tracker t = c.tracker();
                Tracker.Mode m = t == null ? null : t.mode();
                if (m != null) deliver(c, t, m, c.resp() == 3 ? Messages.NULL3 : Messages.NULL2);
            }
        }
        long dropped = 0;
        for (HashMap<Key, Ids> table : tables) {
            dropped += table.size();
            table.clear();
        }
        followed.addAndGet(-dropped);
        items.set(0);
    }

    private void forgotten(Ids ids) {
        followed.decrementAndGet();
        items.addAndGet(-ids.size());
    }

    /** Tells the clients in {@code ids} that {@code key} changed; a NOLOOP client is not told of its own change. */
    private void invalidate(Ids ids, byte[] key) {
        byte[] payload = null;
        for (int i = 0; i < ids.capacity(); i++) {
            long id = ids.at(i);
            if (id == 0) continue;
            Client c = clients.get(id);
            Tracker t = c == null ? null : c.tracker();
            Tracker.Mode m = t == null ? null : t.mode();
            // a client that turned to BCAST is not told what it read before, as in Redis
            if (m == null || m.bcast() || (m.noloop() && c.channel().executingHere())) continue;
            if (payload == null) payload = Messages.key(key);
            deliver(c, t, m, payload);
        }
    }

    /** Sends {@code payload} to where {@code c}'s invalidations go. */
    private void deliver(Client c, Tracker t, Tracker.Mode m, byte[] payload) {
        if (m.redirect() == 0) {
            if (c.resp() == 3) c.channel().sendAfterReply(Messages.frame(payload, true));
            return;
        }
        Client to = clients.get(m.redirect());
        if (to == null) {
            t.brokenRedirect = true;
            if (c.resp() == 3) c.channel().sendAfterReply(Messages.brokenRedirect(m.redirect()));
        } else if (to.resp() == 3) {
            to.channel().sendAfterReply(Messages.frame(payload, true));
        } else if (to.subscribed()) {
            to.channel().sendAfterReply(Messages.frame(payload, false));
        }
    }

    // ---- BCAST ----

    private void broadcastLater(Prefix[] ps, byte[] k, int off, int len) {
        Batch batch = null;
        byte[] key = null;
        for (Prefix p : ps) {
            if (!p.matches(k, off, len)) continue;
            if (batch == null) {
                batch = batches.get();
                key = Arrays.copyOfRange(k, off, off + len);
            }
            batch.add(p, key, changer(p));
        }
        if (batch != null) batch.schedule();
    }

    /** The NOLOOP client of {@code p} whose own command makes the change being signalled, if any. */
    private static Client changer(Prefix p) {
        for (Client c : p.noloop) if (c.channel().executingHere()) return c;
        return null;
    }

    /** Sends the keys changed under {@code p} to its clients: all of them, or to a NOLOOP client those others changed. */
    private void broadcast(Prefix p, TreeMap<byte[], Client> changed) {
        byte[] all = null;
        for (Client c : p.clients) {
            Tracker t = c.tracker();
            Tracker.Mode m = t.mode();
            if (m == null || !m.bcast()) continue;
            byte[] payload;
            if (m.noloop() && changed.containsValue(c)) {
                List<byte[]> others = new ArrayList<>();
                for (Map.Entry<byte[], Client> e : changed.entrySet()) if (e.getValue() != c) others.add(e.getKey());
                if (others.isEmpty()) continue;
                payload = Messages.keys(others);
            } else {
                if (all == null) all = Messages.keys(changed.keySet());
                payload = all;
            }
            deliver(c, t, m, payload);
        }
    }

    /**
     * Runs {@code work} on this thread (the active expiry cycle), sending the BCAST invalidations of
     * the keys it changes once it is over, one message per prefix, as Redis does for a cycle.
     */
    public void collecting(Runnable work) {
        Batch b = batches.get();
        b.held = true;
        try {
            work.run();
        } finally {
            b.held = false;
            b.run();
        }
    }

    /**
     * The keys one thread changed under each prefix since its last broadcast, each with the NOLOOP
     * client that changed it (or null). An event loop sends them once its current iteration is over,
     * so the replies of the commands that made the changes go first and one message carries them all;
     * another thread sends at once, or at the end of what it runs through {@link #collecting}.
     */
    private final class Batch implements Runnable {
        private final TreeMap<Prefix, TreeMap<byte[], Client>> changes = new TreeMap<>();
        private boolean scheduled, held;

        void add(Prefix p, byte[] key, Client changer) {
            changes.computeIfAbsent(p, x -> new TreeMap<>(Arrays::compareUnsigned)).put(key, changer);
        }

        void schedule() {
            if (scheduled || held) return;
            EventExecutor here = ThreadExecutorMap.currentExecutor();
            if (here == null) {
                run();
                return;
            }
            scheduled = true;
            try {
                here.execute(this);
            } catch (RejectedExecutionException e) { // the server is closing
                run();
            }
        }

        @Override
        public void run() {
            scheduled = false;
            for (Map.Entry<Prefix, TreeMap<byte[], Client>> e; (e = changes.pollFirstEntry()) != null; ) {
                broadcast(e.getKey(), e.getValue());
            }
        }
    }

    // ---- tracking-table-max-keys ----

    private void scheduleLimit() {
        EventExecutor here = ThreadExecutorMap.currentExecutor();
        if (here == null || !limitScheduled.compareAndSet(false, true)) return;
        try {
            here.execute(() -> {
                limitScheduled.set(false);
                limit();
            });
        } catch (RejectedExecutionException e) { // the server is closing
            limitScheduled.set(false);
        }
    }

    /**
     * Evicts keys from the table, telling their readers, until it holds at most tracking-table-max-keys
     * keys; starts at a random stripe. Called with no stripe lock held: after a command added keys,
     * and by the cron (a lowered limit applies even on an idle server).
     */
    public void limit() {
        long max = maxKeys;
        if (max == 0 || keys() <= max) return;
        int start = ThreadLocalRandom.current().nextInt(Keyspace.STRIPES);
        for (int n = 0; n < Keyspace.STRIPES && keys() > max; n++) {
            int s = (start + n) % Keyspace.STRIPES;
            Stripe stripe = keyspace.stripe(s);
            stripe.lock();
            try {
                Iterator<Map.Entry<Key, Ids>> it = tables[s].entrySet().iterator();
                while (it.hasNext() && keys() > max) {
                    Map.Entry<Key, Ids> e = it.next();
                    it.remove();
                    forgotten(e.getValue());
                    invalidate(e.getValue(), e.getKey().bytes);
                }
            } finally {
                stripe.unlock();
            }
        }
    }

    // ---- INFO ----

    /** Clients with tracking on (INFO tracking_clients). */
    public int clients() { return trackingClients.get(); }

    /** Keys in the table (INFO tracking_total_keys). */
    public long keys() { return followed.get() - prefixes.length; }

    /** (key, client) pairs in the table (INFO tracking_total_items). */
    public long items() { return items.get(); }

    /** Distinct BCAST prefixes (INFO tracking_total_prefixes). */
    public int prefixCount() { return prefixes.length; }

    // ---- parts ----

    /** A key name; a probe views the caller's bytes, a stored key owns its own. */
    private static final class Key {
        final byte[] bytes;
        final int off, len, hash;

        Key(byte[] bytes, int off, int len) {
            this(bytes, off, len, Hashing.hash(bytes, off, len));
        }

        private Key(byte[] bytes, int off, int len, int hash) {
            this.bytes = bytes;
            this.off = off;
            this.len = len;
            this.hash = hash;
        }

        Key copy() { return new Key(Arrays.copyOfRange(bytes, off, off + len), 0, len, hash); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, k.off, k.off + k.len, bytes, off, off + len);
        }

        @Override
        public int hashCode() { return hash; }
    }

    /**
     * A registered prefix and its clients, in registration order; the NOLOOP ones also apart, since
     * every change under the prefix looks for them. The arrays are replaced under the tracking lock and
     * read by any thread.
     */
    private static final class Prefix implements Comparable<Prefix> {
        private static final Client[] NONE = new Client[0];
        final byte[] bytes;
        volatile Client[] clients = NONE, noloop = NONE;

        Prefix(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean matches(byte[] k, int off, int len) {
            return len >= bytes.length && Arrays.equals(k, off, off + bytes.length, bytes, 0, bytes.length);
        }

        /** Adds {@code c}, or updates whether it is NOLOOP. */
        void add(Client c, boolean isNoloop) {
            if (!contains(clients, c)) clients = append(clients, c);
            noloop = isNoloop ? (contains(noloop, c) ? noloop : append(noloop, c)) : without(noloop, c);
        }

        /** Removes {@code c}; true if no client is left. */
        boolean remove(Client c) {
            clients = without(clients, c);
            noloop = without(noloop, c);
            return clients.length == 0;
        }

        private static boolean contains(Client[] a, Client c) {
            for (Client x : a) if (x == c) return true;
            return false;
        }

        private static Client[] append(Client[] a, Client c) {
            Client[] b = Arrays.copyOf(a, a.length + 1);
            b[a.length] = c;
            return b;
        }

        private static Client[] without(Client[] a, Client c) {
            if (!contains(a, c)) return a;
            Client[] b = new Client[a.length - 1];
            int n = 0;
            for (Client x : a) if (x != c) b[n++] = x;
            return b;
        }

        @Override
        public int compareTo(Prefix o) { return Arrays.compareUnsigned(bytes, o.bytes); }
    }
}
