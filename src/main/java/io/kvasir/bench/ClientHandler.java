package io.kvasir.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;

/**
 * One benchmark connection, on its event loop: sends a batch, checks each reply against the op it
 * answers, and sends the next batch once the last reply is in (so a batch's round trip is the
 * latency of each of its requests).
 */
final class ClientHandler extends ChannelInboundHandlerAdapter implements ReplyParser.Listener {
    private final Run run;
    private final ReplyParser parser = new ReplyParser(this);
    private final Batches batches;
    private final Keys.Sequential fillKeys;   // fill mode only: this connection encodes its own ranges
    private ChannelHandlerContext ctx;
    private int handshakePending;
    private int batch, count, index;
    private long sentAt;
    private boolean ready, finished;

    long sent, replies, errors, unexpected, nils;
    String firstError, firstUnexpected;

    ClientHandler(Run run) {
        this.run = run;
        if (run.shared != null) {
            batches = run.shared;
            fillKeys = null;
        } else {
            batches = Batches.single(run.cycle, run.pipeline);
            fillKeys = new Keys.Sequential(run.limit);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        handshakePending = run.handshakeReplies;
        if (handshakePending > 0) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(run.handshake), ctx.voidPromise());
        } else {
            signalReady();
        }
    }

    private void signalReady() {
        ready = true;
        run.ready.countDown();
    }

    /** Called once all connections are ready. */
    void start() {
        ctx.executor().execute(this::sendNext);
    }

    private void sendNext() {
        if (finished) return;
        long first = run.claim();
        if (first < 0) {
            finished = true;
            run.done.countDown();
            return;
        }
        count = run.size(first);
        index = 0;
        if (fillKeys != null) {
            batches.fill(first, count, fillKeys.seek(first));
            batch = 0;
        } else {   // claims are global, so together the connections send every batch in turn
            batch = (int) (first / run.pipeline % batches.count);
        }
        sent += count;
        sentAt = System.nanoTime();
        ctx.writeAndFlush(batches.slice(batch, count), ctx.voidPromise());
    }

    @Override
    public void reply(byte type, byte[] line, int length) {
        if (finished) return;
        if (handshakePending > 0) {
            if (!Op.Expect.OK.matches(type, line, length)) {
                fail("handshake (AUTH/SELECT) failed: " + (char) type + text(line, length));
            } else if (--handshakePending == 0) {
                signalReady();
            }
            return;
        }
        if (index == count) {   // nothing in flight: the server said something unasked
            unexpected++;
            if (firstUnexpected == null) firstUnexpected = "unsolicited " + (char) type + text(line, length);
            return;
        }
        replies++;
        Op op = batches.op(batch, index++);
        if (type == '-') {
            errors++;
            if (firstError == null) firstError = text(line, length);
        } else if (!op.expect.matches(type, line, length)) {
            unexpected++;
            if (firstUnexpected == null) firstUnexpected = op.name + " got " + (char) type + text(line, length);
        } else if (type == '$' && length > 0 && line[0] == '-') {
            nils++;
        }
        if (index == count) {
            run.recorder.recordValueWithCount(System.nanoTime() - sentAt, count);
            sendNext();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            parser.feed(in);
        } catch (ReplyParser.ProtocolException e) {
            fail("protocol error in reply: " + e.getMessage());
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("connection closed by the server");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (fillKeys != null) batches.close();
    }

    /** Ends this connection's part in the run; the run reports the reason and exits non-zero. */
    private void fail(String reason) {
        if (finished) return;
        finished = true;
        run.fail(reason);
        if (!ready) signalReady();
        run.done.countDown();
        if (ctx != null) ctx.close();
    }

    private static String text(byte[] line, int length) {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }
}
