package io.kvasir.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;

/**
 * One publisher connection, on its event loop: sends a batch of -P PUBLISHes, waits for their
 * replies (each must count exactly the channel's subscribers), and sends the next batch, as long
 * as that stays within the window: no more than --window of its messages may be on their way to
 * some subscriber, so the server's output buffers stay bounded whatever the speeds.
 */
final class FanoutPublisher extends ChannelInboundHandlerAdapter implements ReplyParser.Listener {
    private final FanoutRun run;
    private final int id, depth;
    private final FanoutRun.Track track;
    private final ReplyParser parser = new ReplyParser(this);
    private final byte[][] prefixes;     // per channel: a PUBLISH up to the payload's digits
    private final byte[] tail;           // the payload's padding and the request's CRLF
    private final AtomicBoolean waiting = new AtomicBoolean();
    private final CountDownLatch connected;
    private ChannelHandlerContext ctx;
    private long next, end;              // next message number; end of the current phase
    private long batchFirst, sentAt;
    private int inFlight, answered;
    private CountDownLatch phaseDone;
    private boolean phaseOver;
    /** Round trips of this phase's batches, one value per request; on this loop. */
    final Histogram latency = new Histogram(3);

    FanoutPublisher(FanoutRun run, int id, int depth, CountDownLatch connected) {
        this.run = run;
        this.id = id;
        this.depth = depth;
        this.connected = connected;
        this.track = run.tracks[id];
        track.publisher = this;
        prefixes = new byte[run.channels][];
        for (int k = 0; k < run.channels; k++) {
            byte[] name = run.channelNames[k];
            prefixes[k] = ascii("*3\r\n$7\r\nPUBLISH\r\n$" + name.length + "\r\n" + new String(name, StandardCharsets.US_ASCII)
                    + "\r\n$" + run.payload + "\r\n");
        }
        tail = ascii("x".repeat(run.payload - FanoutRun.ID_DIGITS) + "\r\n");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connected.countDown();
    }

    /** Publishes up to message {@code end} (exclusive), then counts down {@code done}. From any thread. */
    void phase(long end, CountDownLatch done) {
        ctx.executor().execute(() -> {
            this.end = end;
            this.phaseDone = done;
            phaseOver = false;
            latency.reset();
            sendNext();
        });
    }

    private void sendNext() {
        if (inFlight > 0 || phaseOver || run.failure() != null) return;
        if (next == end) {
            if (track.delivered() == end) {
                phaseOver = true;
                phaseDone.countDown();
            }
            return;
        }
        int n = (int) Math.min(depth, end - next);
        if (next + n > track.delivered() + run.window) {
            waiting.set(true);   // then look again, or a delivery in between could go unnoticed
            if (next + n > track.delivered() + run.window) return;
            waiting.set(false);
        }
        ByteBuf out = ctx.alloc().ioBuffer(n * (prefixes[0].length + run.payload + 2));
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long seq = next + i;
            int k = run.channelOf(seq), slot = (int) (seq & run.mask);
            track.sentAt[slot] = now;
            track.pending.set(slot, run.loopsPerChannel[k]);   // publishes sentAt to the loop that completes it
            out.writeBytes(prefixes[k]);
            digits(out, id, FanoutRun.PUBLISHER_DIGITS);
            digits(out, seq, FanoutRun.SEQ_DIGITS);
            out.writeBytes(tail);
        }
        batchFirst = next;
        next += n;
        inFlight = n;
        answered = 0;
        sentAt = now;
        ctx.writeAndFlush(out, ctx.voidPromise());
    }

    /** Runs {@code task} on this publisher's loop and waits for it. */
    void onLoop(Runnable task) throws InterruptedException, java.util.concurrent.ExecutionException {
        ctx.executor().submit(task).get();
    }

    /** Messages 0 .. {@code delivered}-1 reached every subscriber; on the loop that saw the last one. */
    void delivered(long delivered) {
        if (waiting.compareAndSet(true, false) || delivered == end) ctx.executor().execute(this::sendNext);
    }

    @Override
    public void reply(byte type, byte[] line, int length) {
        if (inFlight == 0) {
            run.fail("publisher: a reply nothing asked for: " + (char) type + new String(line, 0, length, StandardCharsets.UTF_8));
            return;
        }
        long seq = batchFirst + answered++;
        int expected = run.receivers[run.channelOf(seq)];
        long count = type == ':' ? parse(line, length) : -1;
        if (count != expected) {
            run.fail("PUBLISH of message " + seq + " replied " + (char) type + new String(line, 0, length, StandardCharsets.UTF_8)
                    + ", expected :" + expected + " (its channel's subscribers)");
        }
        if (answered == inFlight) {
            latency.recordValueWithCount(System.nanoTime() - sentAt, inFlight);
            inFlight = 0;
            sendNext();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            parser.feed(in);
        } catch (ReplyParser.ProtocolException e) {
            run.fail("publisher: protocol error in reply: " + e.getMessage());
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!run.finished()) run.fail("the server closed a publisher's connection");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        run.fail("publisher: " + cause);
        ctx.close();
    }

    private static long parse(byte[] line, int length) {
        long v = 0;
        for (int i = 0; i < length; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return length == 0 ? -1 : v;
    }

    /** {@code v} as {@code count} digits, zero-padded. */
    private static void digits(ByteBuf out, long v, int count) {
        int at = out.ensureWritable(count).writerIndex();
        out.writerIndex(at + count);
        for (int i = at + count - 1; i >= at; i--, v /= 10) out.setByte(i, '0' + (int) (v % 10));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
