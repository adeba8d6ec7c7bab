package io.kvasir.net;

import io.kvasir.command.Call;
import io.kvasir.protocol.Args;
import io.kvasir.protocol.RequestReader;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.server.ClientChannel;
import io.kvasir.server.ClientPause;
import io.kvasir.server.Kvasir;
import io.kvasir.server.OutputLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads requests, runs them on this event-loop thread, and writes the
 * replies into one outbound buffer that is flushed once the batch of received requests is drained
 * (or when it grows past {@link #FLUSH_THRESHOLD}): one write syscall per pipeline, not per reply.
 *
 * <p>A request that must wait for a CLIENT PAUSE stays in the receive buffer and the connection
 * parks: it stops processing until the pause ends, then resumes on its own event loop. A blocking
 * command (BLPOP...) that must wait likewise stops the processing until {@code Blocking} ends its
 * wait on this event loop, writing its reply through {@link #replyWriter()} and calling
 * {@link #unblocked()}.
 *
 * <p>Bytes sent to the client outside of its requests (pub/sub messages, the MONITOR feed) go
 * through {@link #send} and this event loop's {@link LoopOutbox}, which batches them per loop, so a
 * burst costs the client one write and one flush. Output left unread (queued for it included)
 * counts against the client's class of client-output-buffer-limit, past which the client is
 * dropped, as in Redis.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ClientChannel, ClientPause.Waiter {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final int FLUSH_THRESHOLD = 64 * 1024;
    /** A reply buffer grown past this (by a big reply) is dropped after its flush, not kept. */
    private static final int RETAINED_OUT_CAPACITY = 2 * FLUSH_THRESHOLD;
    /** Output a client may leave unread before it is dropped (Redis's default hard limit for monitors). */
    static final long OUTPUT_HARD_LIMIT = 256L * 1024 * 1024;
    /** Bytes in transit to a client from other threads past which each send checks its output limit. */
    private static final long IN_TRANSIT_CHECK = 64 * 1024;
    private static final byte[] MAX_CLIENTS = Reply.ascii("-ERR max number of clients reached\r\n");
    private static final byte[] DENIED = Reply.ascii("-DENIED Redis is running in protected mode because protected"
            + " mode is enabled and no password is set for the default user. In this mode connections are only"
            + " accepted from the loopback interface. If you want to connect from external computers to Redis you"
            + " may adopt one of the following solutions: 1) Just disable protected mode sending the command"
            + " 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same"
            + " host the server is running, however MAKE SURE Redis is not publicly accessible from internet if"
            + " you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable"
            + " the protected mode by editing the Redis configuration file, and setting the protected mode option"
            + " to 'no', and then restarting the server. 3) If you started the server manually just for testing,"
            + " restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the"
            + " default user. NOTE: You only need to do one of the above things in order for the server to start"
            + " accepting connections from the outside.\r\n");

    private final Kvasir server;
    private final RequestReader reader = new RequestReader();
    private final Reply reply = new Reply();
    private ChannelHandlerContext ctx;
    private Client client;
    private Call call;
    private ByteBuf out;
    private static final int PREFETCH_BATCH = 32;
    private final int[] prefetchOffs = new int[PREFETCH_BATCH], prefetchLens = new int[PREFETCH_BATCH];
    private final io.kvasir.store.Table[] prefetchTables = new io.kvasir.store.Table[PREFETCH_BATCH];
    private final long[] prefetchSlots = new long[PREFETCH_BATCH];
    private int prefetchSink; // keeps the prefetching reads from being optimized away
    private boolean closeAfterReply;
    private boolean executing;
    private boolean parked;
    private volatile int heldArgvBytes; // the held or blocked request's size, for CLIENT LIST from other threads
    private int blockedReplyMark; // where the reply of the blocked command that ends begins
    private ScheduledFuture<?> resumeTimer;
    private final LoopOutbox.Group outboxes;
    private LoopOutbox outbox;           // this connection's loop's
    /** Bytes sent to it from other loops, not yet in {@link #out}: the part of its output other threads add to. */
    private final AtomicLong inTransit = new AtomicLong();
    private long received;               // moved into out, not yet subtracted from inTransit
    private boolean marked;              // in the loop's list of connections to flush
    private volatile boolean dropOutput; // closed, or closing for its output: nothing more is queued for it
    private final Reply pushReply = new Reply();
    private ByteBuf pushed; // pushes of the running command while its replies are suppressed
    private final java.util.ArrayList<byte[]> afterReply = new java.util.ArrayList<>(0); // see sendAfterReply
    private long softLimitSince; // when the output first stayed past the soft limit (ms), or 0

    Connection(Kvasir server, LoopOutbox.Group outboxes) {
        this.server = server;
        this.outboxes = outboxes;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        Channel ch = ctx.channel();
        outbox = outboxes.of(ch.eventLoop());
        client = new Client(server.nextClientId(), address(ch.remoteAddress()), address(ch.localAddress()), this);
        client.authenticated(!server.authRequired());
        call = new Call(server, client);
        if (!server.register(client)) {
            server.stats().connectionsRejected.increment();
            refuse(MAX_CLIENTS);
            return;
        }
        server.stats().connectionsReceived.increment(); // as Redis: refused ones are not counted, denied ones are
        if (ch.remoteAddress() instanceof InetSocketAddress in && server.deniedByProtectedMode(in.getAddress())) {
            server.unregister(client);
            refuse(DENIED);
            return;
        }
        applyKeepAlive(ch);
        applyLimits();
    }

    /** Writes a last error and closes; the client is dropped and its input ignored. */
    private void refuse(byte[] error) {
        client = null;
        ctx.writeAndFlush(ctx.alloc().buffer(error.length).writeBytes(error)).addListener(ChannelFutureListener.CLOSE);
    }

    /** TCP keepalive as Redis sets it: probes after tcp-keepalive idle seconds, then every third of that. */
    private void applyKeepAlive(Channel ch) {
        int interval = server.config().getInt("tcp-keepalive");
        ch.config().setOption(ChannelOption.SO_KEEPALIVE, interval > 0);
        if (interval > 0 && ch instanceof EpollSocketChannel e) {
            e.config().setTcpKeepIdle(interval);
            e.config().setTcpKeepIntvl(Math.max(1, interval / 3));
            e.config().setTcpKeepCnt(3);
        }
    }

    private void applyLimits() {
        reader.maxBulkLen(server.protoMaxBulkLen());
        reader.authRequired(!client.authenticated() && server.authRequired());
    }

    /** "ip:port" as Redis prints it: compressed IPv6 in brackets ("[::1]:6379"). */
    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress in) {
            if (in.getAddress() == null) return in.getHostString() + ":" + in.getPort();
            String host = NetUtil.toAddressString(in.getAddress());
            return (in.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + in.getPort();
        }
        return String.valueOf(a);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client != null) {
            server.unregister(client);
            if (client.blocked()) server.blocking().disconnected(client);
            server.pubsub().unsubscribeAll(client);
            if (client.watcher().watching()) server.watches().unwatchAll(client.watcher());
            server.tracking().disable(client);
        }
        dropOutput = true; // nothing more to queue for a closed connection
        if (parked) {
            server.pause().unpark(this);
            if (resumeTimer != null) resumeTimer.cancel(false);
        }
        if (out != null) {
            out.release();
            out = null;
        }
        if (pushed != null) {
            pushed.release();
            pushed = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (client == null || closeAfterReply) return;
            server.stats().netInputBytes.add(in.readableBytes());
            server.stats().readsProcessed.increment();
            reader.append(in);
        } finally {
            in.release();
        }
        if (reader.buffered() > server.queryBufferLimit()) {
            log.warn("Closing client that reached max query buffer length: {}", client.addr());
            kill();
            return;
        }
        client.touch(System.currentTimeMillis());
        reader.maxBulkLen(server.protoMaxBulkLen()); // CONFIG SET applies at once
        // Messages sent before these requests arrived go out before their replies, as in Redis.
        outbox.handOff();
        if (outbox.hasMail()) {
            outbox.drainInbox();
            outbox.flushSoon();
        }
        process();
    }

    /**
     * A pipeline of lookups waits on one cache miss after another. Before running the next
     * requests of a received batch, touch what their keys' lookups will read, all at once (see
     * {@link io.kvasir.store.Keyspace#prefetch}), so the misses overlap. Returns how many requests
     * to run before looking ahead again.
     */
    private int prefetch() {
        int n = reader.peekKeys(PREFETCH_BATCH, prefetchOffs, prefetchLens);
        if (n < 2) return 1; // a lone request gains nothing; look again after it
        prefetchSink += server.keyspace().prefetch(client.db(), reader.buffer(), prefetchOffs, prefetchLens, n,
                prefetchTables, prefetchSlots);
        return n; // look ahead again once these have run
    }

    /** Runs every complete request in the receive buffer, until one must wait for a CLIENT PAUSE. */
    private void process() {
        int untilPrefetch = 0;
        while (!closeAfterReply && !parked && !client.blocked()) {
            if (--untilPrefetch <= 0) untilPrefetch = prefetch();
            RequestReader.Result r = reader.next();
            if (r == RequestReader.Result.NEED_MORE) break;
            ensureOut();
            if (r == RequestReader.Result.PROTOCOL_ERROR) {
                server.stats().error("ERR");
                reply.error("ERR " + reader.error());
                closeAfterReply = true;
                break;
            }
            int mark = out.writerIndex();
            executing = true;
            Connection outer = outbox.running;
            outbox.running = this;
            boolean done;
            try {
                done = server.dispatcher().execute(call, reader.args(), reply);
            } finally {
                executing = false;
                outbox.running = outer;
            }
            if (!done) { // postponed by CLIENT PAUSE
                reader.hold();
                if (park()) break;
                continue;
            }
            if (client.blocked()) { // its reply comes when the wait ends: see unblocked()
                writeAfterReply();
                heldArgvBytes = argvBytes();
                reader.release();
                break;
            }
            afterRequest(mark);
            if (out.readableBytes() >= FLUSH_THRESHOLD) writeOut(false);
            reader.authRequired(!client.authenticated() && server.authRequired());
        }
        reader.trimIfIdle();
    }

    /** What follows every request once its reply is written (from {@code mark} on). */
    private void afterRequest(int mark) {
        if ((client.replyOff() || client.skipReply()) && !client.repliesFiltered()) out.writerIndex(mark);
        if (pushed != null && pushed.isReadable()) { // pushes outlive the suppressed replies
            out.writeBytes(pushed);
            pushed.clear();
        }
        writeAfterReply();
        client.requestDone();
        if (client.closing()) closeAfterReply = true;
    }

    /** Writes what {@link #sendAfterReply} held back while the request ran. */
    private void writeAfterReply() {
        if (afterReply.isEmpty()) return;
        for (byte[] b : afterReply) out.writeBytes(b);
        afterReply.clear();
    }

    /**
     * Stops processing until the pause ends; the held request runs first when it does. Returns
     * false if the pause ended meanwhile (the held request may run now).
     */
    private boolean park() {
        long deadline = server.pause().park(this);
        if (deadline == 0) return false;
        parked = true;
        heldArgvBytes = argvBytes();
        client.postponed(true);
        long delay = Math.max(0, deadline - System.currentTimeMillis());
        resumeTimer = ctx.executor().schedule(this::resumeHere, delay, TimeUnit.MILLISECONDS);
        return true;
    }

    /** Called by CLIENT UNPAUSE from any thread. */
    @Override
    public void resume() {
        ctx.executor().execute(this::resumeHere);
    }

    /** Runs on this connection's event loop when its pause may have ended. */
    private void resumeHere() {
        if (!parked || !ctx.channel().isActive()) return;
        server.pause().unpark(this);
        if (resumeTimer != null) {
            resumeTimer.cancel(false);
            resumeTimer = null;
        }
        parked = false;
        heldArgvBytes = 0;
        client.postponed(false);
        process(); // parks again if the pause was extended
        writeOut(true);
    }

    /**
     * Replies are written into a heap buffer that the connection keeps between flushes: small
     * writes into a byte array are cheap, while each small write into a direct buffer pays bounds
     * and liveness checks. A flush copies it once into a pooled direct buffer for the socket.
     */
    private void ensureOut() {
        if (out == null) {
            out = Unpooled.buffer(4096);
            reply.target(out);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writeOut(true);
    }

    private void writeOut(boolean flush) {
        if (flush) outbox.handOff(); // messages published here leave for other loops before the replies do
        boolean wrote = false;
        if (out != null && out.isReadable()) {
            int n = out.readableBytes();
            ByteBuf b = ctx.alloc().ioBuffer(n).writeBytes(out);
            if (out.capacity() > RETAINED_OUT_CAPACITY) {
                out.release();
                out = null;
            } else {
                out.clear();
            }
            server.stats().netOutputBytes.add(n);
            server.stats().writesProcessed.increment();
            wrote = true;
            ctx.write(b, ctx.voidPromise()); // what is not written yet, Netty counts: see pendingOutput()
        }
        if (flush) {
            ctx.flush();
            // As Redis: a connection told to close goes once its replies are written; if every
            // reply was suppressed (CLIENT REPLY OFF) there is nothing to wait for, and it stays.
            if (closeAfterReply && (wrote || pendingOutput() > 0)) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
        if (client != null) checkOutputLimits();
    }

    /**
     * Drops the client if its unwritten output passes the limits of its class: at once past the hard
     * limit, or once it has stayed past the soft limit for more than its seconds. On the event loop.
     */
    private void checkOutputLimits() {
        long used = pendingOutput() + inTransit.get();
        if (client.monitor() && used > OUTPUT_HARD_LIMIT) {
            closeForOutput();
            return;
        }
        OutputLimits.Limit l = limit();
        if (l.hard() > 0 && used >= l.hard()) {
            closeForOutput();
        } else if (l.soft() > 0 && used >= l.soft()) {
            long now = System.currentTimeMillis();
            if (softLimitSince == 0) softLimitSince = now;
            else if ((now - softLimitSince) / 1000 > l.softSeconds()) closeForOutput();
        } else {
            softLimitSince = 0;
        }
    }

    private OutputLimits.Limit limit() {
        return server.outputLimits().of(client.subscribed() ? OutputLimits.Type.PUBSUB : OutputLimits.Type.NORMAL);
    }

    /** Closes the connection for its output; safe from any thread, logs once. */
    private void closeForOutput() {
        if (dropOutput) return;
        dropOutput = true;
        log.warn("Client id={} addr={} closed for overcoming of output buffer limits.", client.id(), client.addr());
        kill();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection error {}: {}", client != null ? client.addr() : "?", cause.toString());
        ctx.close();
    }

    // ---- ClientChannel ----

    @Override
    public void closeAfterReply() {
        closeAfterReply = true;
    }

    /** Gone from CLIENT LIST at once, as in Redis, though the socket closes on its own thread. */
    @Override
    public void kill() {
        if (client != null) server.unregister(client);
        ctx.channel().close();
    }

    @Override
    public int inputBuffered() { return reader.buffered(); }

    @Override
    public int inputCapacity() { return reader.capacity(); }

    @Override
    public int inputPeak() { return reader.peak(); }

    @Override
    public int argvMemory() {
        // The live arguments are read only on this connection's thread, where they are stable.
        return executing && ctx.executor().inEventLoop() ? argvBytes() : heldArgvBytes;
    }

    private int argvBytes() {
        Args a = reader.args();
        int n = 0;
        for (int i = 0; i < a.count(); i++) n += a.len(i);
        return n;
    }

    @Override
    public long outputBuffered() {
        ByteBuf b = out;
        return pendingOutput() + inTransit.get() + (b != null ? b.readableBytes() : 0);
    }

    @Override
    public int outputBufferLength() {
        ByteBuf b = out;
        return b != null ? b.readableBytes() : 0;
    }

    @Override
    public int outputListLength() {
        ChannelOutboundBuffer b = ctx.channel().unsafe().outboundBuffer();
        return b == null ? 0 : b.size();
    }

    /** Bytes handed to the socket and not yet written (Netty's count, safe to read from any thread). */
    private long pendingOutput() {
        ChannelOutboundBuffer b = ctx.channel().unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    @Override
    public int fd() {
        return ctx.channel() instanceof EpollSocketChannel e ? e.fd().intValue() : -1;
    }

    @Override
    public void execute(Runnable task) {
        ctx.executor().execute(task);
    }

    /**
     * Sends bytes to the client from any thread, batched by {@link LoopOutbox}: an event loop queues
     * them, in order with its other sends, and delivers them at the latest later in this loop turn;
     * other threads hand them to this connection's loop at once. Bytes sent while this client's own
     * command runs (it published to itself) go into its output before the command's reply, as in
     * Redis. The bytes must not change afterwards.
     */
    @Override
    public void send(byte[] bytes) {
        if (dropOutput) return;
        LoopOutbox here = outboxes.current();
        if (here == outbox && executing) {
            pushWriter().target().writeBytes(bytes);
        } else if (here != null) {
            here.enqueue(this, bytes);
        } else if (addInTransit(bytes.length)) {
            outbox.postOne(this, bytes);
        }
    }

    LoopOutbox outbox() { return outbox; }

    /** True while a client subscribed to anything is served here (a publish may reach it). */
    boolean subscriber() {
        return client != null && client.subscribed();
    }

    /**
     * Counts {@code n} more bytes on their way to this connection from another loop; false if they
     * are not to be sent, the connection being gone or, with them, past its hard output limit.
     */
    boolean addInTransit(long n) {
        if (dropOutput) return false;
        long queued = inTransit.addAndGet(n);
        // Checked here too, so that a client whose event loop lags cannot make its queue grow
        // unbounded; below a backlog worth checking, the loop's own check after its flush does.
        if (queued >= IN_TRANSIT_CHECK) {
            OutputLimits.Limit l = limit();
            if (l.hard() > 0 && queued + pendingOutput() >= l.hard()) {
                closeForOutput();
                return false;
            }
        }
        return true;
    }

    /** Adds bytes sent to the output; a message frame goes to a RESP3 client as a push. On this loop. */
    void append(byte[] bytes, boolean message) {
        if (dropOutput) return;
        ByteBuf o = out();
        if (message && client.resp() == 3) {
            o.writeByte('>');
            o.writeBytes(bytes, 1, bytes.length - 1);
        } else {
            o.writeBytes(bytes);
        }
        if (!marked) {
            marked = true;
            outbox.markDirty(this);
        }
    }

    /** Bytes another loop sent arrive here; {@link #settleReceived} follows once a batch is in. */
    void received(byte[] bytes, boolean message) {
        if (dropOutput) return;
        received += bytes.length;
        append(bytes, message);
    }

    void settleReceived() {
        if (received != 0) {
            inTransit.addAndGet(-received);
            received = 0;
        }
    }

    /** Writes what was sent to the client; called by the loop once per turn in which it got anything. */
    void flushSent() {
        marked = false;
        if (!dropOutput) writeOut(true);
    }

    @Override
    public void sendAfterReply(byte[] bytes) {
        if (dropOutput) return;
        if (executingHere()) afterReply.add(bytes);
        else send(bytes);
    }

    @Override
    public boolean executingHere() {
        return ctx.executor().inEventLoop() && executing;
    }

    @Override
    public java.util.concurrent.Future<?> schedule(Runnable task, long delayMs) {
        return ctx.executor().schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Where the running command writes what Redis pushes rather than replies (pub/sub confirmations
     * and messages): the reply stream, or while its replies are suppressed (CLIENT REPLY OFF or SKIP)
     * a buffer of its own that goes out after the command anyway, as Redis sends pushes.
     */
    @Override
    public Reply pushWriter() {
        if (!client.replyOff() && !client.skipReply()) return reply;
        if (pushed == null) pushed = Unpooled.buffer(256);
        pushReply.target(pushed);
        pushReply.resp(client.resp());
        return pushReply;
    }

    @Override
    public Reply replyWriter() {
        ensureOut();
        blockedReplyMark = out.writerIndex();
        return reply;
    }

    @Override
    public void unblocked() {
        if (!ctx.channel().isActive()) { // ended by CLIENT UNBLOCK just as the client left
            if (out != null) out.release();
            out = null;
            return;
        }
        heldArgvBytes = 0;
        afterRequest(blockedReplyMark);
        process();
        writeOut(true);
    }

    private ByteBuf out() {
        ensureOut();
        return out;
    }
}
