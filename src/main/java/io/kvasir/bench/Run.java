package io.kvasir.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** One test: its connections, the requests they share out, and the latency they record. */
final class Run {
    /** A run that could not start (no connection, failed handshake). */
    static final class StartFailure extends Exception {
        StartFailure(String message) { super(message); }
    }

    final String name;
    final Op[] cycle;
    final int pipeline;
    final long limit;               // requests to send; Long.MAX_VALUE when timed
    final Batches shared;           // the rotating set; null in fill mode (each connection encodes)
    final byte[] handshake;
    final int handshakeReplies;
    private final long durationNanos;
    private final int clients;

    final Recorder recorder = new Recorder(3);
    final CountDownLatch ready, done;
    private final AtomicLong issued = new AtomicLong();
    private volatile long deadline;
    private volatile String failure;

    Run(String name, Op[] cycle, int pipeline, long limit, long durationNanos, Batches shared,
        byte[] handshake, int handshakeReplies, int clients) {
        this.name = name;
        this.cycle = cycle;
        this.pipeline = pipeline;
        this.limit = limit;
        this.durationNanos = durationNanos;
        this.shared = shared;
        this.handshake = handshake;
        this.handshakeReplies = handshakeReplies;
        this.clients = clients;
        this.ready = new CountDownLatch(clients);
        this.done = new CountDownLatch(clients);
    }

    /** Index of the first request of a connection's next batch, or -1 when the test is over. */
    long claim() {
        if (durationNanos > 0 && System.nanoTime() - deadline >= 0) return -1;
        long first = issued.getAndAdd(pipeline);
        return first < limit ? first : -1;
    }

    /** Requests in the batch that starts at {@code first} (the last one of a count may be short). */
    int size(long first) {
        return (int) Math.min(pipeline, limit - first);
    }

    void fail(String reason) {
        if (failure == null) failure = reason;
    }

    Result execute(Bootstrap bootstrap, String host, int port, PrintWriter progress) throws StartFailure, InterruptedException {
        List<ClientHandler> handlers = new ArrayList<>(clients);
        List<ChannelFuture> channels = new ArrayList<>(clients);
        try {
            for (int i = 0; i < clients; i++) {
                ClientHandler h = new ClientHandler(this);
                handlers.add(h);
                channels.add(bootstrap.clone().handler(h).connect(host, port));
            }
            for (ChannelFuture f : channels) {
                if (!f.awaitUninterruptibly().isSuccess()) {
                    throw new StartFailure("Could not connect to " + host + ":" + port + ": " + f.cause().getMessage());
                }
            }
            if (!ready.await(30, TimeUnit.SECONDS)) throw new StartFailure("no reply to the handshake within 30 seconds");
            if (failure != null) throw new StartFailure(failure);

            long start = System.nanoTime();
            deadline = start + durationNanos;
            for (ClientHandler h : handlers) h.start();
            Histogram total = new Histogram(3);
            Histogram interval = null;
            long lastTime = start;
            while (!done.await(1, TimeUnit.SECONDS)) {
                interval = recorder.getIntervalHistogram(interval);
                total.add(interval);
                long now = System.nanoTime();
                progress.printf("%s: %.1f s, %d requests, %.0f requests per second (last second %.0f), p50=%.3f msec%n",
                        name, (now - start) / 1e9, total.getTotalCount(), total.getTotalCount() * 1e9 / (now - start),
                        interval.getTotalCount() * 1e9 / (now - lastTime), interval.getValueAtPercentile(50) / 1e6);
                progress.flush();
                lastTime = now;
            }
            long elapsed = System.nanoTime() - start;
            total.add(recorder.getIntervalHistogram(interval));
            return result(handlers, elapsed, total);
        } finally {
            for (ChannelFuture f : channels) f.channel().close();
            for (ChannelFuture f : channels) f.channel().closeFuture().awaitUninterruptibly();
        }
    }

    private Result result(List<ClientHandler> handlers, long elapsed, Histogram latency) {
        long sent = 0, replies = 0, errors = 0, unexpected = 0, nils = 0;
        String firstError = null, firstUnexpected = null;
        for (ClientHandler h : handlers) {   // safe to read: each counted down done after its last write
            sent += h.sent;
            replies += h.replies;
            errors += h.errors;
            unexpected += h.unexpected;
            nils += h.nils;
            if (firstError == null) firstError = h.firstError;
            if (firstUnexpected == null) firstUnexpected = h.firstUnexpected;
        }
        return new Result(name, sent, replies, errors, unexpected, nils, firstError, firstUnexpected, failure,
                elapsed, latency);
    }
}
