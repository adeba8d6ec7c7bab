package io.kvasir.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many subscribers spread over several event loops, in RESP2 and RESP3, on channels and on a pattern;
 * many publishers at once, pipelining. Every subscriber must receive every message meant for it
 * exactly once, in each publisher's order, and every PUBLISH must count its receivers exactly.
 */
class PubSubStressTest {
    private static final int CHANNELS = 4, SUBSCRIBERS = 12, PUBLISHERS = 6, MESSAGES = 1000, BATCH = 100;

    /** Subscriber i listens to two channels, every third one to the pattern as well. */
    private static int[] channelsOf(int i) {
        return new int[] {i % CHANNELS, (i + 1) % CHANNELS};
    }

    private static boolean patternOf(int i) {
        return i % 3 == 0;
    }

    @Test
    void everyMessageArrivesOnceAndInPublisherOrder() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).config("io-threads", "4").start()) {
            int[] receivers = new int[CHANNELS];
            List<RawClient> subs = new ArrayList<>();
            int[] expectedPerSubscriber = new int[SUBSCRIBERS];
            for (int i = 0; i < SUBSCRIBERS; i++) {
                RawClient c = new RawClient(server.port());
                subs.add(c);
                if (i % 2 == 1) c.call("HELLO", "3");
                for (int ch : channelsOf(i)) {
                    c.call("SUBSCRIBE", "st:" + ch);
                    receivers[ch]++;
                    expectedPerSubscriber[i] += PUBLISHERS * MESSAGES / CHANNELS;
                }
                if (patternOf(i)) {
                    c.call("PSUBSCRIBE", "st:*");
                    for (int ch = 0; ch < CHANNELS; ch++) receivers[ch]++;
                    expectedPerSubscriber[i] += PUBLISHERS * MESSAGES;
                }
            }
            ExecutorService pool = Executors.newFixedThreadPool(SUBSCRIBERS + PUBLISHERS);
            try {
                List<Future<String>> readers = new ArrayList<>();
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    int id = i;
                    readers.add(pool.submit(() -> read(subs.get(id), id, expectedPerSubscriber[id])));
                }
                List<Future<?>> publishers = new ArrayList<>();
                for (int p = 0; p < PUBLISHERS; p++) {
                    int id = p;
                    publishers.add(pool.submit(() -> {
                        publish(server.port(), id, receivers);
                        return null;
                    }));
                }
                for (Future<?> f : publishers) f.get(60, TimeUnit.SECONDS);
                for (Future<String> f : readers) assertEquals("ok", f.get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
                for (RawClient c : subs) c.close();
            }
        }
    }

    /** Publishes MESSAGES messages "p:seq", seq going round the channels; checks every count. */
    private static void publish(int port, int p, int[] receivers) throws Exception {
        try (RawClient c = new RawClient(port)) {
            for (int start = 0; start < MESSAGES; start += BATCH) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int k = start; k < start + BATCH; k++) {
                    batch.writeBytes(RawClient.encode("PUBLISH", "st:" + (k % CHANNELS), p + ":" + k));
                }
                c.send(batch.toByteArray());
                for (int k = start; k < start + BATCH; k++) {
                    assertEquals(":" + receivers[k % CHANNELS] + "\r\n", c.readReply(), "publisher " + p + " message " + k);
                }
            }
        }
    }

    /**
     * Reads the subscriber's messages: per channel (or pattern) and publisher, the sequence numbers
     * must be exactly those sent there, in order; then a PING must come next (nothing left over).
     */
    private static String read(RawClient c, int id, int expected) throws Exception {
        Map<String, Integer> next = new HashMap<>();
        for (int n = 0; n < expected; n++) {
            String[] f = c.readReply().split("\r\n");
            boolean pattern = f[2].equals("pmessage");
            String channel = f[pattern ? 6 : 4];
            String[] payload = f[pattern ? 8 : 6].split(":");
            int seq = Integer.parseInt(payload[1]);
            int ch = Integer.parseInt(channel.substring(3));
            assertEquals(ch, seq % CHANNELS, "message on the wrong channel");
            String stream = (pattern ? "pattern" : channel) + " from " + payload[0];
            int want = next.getOrDefault(stream, pattern ? 0 : ch);
            assertEquals(want, seq, "subscriber " + id + ", " + stream);
            next.put(stream, seq + (pattern ? 1 : CHANNELS));
        }
        c.command("PING");
        String pong = c.readReply();
        assertTrue(pong.contains("pong") || pong.equals("+PONG\r\n"), "left over: " + pong);
        return "ok";
    }
}
