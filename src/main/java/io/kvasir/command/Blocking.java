package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.LongDouble;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.store.Db;
import io.kvasir.store.Entry;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Stripe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Clients blocked in a command (BLPOP, BLMOVE, BLMPOP, and the sorted-set pops) until a key they
 * wait on holds a value of the type they take from.
 *
 * <p><b>Waiting.</b> A blocking command that finds nothing to take {@link #block parks} a
 * {@link Waiter} on each of its keys, in first-come order per key, while it still holds the locks
 * of those keys' stripes, and writes no reply; its connection stops running requests. The queues
 * of a stripe's keys are guarded by that stripe's lock, so a waiter is parked and a key is filled
 * in a definite order: either the filler sees the waiter, or the waiter sees the value.
 *
 * <p><b>Serving.</b> A command that gives a key a value (a push, an add, a rename onto it) calls
 * {@link #signal} under the key's lock; the key is noted in the command's {@link Call}. Once the
 * command is over and its locks are released, and before its connection runs anything else, the
 * dispatcher calls {@link #serveReady}: on that same thread, the key's first waiter whose type
 * matches the value is served, with the stripes of all of its keys locked, while it is still first
 * and the key still holds a value; then the next, until the key is empty or nobody waits. Keys the
 * serving fills (BLMOVE's destination) are served in turn. The waiter's reply is written to a
 * buffer and handed to its own event loop, which sends it and resumes the client. So, as in Redis,
 * a key is served in FIFO order, never in the middle of a command, and before the filling client's
 * next command can look at it: RPUSH k x followed by LLEN k, pipelined, sees the waiter served.
 *
 * <p><b>Ending otherwise.</b> The timeout (a timer on the waiter's thread), CLIENT UNBLOCK (any
 * thread) and the client's disconnection end a waiter under the same locks, so every waiter ends
 * exactly once and an element is taken exactly once.
 *
 * <p>Locks are always taken in ascending stripe order, and never while other stripes are held.
 */
public final class Blocking {
    private static final String UNBLOCKED = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
    private static final RedisError TIMEOUT_NOT_FLOAT = new RedisError("ERR timeout is not a float or out of range");
    private static final RedisError TIMEOUT_NEGATIVE = new RedisError("ERR timeout is negative");
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000), LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final Keyspace keyspace;
    /** Per stripe, the waiters of each key; guarded by the stripe's lock. */
    private final Map<Key, ArrayDeque<Waiter>>[] queues;
    /** Waiters parked anywhere: while none is, {@link #signal} returns at once. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Map<Long, Waiter> byClient = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    public Blocking(Keyspace keyspace) {
        this.keyspace = keyspace;
        queues = new Map[Keyspace.STRIPES];
        for (int i = 0; i < queues.length; i++) queues[i] = new HashMap<>();
    }

    /** A key of one database, as waiters wait on it. */
    static final class Key {
        final int db;
        final byte[] bytes;
        final int stripe;
        private final int hash;

        Key(int db, byte[] bytes) {
            this.db = db;
            this.bytes = bytes;
            this.stripe = Keyspace.stripeOf(bytes, 0, bytes.length);
            this.hash = 31 * db + Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.db == db && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() { return hash; }
    }

    /**
     * A client blocked in one command. Subclasses say how it takes from a key and replies; the
     * fields below are the mechanism's and are only touched under the waiter's stripe locks or on
     * its connection's thread.
     */
    public abstract static class Waiter {
        final byte type;
        final byte[][] keyBytes;
        final byte[] target;
        Key[] keys;
        int[] stripes;
        Call call;
        boolean done;
        Future<?> timer;

        /**
         * @param type the value type served from ({@code ValueType.LIST}...)
         * @param keys the keys waited on, in the command's order (duplicates are waited on once)
         * @param target another key serving writes to (BLMOVE's destination), or null
         */
        protected Waiter(byte type, byte[][] keys, byte[] target) {
            this.type = type;
            this.keyBytes = keys;
            this.target = target;
        }

        /**
         * Takes from {@code key} of database {@code db}, at which {@code e} points (a value of this
         * waiter's type), and writes the blocked command's reply to {@code r}. Runs on the thread of
         * the command {@code c} that filled the key (not necessarily this client's), with the stripes
         * of all the waiter's keys and target locked; keys it fills are signalled through {@code c}.
         * A {@link RedisError} becomes the reply.
         */
        protected abstract void serve(Call c, Db db, Entry e, byte[] key, Reply r);

        /** The reply when the timeout passes or CLIENT UNBLOCK says TIMEOUT: a null array, for every blocking command of Redis 7.0. */
        protected void timedOut(Reply r) {
            r.nullArray();
        }

        /** The reply when the command may not wait (inside EXEC): as for a timeout, unless said otherwise. */
        protected void mayNotBlock(Reply r) {
            timedOut(r);
        }
    }

    /** The keys in arguments {@code first..last} of a request, copied (waiters outlive the receive buffer). */
    public static byte[][] keys(Args a, int first, int last) {
        byte[][] keys = new byte[last - first + 1][];
        for (int i = first; i <= last; i++) keys[i - first] = a.bytes(i);
        return keys;
    }

    /**
     * The timeout in argument {@code i} of a blocking command, seconds as a float, in milliseconds
     * (0: wait forever). As Redis computes it, in long double: the seconds times 1000, rounded up, so
     * 0.0001 waits a millisecond while -0.0001 rounds to 0, forever; a value past the range of a long
     * (infinity included) converts to the most negative long, "negative"; and a deadline past the end
     * of time never comes.
     */
    public static long timeout(Args a, int i) {
        BigDecimal seconds;
        try {
            seconds = LongDouble.parse(a.buf(), a.off(i), a.len(i));
        } catch (RedisError e) {
            throw TIMEOUT_NOT_FLOAT;
        }
        BigDecimal ms = seconds == null ? null : LongDouble.multiply(seconds, THOUSAND);
        if (ms == null) throw TIMEOUT_NEGATIVE;
        ms = ms.setScale(0, RoundingMode.CEILING);
        if (ms.signum() < 0 || ms.compareTo(LONG_MAX) > 0) throw TIMEOUT_NEGATIVE;
        long millis = ms.longValue();
        return millis > Long.MAX_VALUE - System.currentTimeMillis() ? 0 : millis;
    }

    /** Clients blocked now (INFO blocked_clients). */
    public int blockedClients() {
        return byClient.size();
    }

    // ---- blocking ----

    /**
     * Blocks the client of the running command until a key is served to it, {@code timeoutMs}
     * passes (0: never) or it is unblocked. Called by the command's handler, which holds the locks
     * of all the waiter's keys (they are the command's keys), found none of them ready, and writes no
     * reply. Inside EXEC it replies at once, as {@link Waiter#mayNotBlock}.
     */
    public void block(Call c, Waiter w, long timeoutMs) {
        if (c.inExec) { // a transaction never waits
            w.mayNotBlock(c.reply());
            return;
        }
        Client client = c.client();
        int db = client.db();
        LinkedHashSet<Key> distinct = new LinkedHashSet<>();
        for (byte[] k : w.keyBytes) distinct.add(new Key(db, k));
        w.keys = distinct.toArray(new Key[0]);
        w.stripes = stripes(w);
        w.call = c;
        for (Key k : w.keys) queues[k.stripe].computeIfAbsent(k, x -> new ArrayDeque<>()).add(w);
        waiting.incrementAndGet();
        byClient.put(client.id(), w);
        client.blocked(true);
        if (timeoutMs > 0) w.timer = client.channel().schedule(() -> expire(w), timeoutMs);
    }

    /** The distinct stripes of the waiter's keys and target, ascending: the locks serving it takes. */
    private static int[] stripes(Waiter w) {
        int[] s = new int[w.keys.length + (w.target != null ? 1 : 0)];
        for (int i = 0; i < w.keys.length; i++) s[i] = w.keys[i].stripe;
        if (w.target != null) s[s.length - 1] = Keyspace.stripeOf(w.target, 0, w.target.length);
        return Arrays.stream(s).distinct().sorted().toArray();
    }

    // ---- waking ----

    /**
     * Notes that the key in {@code k[off, off+len)} of database {@code db} may now hold what its
     * waiters take; it is served once the running command is over. The caller holds the key's lock.
     */
    public void signal(Call c, int db, byte[] k, int off, int len) {
        if (waiting.get() == 0) return;
        Map<Key, ArrayDeque<Waiter>> q = queues[Keyspace.stripeOf(k, off, len)];
        if (q.isEmpty()) return;
        Key key = new Key(db, Arrays.copyOfRange(k, off, off + len));
        if (!q.containsKey(key)) return;
        if (c.ready == null) c.ready = new ArrayList<>();
        if (!c.ready.contains(key)) c.ready.add(key);
    }

    /** Notes every waited-on key of databases {@code a} and {@code b} (SWAPDB); the caller holds every stripe lock. */
    public void signalDatabases(Call c, int a, int b) {
        if (waiting.get() == 0) return;
        for (Map<Key, ArrayDeque<Waiter>> q : queues) {
            for (Key k : q.keySet()) {
                if (k.db != a && k.db != b) continue;
                if (c.ready == null) c.ready = new ArrayList<>();
                if (!c.ready.contains(k)) c.ready.add(k);
            }
        }
    }

    /**
     * Serves the waiters of the keys the command noted, as long as those keys hold values; called on
     * the command's thread with no lock held, once it is over. Keys filled meanwhile are served too.
     */
    void serveReady(Call c) {
        ArrayList<Key> ready = c.ready;
        Entry e = new Entry();
        for (int i = 0; i < ready.size(); i++) { // serving may note more keys
            Key k = ready.get(i);
            while (true) {
                Stripe s = keyspace.stripe(k.stripe);
                Waiter w;
                s.lock();
                try {
                    w = firstServable(k, e);
                } finally {
                    s.unlock();
                }
                if (w == null || !serveIfFirst(c, w, k, e)) break;
            }
        }
        ready.clear();
    }

    /** The first waiter of {@code k} whose type the key's value has, or null. The caller holds the key's lock. */
    private Waiter firstServable(Key k, Entry e) {
        ArrayDeque<Waiter> q = queues[k.stripe].get(k);
        if (q == null || !keyspace.db(k.db).lookup(k.bytes, 0, k.bytes.length, e)) return null;
        byte type = e.type();
        for (Waiter w : q) if (w.type == type) return w;
        return null;
    }

    /**
     * Serves {@code w} from {@code k} under the locks of all its keys, if it still is the key's first
     * servable waiter; returns false if the key has nothing more for anyone. Its reply goes to its
     * own thread.
     */
    private boolean serveIfFirst(Call c, Waiter w, Key k, Entry e) {
        Reply r;
        lock(w.stripes);
        try {
            Waiter first = firstServable(k, e);
            if (first == null) return false;
            if (first != w) return true; // the queue changed meanwhile: look again
            r = new Reply(Unpooled.buffer(64));
            r.resp(w.call.client().resp());
            try {
                w.serve(c, keyspace.db(k.db), e, k.bytes, r);
            } catch (RedisError err) {
                String m = err.getMessage();
                c.server().stats().error(m.indexOf(' ') < 0 ? m : m.substring(0, m.indexOf(' ')));
                r.error(m);
            }
            end(w);
        } finally {
            unlock(w.stripes);
        }
        ByteBuf out = r.target();
        byte[] reply = new byte[out.readableBytes()];
        out.readBytes(reply);
        w.call.client().channel().execute(() -> finish(w, x -> x.raw(reply)));
        return true;
    }

    // ---- ending otherwise ----

    /** On the waiter's thread, when its timeout passes. */
    private void expire(Waiter w) {
        if (endIfWaiting(w)) finish(w, w::timedOut);
    }

    /**
     * CLIENT UNBLOCK: ends the client's wait as a timeout would, or with an UNBLOCKED error. Returns
     * false if the client is not blocked. Called from any thread, holding no stripe lock.
     */
    public boolean unblock(long clientId, boolean error) {
        Waiter w = byClient.get(clientId);
        if (w == null || !endIfWaiting(w)) return false;
        Consumer<Reply> reply = error ? r -> {
            w.call.server().stats().error("UNBLOCKED");
            r.error(UNBLOCKED);
        } : w::timedOut;
        w.call.client().channel().execute(() -> finish(w, reply));
        return true;
    }

    /** Forgets a client that disconnected while blocked; on its thread. */
    public void disconnected(Client client) {
        Waiter w = byClient.get(client.id());
        if (w != null) endIfWaiting(w);
    }

    private boolean endIfWaiting(Waiter w) {
        lock(w.stripes);
        try {
            if (w.done) return false;
            end(w);
            return true;
        } finally {
            unlock(w.stripes);
        }
    }

    /** Takes the waiter off its keys; the caller holds its locks. */
    private void end(Waiter w) {
        w.done = true;
        for (Key k : w.keys) {
            Map<Key, ArrayDeque<Waiter>> map = queues[k.stripe];
            ArrayDeque<Waiter> q = map.get(k);
            q.remove(w);
            if (q.isEmpty()) map.remove(k);
        }
        waiting.decrementAndGet();
        byClient.remove(w.call.client().id(), w);
        if (w.timer != null) w.timer.cancel(false);
    }

    /** On the waiter's thread: writes the reply of a wait that ended and resumes the client. */
    private void finish(Waiter w, Consumer<Reply> reply) {
        reply.accept(w.call.client().channel().replyWriter());
        resume(w);
    }

    private static void resume(Waiter w) {
        Client client = w.call.client();
        client.blocked(false);
        client.channel().unblocked();
    }

    private void lock(int[] stripes) {
        for (int s : stripes) keyspace.stripe(s).lock();
    }

    private void unlock(int[] stripes) {
        for (int i = stripes.length - 1; i >= 0; i--) keyspace.stripe(stripes[i]).unlock();
    }
}
