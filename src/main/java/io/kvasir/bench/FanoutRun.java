package io.kvasir.bench;

import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.HdrHistogram.Histogram;

/**
 * What the connections of one fan-out run share: the channels, who listens where, and for every
 * message still travelling, how many event loops of the tool have not yet seen all of its copies.
 *
 * <p>Counting deliveries is batched per event loop, so that the tool's threads do not fight over a
 * counter per delivery: each loop counts the copies of a message its own subscribers got (a plain
 * int), and only when all of them have it does it decrement the message's shared counter, once. The
 * loop that takes it to zero saw the message complete: it records the fan-out latency and moves the
 * publisher's delivered mark, which is what lets the publisher send more (its window).
 */
final class FanoutRun {
    /** Payload digits: the publisher (3) and its message number (9); the rest of a payload is 'x'. */
    static final int PUBLISHER_DIGITS = 3, SEQ_DIGITS = 9, ID_DIGITS = PUBLISHER_DIGITS + SEQ_DIGITS;

    final int channels, publishers, window, payload, mask;
    final boolean patterns, resp3;
    final byte[][] channelNames, patternNames;
    /** Messages each publisher sends in all (warm-up included). */
    final long[] totals;
    final Track[] tracks;
    final ConcurrentHashMap<EventExecutor, Loop> loops = new ConcurrentHashMap<>();
    /** Set once every subscriber is in, before any publisher starts. */
    int[] receivers, loopsPerChannel;
    private volatile String failure;
    private volatile boolean finished;

    FanoutRun(int channels, boolean patterns, boolean resp3, long[] totals, int window, int payload) {
        this.channels = channels;
        this.patterns = patterns;
        this.resp3 = resp3;
        this.publishers = totals.length;
        this.totals = totals;
        this.window = window;
        this.payload = payload;
        this.mask = Integer.highestOneBit(Math.max(1, window - 1)) * 2 - 1;   // a ring of a power of two >= window
        channelNames = new byte[channels][];
        patternNames = new byte[channels][];
        for (int k = 0; k < channels; k++) {
            String name = String.format("fanout:%06d", k);
            channelNames[k] = name.getBytes(StandardCharsets.US_ASCII);
            // the trailing * makes it a pattern without matching any other channel of the run
            patternNames[k] = (name + "*").getBytes(StandardCharsets.US_ASCII);
        }
        tracks = new Track[publishers];
        for (int p = 0; p < publishers; p++) tracks[p] = new Track(mask + 1);
    }

    /** The channel of a publisher's message {@code seq}: the channels take turns. */
    int channelOf(long seq) {
        return (int) (seq % channels);
    }

    /** Messages of a publisher's {@code total} that go to channel {@code k}. */
    long messagesOn(int k, long total) {
        return share(total, channels, k);
    }

    /** Part {@code i} of {@code total} split as evenly as can be into {@code parts}. */
    static long share(long total, int parts, int i) {
        return total / parts + (i < total % parts ? 1 : 0);
    }

    Loop loop(EventExecutor executor) {
        return loops.computeIfAbsent(executor, e -> new Loop(publishers, mask + 1, channels));
    }

    /** After every subscriber confirmed: how many listen to each channel, and on how many loops. */
    void subscribersIn() {
        receivers = new int[channels];
        loopsPerChannel = new int[channels];
        for (Loop l : loops.values()) {
            for (int k = 0; k < channels; k++) {
                receivers[k] += l.subscribers[k];
                if (l.subscribers[k] > 0) loopsPerChannel[k]++;
            }
        }
    }

    /** Every subscriber on {@code loop} has message {@code seq} of publisher {@code p}; on that loop. */
    void loopReceived(Loop loop, int p, long seq) {
        Track t = tracks[p];
        int slot = (int) (seq & mask);
        if (t.pending.decrementAndGet(slot) != 0) return;
        loop.fanout.recordValue(Math.max(0, System.nanoTime() - t.sentAt[slot]));
        t.complete(slot);
    }

    void fail(String reason) {
        if (failure == null) failure = reason;
    }

    String failure() { return failure; }

    /** The run is over: connections closing now are the tool's doing, not failures. */
    void finish() { finished = true; }

    boolean finished() { return finished; }

    /** One publisher's messages in flight, in a ring of slots indexed by message number. */
    static final class Track {
        final AtomicIntegerArray pending;   // loops that have not yet seen every copy
        final long[] sentAt;                // written before pending is set, read after it reaches 0
        private final boolean[] done;
        private volatile long delivered;    // messages 0 .. delivered-1 reached every subscriber
        volatile FanoutPublisher publisher;

        Track(int slots) {
            pending = new AtomicIntegerArray(slots);
            sentAt = new long[slots];
            done = new boolean[slots];
        }

        long delivered() { return delivered; }

        /** Message in {@code slot} reached everyone: with several channels they may finish out of order. */
        private void complete(int slot) {
            long d;
            synchronized (this) {
                done[slot] = true;
                d = delivered;
                int mask = done.length - 1;
                while (done[(int) (d & mask)]) done[(int) (d++ & mask)] = false;
                delivered = d;
            }
            publisher.delivered(d);
        }
    }

    /** One event loop of the tool: its subscribers per channel and the copies they have seen. */
    static final class Loop {
        final int[] subscribers;
        final int[][] copies;     // [publisher][slot]: copies of the message seen on this loop
        final Histogram fanout = new Histogram(3);
        long frames;

        Loop(int publishers, int slots, int channels) {
            subscribers = new int[channels];
            copies = new int[publishers][slots];
        }
    }
}
