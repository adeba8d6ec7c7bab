package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.store.Keyspace;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sorted set commands from many connections at once: increments are never lost, multi-key commands
 * (their keys found through numkeys) see and change their keys atomically.
 */
class SortedSetConcurrencyTest {
    static KvasirServer server;

    @BeforeAll
    static void start() {
        server = KvasirServer.builder().port(0).config("save", "").start();
        // the multi-key tests below mean something only if their keys live under different locks
        assertTrue(stripe("a") != stripe("b"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static int stripe(String key) {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        return Keyspace.stripeOf(k, 0, k.length);
    }

    static <T> List<T> inParallel(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) futures.add(pool.submit(task));
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void incrementsAreNeverLost() throws Exception {
        inParallel(4, () -> {
            try (RawClient c = new RawClient(server.port())) {
                for (int i = 0; i < 2000; i++) c.call("ZINCRBY", "z", "1", "m" + (i % 7));
            }
            return null;
        });
        try (RawClient c = new RawClient(server.port())) {
            List<String> flat = Resp.parse(c.call("ZRANGE", "z", "0", "-1", "WITHSCORES")).texts();
            double total = 0;
            for (int i = 1; i < flat.size(); i += 2) total += Double.parseDouble(flat.get(i));
            assertEquals(8000, total);
            c.call("DEL", "z");
        }
    }

    /** Every member of two sets is popped by exactly one of the poppers. */
    @Test
    void zmpopHandsOutEachMemberOnce() throws Exception {
        Set<String> all = new HashSet<>();
        try (RawClient c = new RawClient(server.port())) {
            for (String key : new String[] {"a", "b"}) {
                List<String> cmd = new ArrayList<>(List.of("ZADD", key));
                for (int i = 0; i < 1500; i++) {
                    cmd.add(Integer.toString(i));
                    cmd.add(key + i);
                    all.add(key + i);
                }
                c.call(cmd.toArray(new String[0]));
            }
        }
        List<List<String>> popped = inParallel(4, () -> {
            List<String> mine = new ArrayList<>();
            try (RawClient c = new RawClient(server.port())) {
                while (true) {
                    Resp.Node r = Resp.parse(c.call("ZMPOP", "2", "a", "b", "MIN", "COUNT", "3"));
                    if (r.children().isEmpty()) return mine;
                    for (Resp.Node pair : r.children().get(1).children()) mine.add(pair.children().getFirst().text());
                }
            }
        });
        List<String> flat = new ArrayList<>();
        popped.forEach(flat::addAll);
        assertEquals(all.size(), flat.size());
        assertEquals(all, new HashSet<>(flat));
    }

    /**
     * b is always a snapshot of a, which only grows: a command reading both (ZDIFF) must never find a
     * member of b missing from a, nor see a half-written b.
     */
    @Test
    void storeAndReadOfTwoKeysAreAtomic() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        try (RawClient c = new RawClient(server.port())) {
            c.call("DEL", "a", "b");
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                try (RawClient c = new RawClient(server.port())) {
                    for (int i = 0; i < 1500; i++) {
                        c.call("ZADD", "a", Integer.toString(i % 50), "v" + i);
                        c.call("ZUNIONSTORE", "b", "1", "a");
                    }
                } finally {
                    done.set(true);
                }
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    int checks = 0;
                    try (RawClient c = new RawClient(server.port())) {
                        while (!done.get()) {
                            assertEquals("*0\r\n", c.call("ZDIFF", "2", "b", "a"));
                            long inter = Long.parseLong(c.call("ZINTERCARD", "2", "a", "b").trim().substring(1));
                            assertTrue(inter >= 0);
                            checks++;
                        }
                    }
                    return checks;
                }));
            }
            writer.get();
            for (Future<Integer> r : readers) assertTrue(r.get() > 0);
            try (RawClient c = new RawClient(server.port())) {
                assertEquals(":1500\r\n", c.call("ZCARD", "b"));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
