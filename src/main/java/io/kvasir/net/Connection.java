package io.kvasir.net;

import io.kvasir.command.Call;
import io.kvasir.protocol.RequestReader;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.server.ClientChannel;
import io.kvasir.server.Kvasir;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: reads requests, runs them on this event-loop thread, and writes the
 * replies into one outbound buffer that is flushed once the batch of received requests is drained
 * (or when it grows past {@link #FLUSH_THRESHOLD}): one write syscall per pipeline, not per reply.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ClientChannel {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    static final int FLUSH_THRESHOLD = 64 * 1024;
    private static final byte[] MAX_CLIENTS = Reply.ascii("-ERR max number of clients reached\r\n");

    private final Kvasir server;
    private final RequestReader reader = new RequestReader();
    private final Reply reply = new Reply();
    private ChannelHandlerContext ctx;
    private Client client;
    private Call call;
    private ByteBuf out;
    private boolean closeAfterReply;
    private long pendingOutput;

    Connection(Kvasir server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        client = new Client(address(ctx.channel().remoteAddress()), address(ctx.channel().localAddress()), this);
        call = new Call(server, client);
        server.stats().connectionsReceived.increment();
        if (server.clients().size() >= server.config().getInt("maxclients")) {
            server.stats().connectionsRejected.increment();
            ctx.writeAndFlush(ctx.alloc().buffer(MAX_CLIENTS.length).writeBytes(MAX_CLIENTS))
                    .addListener(ChannelFutureListener.CLOSE);
            client = null;
            return;
        }
        server.register(client);
        applyLimits();
    }

    private void applyLimits() {
        reader.maxBulkLen(server.config().getLong("proto-max-bulk-len"));
        reader.authRequired(!client.authenticated() && server.authRequired());
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress in) {
            String host = in.getAddress() != null ? in.getAddress().getHostAddress() : in.getHostString();
            return host + ":" + in.getPort();
        }
        return String.valueOf(a);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (client != null) server.unregister(client);
        if (out != null) {
            out.release();
            out = null;
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
        if (reader.buffered() > server.config().getLong("client-query-buffer-limit")) {
            log.warn("Closing client that reached max query buffer length: {}", client.addr());
            kill();
            return;
        }
        client.touch(System.currentTimeMillis());
        reader.maxBulkLen(server.config().getLong("proto-max-bulk-len")); // CONFIG SET applies at once
        process();
    }

    /** Runs every complete request in the receive buffer. */
    private void process() {
        while (!closeAfterReply) {
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
            boolean skip = client.skipNextReply(); // set by an earlier CLIENT REPLY SKIP
            server.dispatcher().execute(call, reader.args(), reply);
            if (skip) client.skipNextReply(false);
            if (skip || client.replyOff()) out.writerIndex(mark);
            if (client.closing()) closeAfterReply = true;
            if (out.readableBytes() >= FLUSH_THRESHOLD) writeOut(false);
            reader.authRequired(!client.authenticated() && server.authRequired());
        }
        reader.trimIfIdle();
    }

    private void ensureOut() {
        if (out == null) {
            out = ctx.alloc().ioBuffer(4096);
            reply.target(out);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writeOut(true);
    }

    private void writeOut(boolean flush) {
        if (out != null && out.isReadable()) {
            ByteBuf b = out;
            out = null;
            int n = b.readableBytes();
            server.stats().netOutputBytes.add(n);
            server.stats().writesProcessed.increment();
            pendingOutput += n;
            ctx.write(b).addListener(f -> pendingOutput -= n);
        }
        if (flush) {
            ctx.flush();
            if (closeAfterReply) ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
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

    @Override
    public void kill() {
        ctx.channel().close();
    }

    @Override
    public int inputBuffered() { return reader.buffered(); }

    @Override
    public int inputCapacity() { return reader.capacity(); }

    @Override
    public long outputBuffered() { return pendingOutput + (out != null ? out.readableBytes() : 0); }

    @Override
    public void execute(Runnable task) {
        ctx.executor().execute(task);
    }
}
