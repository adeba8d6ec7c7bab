package io.kvasir.net;

import io.kvasir.server.Broadcast;
import io.kvasir.server.Client;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What connections are sent outside of their requests (pub/sub messages, the MONITOR feed), batched
 * per event loop rather than queued per connection, as a fan-out to many subscribers needs.
 *
 * <p>What a loop's thread sends is queued in order, not delivered at once. The queue is delivered
 * when this loop flushes anything (so a publishing client's reply never leaves before its messages
 * were handed over: whoever reads the reply and then asks a subscriber finds the message there
 * first), when it grows past {@link #MAX_QUEUE}, or at the latest by a task later in the same
 * loop turn. Delivering a run of broadcasts to the same clients (many PUBLISHes to one channel)
 * visits each client once for the whole run, not once per message. A message for a connection of
 * this loop goes into its output, marking it dirty; one for a connection of another loop joins
 * this loop's batch for that loop, handed over with one queue entry and at most one wake-up. The
 * receiving loop moves a batch into the connections' outputs in order, then writes each dirty
 * connection once: under load batches pile up and move together, the busier the fewer writes per
 * message. Threads that are not event loops (the cron thread) hand each message over at once.
 *
 * <p>Ordering: messages from one thread to one connection arrive in the order sent, and before the
 * replies to requests the connection reads after they were handed over (see
 * {@link Connection#channelRead}). A command's messages to its own client go straight into that
 * client's output, before the command's reply, as in Redis.
 */
final class LoopOutbox {
    /** Deliveries a batch for one loop may hold before it is handed over anyway, bounding it. */
    static final int MAX_BATCH = 16 * 1024;
    /** Sends queued on one loop before they are delivered anyway, bounding the queue. */
    static final int MAX_QUEUE = 256;

    /** The outboxes of one event-loop group, found by thread; its broadcasts go through them. */
    static final class Group implements Broadcast {
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

        @Override
        public void send(Client[] clients, int size, byte[] frame) {
            LoopOutbox here = current();
            if (here == null) {
                Broadcast.each(clients, size, frame);
            } else if (here.running != null && here.running.subscriber()) {
                // the running command's client may be among the receivers: its copy goes out before its reply
                here.deliverQueue();
                Broadcast.each(clients, size, frame);
            } else {
                here.add(clients, size, frame);
            }
        }
    }

    /** Marks a thread slot that two loops share (rare): they are then found by a scan. */
    private static final LoopOutbox SHARED = new LoopOutbox(null, -1, null);

    /** Deliveries in order: connection {@code to[i]} gets {@code bytes[i]}, as a message frame if {@code message[i]}. */
    private static final class Batch {
        Connection[] to;
        byte[][] bytes;
        boolean[] message;
        int size;

        Batch(int capacity) {
            to = new Connection[capacity];
            bytes = new byte[capacity][];
            message = new boolean[capacity];
        }

        void add(Connection c, byte[] b, boolean m) {
            if (size == to.length) {
                to = Arrays.copyOf(to, size * 2);
                bytes = Arrays.copyOf(bytes, size * 2);
                message = Arrays.copyOf(message, size * 2);
            }
            to[size] = c;
            bytes[size] = b;
            message[size++] = m;
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
    /** The connection whose command runs on this loop now, if any. */
    Connection running;
    /** What this loop's thread sent, in order: a Connection (one send) or a Client[] slice of qSize (a broadcast). */
    private Object[] qTo = new Object[64];
    private int[] qSize = new int[64];
    private byte[][] qBytes = new byte[64][];
    private int queued;
    private final Batch[] outgoing;          // per other loop: the batch being filled for it
    private boolean anyOutgoing, flushScheduled;
    private final ArrayList<Connection> dirty = new ArrayList<>();

    private LoopOutbox(Group group, int id, EventLoop loop) {
        this.group = group;
        this.id = id;
        this.loop = loop;
        this.outgoing = group == null ? null : new Batch[group.all.length];
    }

    /** Queues {@code bytes} for {@code c}, sent as they are. On this loop. */
    void enqueue(Connection c, byte[] bytes) {
        add(c, 1, bytes);
    }

    private void add(Object to, int size, byte[] bytes) {
        if (queued == qTo.length) {
            qTo = Arrays.copyOf(qTo, queued * 2);
            qSize = Arrays.copyOf(qSize, queued * 2);
            qBytes = Arrays.copyOf(qBytes, queued * 2);
        }
        qTo[queued] = to;
        qSize[queued] = size;
        qBytes[queued++] = bytes;
        if (queued == 1) flushSoon();
        else if (queued >= MAX_QUEUE) handOff();
    }

    /** Delivers what this loop's thread queued: into the outputs of this loop's connections, or the batches for other loops. */
    void deliverQueue() {
        for (int i = 0, j; i < queued; i = j) {
            Object to = qTo[i];
            j = i + 1;
            if (to instanceof Connection c) {
                deliver(c, i, j, false);
            } else {   // a run of broadcasts to the same clients: each client once for all of them
                int size = qSize[i];
                while (j < queued && qTo[j] == to && qSize[j] == size) j++;
                Client[] clients = (Client[]) to;
                for (int k = 0; k < size; k++) deliver((Connection) clients[k].channel(), i, j, true);
            }
        }
        Arrays.fill(qTo, 0, queued, null);
        Arrays.fill(qBytes, 0, queued, null);
        queued = 0;
    }

    /** Delivers queued sends {@code [from, to)} to {@code c}. */
    private void deliver(Connection c, int from, int to, boolean message) {
        if (c.outbox() == this) {
            for (int i = from; i < to; i++) c.append(qBytes[i], message);
            return;
        }
        long bytes = 0;
        for (int i = from; i < to; i++) bytes += qBytes[i].length;
        if (!c.addInTransit(bytes)) return;
        LoopOutbox other = c.outbox();
        Batch batch = outgoing[other.id];
        if (batch == null) {
            outgoing[other.id] = batch = new Batch(64);
            anyOutgoing = true;
        }
        for (int i = from; i < to; i++) batch.add(c, qBytes[i], message);
        if (batch.size >= MAX_BATCH) {
            outgoing[other.id] = null;
            other.post(batch);
        }
    }

    /** A connection of this loop has new output, to be written by the next flush. On this loop. */
    void markDirty(Connection c) {
        dirty.add(c);
    }

    /** Delivers the queue and flushes the dirty connections once this loop turn's work is done. */
    void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flush);
        }
    }

    /** Sends {@code b} to {@code c}, a connection of this loop, from a thread that is no event loop. */
    void postOne(Connection c, byte[] b) {
        Batch batch = new Batch(1);
        batch.add(c, b, false);
        post(batch);
    }

    /** Delivers the queue and hands the batches for other loops over. On this loop; cheap when there is nothing. */
    void handOff() {
        if (queued > 0) deliverQueue();
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
            for (int i = 0; i < b.size; i++) b.to[i].received(b.bytes[i], b.message[i]);
        }
        for (Connection c : dirty) c.settleReceived();
    }

    private void drainAndFlush() {
        drainInbox();
        flushNow();
    }

    private void flushNow() {
        flushScheduled = false;
        if (hasMail()) drainInbox();   // what other loops handed over meanwhile goes out in the same writes
        handOff();
        for (int i = 0; i < dirty.size(); i++) dirty.get(i).flushSent();
        dirty.clear();
    }
}
