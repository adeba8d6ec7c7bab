package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.store.Keyspace;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Commands run on several event-loop threads at once against the shared keyspace: counters must
 * not lose updates, and a multi-key MSET must never be seen half done.
 */
class StringConcurrencyTest {
    private static final int THREADS = 4;

    @Test
    void concurrentIncrementsGiveExactTotals() throws Exception {
        int port = TestServers.kvasir().port();
        String[] keys = {"conc:incr:a", "conc:incr:b", "conc:incr:c"};
        try (RawClient c = new RawClient(port)) {
            for (String k : keys) c.call("SET", k, "0");
        }
        int rounds = 50, batch = 60; // pipelined, so that commands really overlap
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            work.add(() -> {
                try (RawClient c = new RawClient(port)) {
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < batch; i++) {
                            String k = keys[i % keys.length];
                            if (i % 2 == 0) c.command("INCR", k);
                            else c.command("INCRBY", k, Integer.toString(thread + 1));
                        }
                        for (int i = 0; i < batch; i++) assertTrue(c.readReply().startsWith(":"));
                    }
                }
                return null;
            });
        }
        runAll(work);
        // Per thread and round, each key gets batch/(2*keys) INCRs and as many INCRBY thread+1.
        long perKey = 0;
        for (int t = 0; t < THREADS; t++) perKey += (long) rounds * (batch / (2 * keys.length)) * (1 + (t + 1));
        try (RawClient c = new RawClient(port)) {
            for (String k : keys) assertEquals(bulk(Long.toString(perKey)), c.call("GET", k), k);
        }
    }

    @Test
    void msetIsNeverSeenHalfDone() throws Exception {
        int port = TestServers.kvasir().port();
        String a = "conc:pair:a", b = "conc:pair:b";
        // The point is two stripes: one lock would make this trivially atomic.
        assertNotEquals(stripe(a), stripe(b));
        try (RawClient c = new RawClient(port)) {
            c.call("MSET", a, "0", b, "0");
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Callable<Void>> work = new ArrayList<>();
        int writers = THREADS / 2, writes = 1500;
        for (int w = 0; w < writers; w++) {
            int writer = w;
            work.add(() -> {
                try (RawClient c = new RawClient(port)) {
                    for (int i = 0; i < writes; i++) {
                        String v = writer + ":" + i;
                        assertEquals("+OK\r\n", c.call("MSET", a, v, b, v));
                    }
                }
                return null;
            });
        }
        List<Integer> reads = new ArrayList<>();
        for (int r = 0; r < THREADS - writers; r++) {
            work.add(() -> {
                int n = 0;
                try (RawClient c = new RawClient(port)) {
                    while (writing.get()) {
                        String reply = c.call("MGET", a, b);
                        String[] lines = reply.split("\r\n");
                        assertEquals("*2", lines[0]);
                        assertEquals(lines[2], lines[4], "MGET saw a half-done MSET: " + reply);
                        n++;
                    }
                }
                synchronized (reads) {
                    reads.add(n);
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (Callable<Void> task : work) futures.add(pool.submit(task));
            try {
                for (int w = 0; w < writers; w++) futures.get(w).get();
            } finally {
                writing.set(false); // readers stop even if a writer failed
            }
            for (Future<Void> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertTrue(reads.stream().allMatch(n -> n > 0), "readers ran: " + reads);
    }

    private static void runAll(List<Callable<Void>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            for (Future<Void> f : pool.invokeAll(work)) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static int stripe(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return Keyspace.stripeOf(k, 0, k.length);
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }
}
