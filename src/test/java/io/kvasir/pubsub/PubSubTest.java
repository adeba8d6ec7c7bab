package io.kvasir.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the differential scripts cannot compare byte for byte: replies in Redis's hash order, timing
 * under CLIENT PAUSE, and the publishing API the rest of the server uses.
 */
class PubSubTest {
    private static KvasirServer own;

    @BeforeAll
    static void start() {
        own = KvasirServer.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    /**
     * UNSUBSCRIBE (and the others) without arguments confirms each subscription once, in some order,
     * with counts going down to 0 (channels and patterns counted together): the same set of
     * confirmations as Redis's.
     */
    @Test
    void unsubscribingFromEverythingConfirmsEachSubscriptionOnce() throws Exception {
        for (int resp : new int[] {2, 3}) {
            List<String> redis = unsubscribeAll(RealRedis.get().port(), resp);
            List<String> kvasir = unsubscribeAll(own.port(), resp);
            assertEquals(new TreeSet<>(redis.subList(0, 4)), new TreeSet<>(kvasir.subList(0, 4)));
            assertEquals(redis.subList(4, redis.size()), kvasir.subList(4, kvasir.size()));
        }
    }

    /**
     * The four names the UNSUBSCRIBE confirmations name, then for each kind the counts of its
     * confirmations in order, then a GET (allowed again).
     */
    private static List<String> unsubscribeAll(int port, int resp) throws Exception {
        try (RawClient c = new RawClient(port)) {
            if (resp == 3) c.call("HELLO", "3");
            for (String ch : List.of("ua:a", "ua:b", "ua:c", "ua:d")) c.call("SUBSCRIBE", ch);
            for (String p : List.of("ua:*", "ua:?")) c.call("PSUBSCRIBE", p);
            for (String s : List.of("ua:s", "ua:t")) c.call("SSUBSCRIBE", s);
            List<String> names = new ArrayList<>(), counts = new ArrayList<>();
            for (String cmd : List.of("UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE")) {
                c.command(cmd);
                int n = cmd.equals("UNSUBSCRIBE") ? 4 : 2;
                StringBuilder seen = new StringBuilder(cmd);
                for (int i = 0; i < n; i++) {
                    String[] f = c.readReply().split("\r\n");
                    if (cmd.equals("UNSUBSCRIBE")) names.add(f[4]);
                    seen.append(' ').append(f[5]);
                }
                counts.add(seen.toString());
            }
            counts.add(c.call("GET", "ua:k")); // out of the pub/sub context again
            names.addAll(counts);
            return names;
        }
    }

    /** PUBLISH and SPUBLISH wait out a CLIENT PAUSE WRITE, as Redis holds them; PUBSUB does not. */
    @Test
    void publishingWaitsForAWritePause() throws Exception {
        try (RawClient admin = new RawClient(own.port()); RawClient c = new RawClient(own.port())) {
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "400", "WRITE"));
            long start = System.nanoTime();
            assertEquals("*0\r\n", c.call("PUBSUB", "NUMSUB"));
            long inspect = System.nanoTime() - start;
            assertEquals(":0\r\n", c.call("PUBLISH", "pw:x", "m"));
            assertEquals(":0\r\n", c.call("SPUBLISH", "pw:x", "m"));
            long publish = System.nanoTime() - start;
            assertTrue(inspect < 300_000_000L, "PUBSUB NUMSUB was held " + inspect / 1_000_000 + "ms");
            assertTrue(publish >= 300_000_000L, "PUBLISH was not held: " + publish / 1_000_000 + "ms");
        }
    }

    /** Subscribers wait for messages: the idle timeout spares them, as Redis does, in either protocol. */
    @Test
    void subscribersAreNotIdle() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).config("timeout", "1").start();
                RawClient idle = new RawClient(server.port()); RawClient sub = new RawClient(server.port());
                RawClient sub3 = new RawClient(server.port())) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            sub.call("SUBSCRIBE", "idle:ch");
            sub3.call("HELLO", "3");
            sub3.call("SSUBSCRIBE", "idle:ch");
            assertTrue(idle.closedByServer(4000), "an idle client goes");
            assertEquals("*2\r\n$4\r\npong\r\n$0\r\n\r\n", sub.call("PING"));
            assertEquals("+PONG\r\n", sub3.call("PING"));
        }
    }

    /** The API for the rest of the server: any thread, counts receivers, and the bytes arrive as PUBLISH's. */
    @Test
    void theServerPublishesFromAnyThread() throws Exception {
        try (RawClient sub = new RawClient(own.port()); RawClient sub3 = new RawClient(own.port())) {
            sub.call("SUBSCRIBE", "api:ch");
            sub3.call("HELLO", "3");
            sub3.call("PSUBSCRIBE", "api:*");
            byte[] channel = "api:ch".getBytes(StandardCharsets.US_ASCII);
            long[] n = new long[1];
            Thread t = Thread.ofPlatform().start(() -> n[0] = own.kvasir().pubsub().publish(channel, new byte[] {0, 'x'}));
            t.join();
            assertEquals(2, n[0]);
            assertEquals("*3\r\n$7\r\nmessage\r\n$6\r\napi:ch\r\n$2\r\n\0x\r\n", sub.readReply());
            assertEquals(">4\r\n$8\r\npmessage\r\n$5\r\napi:*\r\n$6\r\napi:ch\r\n$2\r\n\0x\r\n", sub3.readReply());
            assertEquals(0, own.kvasir().pubsub().publish("api".getBytes(StandardCharsets.US_ASCII), new byte[0]));
            assertEquals(Set.of(), Set.copyOf(own.kvasir().pubsub().active(PubSub.Kind.SHARD, null)));
        }
    }
}
