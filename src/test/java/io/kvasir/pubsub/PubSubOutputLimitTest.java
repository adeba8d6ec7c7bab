package io.kvasir.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * client-output-buffer-limit pubsub: a subscriber that does not read is dropped once its unread
 * output passes the hard limit, or stays past the soft limit too long, while a subscriber that
 * reads keeps every message and the server keeps serving. The same scenario runs against the real
 * redis-server, which must behave the same.
 */
class PubSubOutputLimitTest {
    private static final int MESSAGE = 16 * 1024;

    @Test
    void hardLimitDropsTheSlowSubscriberOnly() throws Exception {
        try (RealRedis redis = RealRedis.startDedicated()) {
            hardLimitScenario(redis.port());
        }
        try (KvasirServer kvasir = KvasirServer.builder().port(0).start()) {
            hardLimitScenario(kvasir.port());
        }
    }

    @Test
    void softLimitDropsASubscriberThatStaysPastItTooLong() throws Exception {
        try (RealRedis redis = RealRedis.startDedicated()) {
            softLimitScenario(redis.port());
        }
        try (KvasirServer kvasir = KvasirServer.builder().port(0).start()) {
            softLimitScenario(kvasir.port());
        }
    }

    /**
     * Unlimited at first: several megabytes pile up for the slow subscriber and it stays. Then a hard
     * limit of 1mb (set live): it is dropped, the fast one is not.
     */
    private static void hardLimitScenario(int port) throws Exception {
        try (RawClient admin = new RawClient(port); Socket slow = slowSubscriber(port, "ol:hard")) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 0"));
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (RawClient fast = new RawClient(port)) {
                fast.call("SUBSCRIBE", "ol:hard");
                AtomicInteger seen = new AtomicInteger();
                Future<Integer> reader = pool.submit(() -> readUntil(fast, "end", seen));
                int published = publish(admin, "ol:hard", 4 * 1024 * 1024 / MESSAGE, n -> assertEquals(2, n));
                // the fast subscriber must never be a limit's worth behind, however slow this machine is
                awaitRead(seen, published);
                assertEquals("*4\r\n$7\r\nol:hard\r\n:2\r\n$7\r\nignored\r\n:0\r\n",
                        admin.call("PUBSUB", "NUMSUB", "ol:hard", "ignored"), "not dropped without a limit");
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0"));
                long[] receivers = {2};
                for (int round = 0; round < 200 && receivers[0] == 2; round++) {
                    published += publish(admin, "ol:hard", 16, n -> receivers[0] = n);
                    awaitRead(seen, published);
                }
                assertEquals(1, receivers[0], "the slow subscriber was dropped");
                published += publish(admin, "ol:hard", 1, n -> assertEquals(1, n));
                assertEquals(":1\r\n", admin.call("PUBLISH", "ol:hard", "end"));
                assertEquals(published, reader.get(30, TimeUnit.SECONDS), "the fast subscriber got everything");
                assertEquals("+PONG\r\n", admin.call("PING"));
                String list = admin.call("CLIENT", "LIST", "TYPE", "pubsub");
                assertEquals(1, list.lines().filter(l -> l.contains(" sub=1 ")).count(), list);
            } finally {
                pool.shutdownNow();
                admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
            }
        }
    }

    /** No hard limit, a soft limit of 256kb for one second: the slow subscriber goes after about two seconds. */
    private static void softLimitScenario(int port) throws Exception {
        try (RawClient admin = new RawClient(port); Socket slow = slowSubscriber(port, "ol:soft")) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 256kb 1"));
            try {
                long start = System.currentTimeMillis();
                long[] receivers = {1};
                while (receivers[0] == 1 && System.currentTimeMillis() - start < 15_000) {
                    publish(admin, "ol:soft", 16, n -> receivers[0] = n);
                    Thread.sleep(50);
                }
                assertEquals(0, receivers[0], "dropped past the soft limit");
                assertTrue(System.currentTimeMillis() - start >= 1000, "not before the soft limit's seconds");
            } finally {
                admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 32mb 8mb 60");
            }
        }
    }

    /** A subscriber with a small receive buffer that reads its confirmation and nothing more. */
    private static Socket slowSubscriber(int port, String channel) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.getOutputStream().write(RawClient.encode("SUBSCRIBE", channel));
        byte[] confirmation = ("*3\r\n$9\r\nsubscribe\r\n$" + channel.length() + "\r\n" + channel + "\r\n:1\r\n").getBytes();
        int read = 0;
        while (read < confirmation.length) read += s.getInputStream().read(new byte[confirmation.length - read]);
        return s;
    }

    /** Publishes {@code count} messages of MESSAGE bytes, pipelined; hands each receiver count to {@code check}. */
    private static int publish(RawClient c, String channel, int count, LongConsumer check) throws Exception {
        byte[] payload = new byte[MESSAGE];
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) batch.writeBytes(RawClient.encode("PUBLISH".getBytes(), channel.getBytes(), payload));
        c.send(batch.toByteArray());
        for (int i = 0; i < count; i++) {
            String r = c.readReply();
            check.accept(Long.parseLong(r.substring(1, r.length() - 2)));
        }
        return count;
    }

    /** Reads messages until one whose payload is {@code last}, counting them in {@code seen}; returns the count. */
    private static int readUntil(RawClient c, String last, AtomicInteger seen) throws Exception {
        while (!c.readReply().endsWith("\r\n" + last + "\r\n")) seen.incrementAndGet();
        return seen.get();
    }

    /** Waits until the fast subscriber has read {@code count} messages. */
    private static void awaitRead(AtomicInteger seen, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (seen.get() < count) {
            assertTrue(System.currentTimeMillis() < deadline, "the fast subscriber fell behind: " + seen.get() + " of " + count);
            Thread.sleep(1);
        }
    }
}
