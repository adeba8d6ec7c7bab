package io.kvasir.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CLIENT TRACKING under concurrent writers on other event loops. A tracking reader keeps what it
 * reads in a local cache and drops a key when an invalidation names it: if a write could slip
 * between a read and its remembering (or an invalidation were lost), the cache would end up holding
 * a value the server no longer has.
 */
class TrackingConcurrencyTest {
    private static final int KEYS = 40, WRITERS = 3, ROUNDS = 400, PIPELINE = 8;
    private static KvasirServer server;

    @BeforeAll
    static void start() {
        server = KvasirServer.builder().port(0).config("io-threads", "4").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void noWriteAfterARemainsUnannounced() throws Exception {
        Map<String, String> cache = new HashMap<>();
        int invalidations = 0;
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try (RawClient reader = new RawClient(server.port())) {
            reader.call("HELLO", "3");
            assertEquals("+OK\r\n", reader.call("CLIENT", "TRACKING", "on"));
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int seed = w;
                writers.add(pool.submit(() -> write(seed, stop)));
            }
            Random random = new Random(7);
            for (int round = 0; round < ROUNDS; round++) {
                String[] keys = new String[PIPELINE];
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int i = 0; i < PIPELINE; i++) {
                    keys[i] = "k" + random.nextInt(KEYS);
                    batch.writeBytes(RawClient.encode("GET", keys[i]));
                }
                reader.send(batch.toByteArray());
                for (int i = 0; i < PIPELINE; ) {
                    String r = reader.readReply();
                    if (r.startsWith(">")) {
                        invalidate(cache, r);
                        invalidations++;
                        continue;
                    }
                    cache.put(keys[i++], r);
                }
            }
            stop.set(true);
            for (Future<?> f : writers) f.get();
            // every write has returned, so its invalidation is queued: it arrives before this PONG
            reader.command("PING");
            for (String r; !(r = reader.readReply()).equals("+PONG\r\n"); ) {
                assertTrue(r.startsWith(">"), r);
                invalidate(cache, r);
                invalidations++;
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(invalidations > 0, "the writers changed keys the reader had read");
        try (RawClient check = new RawClient(server.port())) {
            check.call("HELLO", "3");
            for (Map.Entry<String, String> e : cache.entrySet()) {
                assertEquals(check.call("GET", e.getKey()), e.getValue(), "cached " + e.getKey() + " is stale");
            }
        }
    }

    /** Writes the keys at random until told to stop: SET, INCR and DEL, pipelined. */
    private static Void write(int seed, AtomicBoolean stop) throws Exception {
        Random random = new Random(seed);
        try (RawClient c = new RawClient(server.port())) {
            while (!stop.get()) {
                ByteArrayOutputStream batch = new ByteArrayOutputStream();
                for (int i = 0; i < PIPELINE; i++) {
                    String key = "k" + random.nextInt(KEYS);
                    batch.writeBytes(switch (random.nextInt(3)) {
                        case 0 -> RawClient.encode("SET", key, "w" + seed + "-" + random.nextInt(1000));
                        case 1 -> RawClient.encode("DEL", key);
                        default -> RawClient.encode("SET", key, Integer.toString(random.nextInt(1000)));
                    });
                }
                c.send(batch.toByteArray());
                for (int i = 0; i < PIPELINE; i++) c.readReply();
            }
        }
        return null;
    }

    /** Drops the keys a push {@code [invalidate, [k...]]} names. */
    private static void invalidate(Map<String, String> cache, String push) {
        for (String key : keysOf(push)) cache.remove(key);
    }

    /** The keys of ">2\r\n$10\r\ninvalidate\r\n*n\r\n$len\r\nkey\r\n...". */
    static Set<String> keysOf(String push) {
        Set<String> keys = new TreeSet<>();
        String[] lines = push.split("\r\n");
        assertEquals(">2", lines[0], push);
        assertEquals("invalidate", lines[2], push);
        int n = Integer.parseInt(lines[3].substring(1));
        for (int i = 0; i < n; i++) keys.add(lines[5 + 2 * i]);
        return keys;
    }
}
