package io.kvasir.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One subscriber connection: subscribes to its channel (or pattern), then checks every message it
 * gets. A message frame is fully predictable but for its payload's digits, so it is checked with one
 * compare of its prefix against the expected bytes; anything else (a wrong channel, length, kind) is
 * a failure of the run, as is a message out of its publisher's order, lost or repeated.
 */
final class FanoutSubscriber extends ByteToMessageDecoder {
    private final FanoutRun run;
    private final int channel;
    private final CountDownLatch subscribed;
    private final ByteBuf prefix;        // a message frame up to its payload
    private final ByteBuf confirmation;  // the whole (p)subscribe confirmation
    private final int frameLength;
    private final long[] next;           // per publisher: the message number expected next
    private FanoutRun.Loop loop;
    private boolean helloPending, confirmed, broken;

    FanoutSubscriber(FanoutRun run, int channel, CountDownLatch subscribed) {
        this.run = run;
        this.channel = channel;
        this.subscribed = subscribed;
        byte type = (byte) (run.resp3 ? '>' : '*');
        byte[] name = run.channelNames[channel];
        ByteArrayOutputStream p = new ByteArrayOutputStream(), c = new ByteArrayOutputStream();
        if (run.patterns) {
            byte[] pattern = run.patternNames[channel];
            header(p, type, 4);
            bulk(p, "pmessage".getBytes(StandardCharsets.US_ASCII));
            bulk(p, pattern);
            bulk(p, name);
            confirmation(c, type, "psubscribe", pattern);
        } else {
            header(p, type, 3);
            bulk(p, "message".getBytes(StandardCharsets.US_ASCII));
            bulk(p, name);
            confirmation(c, type, "subscribe", name);
        }
        p.writeBytes(("$" + run.payload + "\r\n").getBytes(StandardCharsets.US_ASCII));
        prefix = Unpooled.wrappedBuffer(p.toByteArray());
        confirmation = Unpooled.wrappedBuffer(c.toByteArray());
        frameLength = prefix.readableBytes() + run.payload + 2;
        next = new long[run.publishers];
        for (int i = 0; i < next.length; i++) next[i] = channel;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        loop = run.loop(ctx.executor());
        loop.subscribers[channel]++;
        helloPending = run.resp3;
        byte[] subscribe = run.patterns ? Op.encode("PSUBSCRIBE", new String(run.patternNames[channel], StandardCharsets.US_ASCII))
                : Op.encode("SUBSCRIBE", new String(run.channelNames[channel], StandardCharsets.US_ASCII));
        ByteBuf out = ctx.alloc().buffer();
        if (run.resp3) out.writeBytes(Op.encode("HELLO", "3"));
        ctx.writeAndFlush(out.writeBytes(subscribe), ctx.voidPromise());
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            if (broken) {   // the run has failed already: the rest would only repeat the news
                in.skipBytes(in.readableBytes());
                return;
            }
            int at = in.readerIndex();
            if (in.readableBytes() >= frameLength && ByteBufUtil.equals(in, at, prefix, 0, prefix.readableBytes())) {
                if (message(in, at + prefix.readableBytes())) in.readerIndex(at + frameLength);
                continue;
            }
            int end = RespFrames.end(in, at, in.writerIndex());
            if (end < 0) return;   // incomplete: wait for more
            if (helloPending && in.getByte(at) == '%') {
                helloPending = false;
            } else if (!confirmed && end - at == confirmation.readableBytes()
                    && ByteBufUtil.equals(in, at, confirmation, 0, end - at)) {
                confirmed = true;
                subscribed.countDown();
            } else {
                failed("unexpected frame on " + new String(run.channelNames[channel], StandardCharsets.US_ASCII)
                        + ": " + RespFrames.printable(in, at, end));
            }
            in.readerIndex(end);
        }
    }

    /** Checks the payload at {@code at} and counts the copy; false (and the run failed) if wrong. */
    private boolean message(ByteBuf in, int at) {
        long p = RespFrames.digits(in, at, FanoutRun.PUBLISHER_DIGITS);
        long seq = RespFrames.digits(in, at + FanoutRun.PUBLISHER_DIGITS, FanoutRun.SEQ_DIGITS);
        int end = at + run.payload;
        if (p < 0 || p >= run.publishers || seq < 0 || in.getByte(end) != '\r' || in.getByte(end + 1) != '\n') {
            return failed("malformed payload: " + RespFrames.printable(in, at, end + 2));
        }
        int pub = (int) p;
        if (seq != next[pub]) {
            return failed(String.format("subscriber of channel %d got message %d of publisher %d, expected %d (%s)",
                    channel, seq, pub, next[pub], seq < next[pub] ? "repeated or out of order" : "lost or out of order"));
        }
        next[pub] = seq + run.channels;
        loop.frames++;
        int[] copies = loop.copies[pub];
        int slot = (int) (seq & run.mask);
        if (++copies[slot] == loop.subscribers[channel]) {
            copies[slot] = 0;
            run.loopReceived(loop, pub, seq);
        }
        return true;
    }

    /** Null if this subscriber got every message meant for it, else what it missed; on its loop, after the run. */
    String check() {
        if (!confirmed) return "a subscriber was never confirmed";
        for (int p = 0; p < run.publishers; p++) {
            long expected = run.messagesOn(channel, run.totals[p]), got = (next[p] - channel) / run.channels;
            if (got != expected) {
                return String.format("a subscriber of channel %d got %d of the %d messages publisher %d sent it",
                        channel, got, expected, p);
            }
        }
        return null;
    }

    private boolean failed(String reason) {
        broken = true;
        if (!run.finished()) run.fail(reason);   // once the tool closes, nothing here is news
        subscribed.countDown();
        return false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        failed("the server closed a subscriber's connection");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed("subscriber: " + cause);
        ctx.close();
    }

    private static void header(ByteArrayOutputStream out, byte type, int n) {
        out.write(type);
        out.writeBytes((n + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void bulk(ByteArrayOutputStream out, byte[] b) {
        out.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static void confirmation(ByteArrayOutputStream out, byte type, String word, byte[] name) {
        header(out, type, 3);
        bulk(out, word.getBytes(StandardCharsets.US_ASCII));
        bulk(out, name);
        out.writeBytes(":1\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
