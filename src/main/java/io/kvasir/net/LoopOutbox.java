package io.kvasir.net;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What connections are sent outside of their requests (pub/sub messages, the MONITOR feed), batched
 * per event loop rather than queued per connection, as a fan-out to many subscribers needs.
 *
 * <p>A message for a connection of the sender's own loop goes straight into that connection's
 * output; the connection is marked, and one task later in the same loop turn flushes every marked
 * connection, each with one write. A message for a connection of another loop joins this loop's
 * batch for that loop; the batch is handed over (one queue entry, and at most one wake-up) when
 * this loop flushes anything: a publishing client's reply never leaves before its messages were
 * handed over, so whoever reads the reply and then asks a subscriber finds the message there
 * first. The receiving loop moves a batch into the connections' outputs in order, then writes
 * each once. Under load, batches pile up and are moved together: the busier, the fewer writes per
 * message. Threads that are not event loops (the cron thread) hand each message over at once.
 *
 * <p>Ordering: messages from one thread to one connection arrive in the order sent, and before
 * the replies to requests the connection reads after they were handed over (see
 * {@link Connection#channelRead}).
 */
final class LoopOutbox {
    /** Deliveries a batch for one loop may hold before it is handed over anyway, bounding it. */
    static final int MAX_BATCH = 16 * 1024;

    /** The outboxes of one event-loop group, found by thread. */
    static final class Group {
        private final LoopOutbox[] all;
        private final LoopOutbox[] byThread = new LoopOutbox[256];   // slot (thread id mod length), if not shared

        private Group(int loops) {
            all = new LoopOutbox[loops];
        }

        /** One outbox per loop of {@code loops}, each bound to its loop's thread before this returns. */
        static Group of(EventLoopGroup loops) throws InterruptedException {
            List<EventLoop> list = new ArrayList<>();
            for (EventExecutor e : loops) list.add((EventLoop) e);
            Group g = new Group(list.size());
            for (int i = 0; i < list.size(); i++) {
                LoopOutbox o = new LoopOutbox(g, i, list.get(i));
                g.all[i] = o;
                list.get(i).submit(() -> o.thread = Thread.currentThread()).sync();
            }
            for (LoopOutbox o : g.all) {
                int slot = g.slot(o.thread);
                g.byThread[slot] = g.byThread[slot] == null ? o : SHARED;
            }
            return g;
        }

        /** The outbox of the loop that owns {@code loop}. */
        LoopOutbox of(EventLoop loop) {
            for (LoopOutbox o : all) if (o.loop == loop) return o;
            throw new IllegalArgumentException("not a loop of this group");
        }

        /** The outbox of the calling thread's loop, or null if it is not one of this group's. */
        LoopOutbox current() {
            Thread t = Thread.currentThread();
            LoopOutbox o = byThread[slot(t)];
            if (o != null && o.thread == t) return o;
            if (o == SHARED) for (LoopOutbox x : all) if (x.thread == t) return x;
            return null;
        }

        private int slot(Thread t) {
            return (int) t.threadId() & (byThread.length - 1);
        }
    }

    /** Marks a thread slot that two loops share (rare): they are then found by a scan. */
    private static final LoopOutbox SHARED = new LoopOutbox(null, -1, null);

    /** Deliveries in order: connection {@code to[i]} gets {@code bytes[i]}. */
    private static final class Batch {
        Connection[] to;
        byte[][] bytes;
        int size;

        Batch(int capacity) {
            to = new Connection[capacity];
            bytes = new byte[capacity][];
        }

        void add(Connection c, byte[] b) {
            if (size == to.length) {
                to = java.util.Arrays.copyOf(to, size * 2);
                bytes = java.util.Arrays.copyOf(bytes, size * 2);
            }
            to[size] = c;
            bytes[size++] = b;
        }
    }

    final Group group;
    private final int id;
    final EventLoop loop;
    private volatile Thread thread;
    /** Batches other threads handed to this loop. */
    private final Queue<Batch> inbox = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drainAndFlush, flush = this::flushNow;
    // the rest is touched on this loop only
    private final Batch[] outgoing;          // per other loop: the batch being filled for it
    private boolean anyOutgoing, flushScheduled;
    private final ArrayList<Connection> dirty = new ArrayList<>();

    private LoopOutbox(Group group, int id, EventLoop loop) {
        this.group = group;
        this.id = id;
        this.loop = loop;
        this.outgoing = group == null ? null : new Batch[group.all.length];
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** A connection of this loop has new output, to be written by the next flush. On this loop. */
    void markDirty(Connection c) {
        dirty.add(c);
    }

    /** Flushes the dirty connections, and hands the batches for other loops over, once this loop turn's work is done. */
    void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flush);
        }
    }

    /** Sends {@code b} to {@code c}, a connection of another loop, from this loop. */
    void defer(Connection c, byte[] b) {
        LoopOutbox to = c.outbox();
        Batch batch = outgoing[to.id];
        if (batch == null) {
            outgoing[to.id] = batch = new Batch(64);
            if (!anyOutgoing) {
                anyOutgoing = true;
                flushSoon();   // in case no reply flush hands it over first
            }
        }
        batch.add(c, b);
        if (batch.size >= MAX_BATCH) {
            outgoing[to.id] = null;
            to.post(batch);
        }
    }

    /** Sends {@code b} to {@code c}, a connection of this loop, from a thread that is no event loop. */
    void postOne(Connection c, byte[] b) {
        Batch batch = new Batch(1);
        batch.add(c, b);
        post(batch);
    }

    /** Hands this loop's batches for other loops over. On this loop; cheap when there are none. */
    void handOff() {
        if (!anyOutgoing) return;
        anyOutgoing = false;
        for (int i = 0; i < outgoing.length; i++) {
            Batch b = outgoing[i];
            if (b != null) {
                outgoing[i] = null;
                group.all[i].post(b);
            }
        }
    }

    private void post(Batch b) {
        inbox.offer(b);
        if (drainScheduled.compareAndSet(false, true)) loop.execute(drain);
    }

    /** True if other threads handed over messages not yet moved into the connections' outputs. */
    boolean hasMail() {
        return !inbox.isEmpty();
    }

    /** Moves the messages handed over into the connections' outputs (marking them dirty). On this loop. */
    void drainInbox() {
        drainScheduled.set(false);   // first: a batch posted from now on schedules another drain
        for (Batch b; (b = inbox.poll()) != null; ) {
            for (int i = 0; i < b.size; i++) b.to[i].received(b.bytes[i]);
        }
        for (Connection c : dirty) c.settleReceived();
    }

    private void drainAndFlush() {
        drainInbox();
        flushNow();
    }

    private void flushNow() {
        flushScheduled = false;
        handOff();
        for (int i = 0; i < dirty.size(); i++) dirty.get(i).flushSent();
        dirty.clear();
    }
}
