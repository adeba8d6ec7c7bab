package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.store.Keyspace;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * RENAME and COPY are atomic to other clients while readers run on other threads.
 *
 * <ul>
 *   <li>A writer bounces one key between two names with RENAME; at every moment exactly one of the
 *       names exists, so a reader's {@code EXISTS a b} (one command, both stripes locked) always
 *       answers 1 and {@code GET} of either name never returns a foreign value.
 *   <li>A writer keeps replacing a source with self-checking values of increasing generation; a
 *       copier copies it into this and another database. Readers of the copies only ever see a
 *       whole value, and generations that never go backwards.
 * </ul>
 */
class RenameCopyConcurrencyTest {
    private static final long RUN_MILLIS = 1500;
    private static final int BATCH = 200;

    @Test
    void renamedKeyAlwaysExistsUnderExactlyOneName() throws Exception {
        assertEquals(Keyspace.stripeOf(b("{t}a"), 0, 4), Keyspace.stripeOf(b("{t}b"), 0, 4));
        assertNotEquals(Keyspace.stripeOf(b("ra"), 0, 2), Keyspace.stripeOf(b("rb"), 0, 2));
        try (KvasirServer server = KvasirServer.builder().port(0).start()) {
            int port = server.port();
            Race race = new Race();
            String[][] pairs = {{"{t}a", "{t}b"}, {"ra", "rb"}};
            try (RawClient c = new RawClient(port)) {
                for (String[] pair : pairs) c.call("SET", pair[0], "payload");
            }
            for (String[] pair : pairs) {
                // pipelined batches keep the server busy, so the commands really interleave
                byte[] there = RawClient.encode("RENAME", pair[0], pair[1]);
                byte[] back = RawClient.encode("RENAMENX", pair[1], pair[0]);
                race.start(() -> {
                    try (RawClient c = new RawClient(port)) {
                        while (!race.over()) {
                            c.send(batch(BATCH / 2, there, back));
                            for (int i = 0; i < BATCH; i++) {
                                String reply = c.readReply();
                                assertTrue(reply.equals("+OK\r\n") || reply.equals(":1\r\n"), reply);
                            }
                        }
                    }
                });
                byte[] exists = RawClient.encode("EXISTS", pair[0], pair[1]);
                byte[] get0 = RawClient.encode("GET", pair[0]), get1 = RawClient.encode("GET", pair[1]);
                for (int r = 0; r < 2; r++) {
                    race.start(() -> {
                        try (RawClient c = new RawClient(port)) {
                            while (!race.over()) {
                                c.send(batch(BATCH, exists));
                                for (int i = 0; i < BATCH; i++) assertEquals(":1\r\n", c.readReply());
                                c.send(batch(BATCH / 2, get0, get1));
                                for (int i = 0; i < BATCH; i++) {
                                    String v = Resp.parse(c.readReply()).text();
                                    assertTrue(v == null || v.equals("payload"), v);
                                }
                                race.checks.incrementAndGet();
                            }
                        }
                    });
                }
            }
            race.finish();
        }
    }

    @Test
    void copiesAreWholeAndNeverGoBack() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).start()) {
            int port = server.port();
            Race race = new Race();
            race.start(() -> {
                try (RawClient c = new RawClient(port)) {
                    for (long g = 1; !race.over(); g++) c.call("SET", "src", value(g));
                }
            });
            race.start(() -> {
                try (RawClient c = new RawClient(port)) {
                    while (!race.over()) {
                        c.call("COPY", "src", "dst", "REPLACE");
                        c.call("COPY", "src", "dst", "DB", "1", "REPLACE");
                    }
                }
            });
            for (String db : new String[] {"0", "1"}) {
                race.start(() -> {
                    try (RawClient c = new RawClient(port)) {
                        c.call("SELECT", db);
                        long last = 0;
                        while (!race.over()) {
                            String v = Resp.parse(c.call("GET", "dst")).text();
                            if (v == null) {
                                assertEquals(0, last, "dst vanished");
                                continue;
                            }
                            long g = generation(v);
                            assertTrue(g >= last, "generation went back from " + last + " to " + g);
                            last = g;
                            race.checks.incrementAndGet();
                        }
                    }
                });
            }
            race.finish();
        }
    }

    /** "g:g:...:g" with g copies of g (capped), so a torn or mixed value cannot parse. */
    private static String value(long g) {
        String part = Long.toString(g);
        int n = (int) (g % 50) + 1;
        return String.join(":", java.util.Collections.nCopies(n, part));
    }

    private static long generation(String v) {
        String[] parts = v.split(":", -1);
        long g = Long.parseLong(parts[0]);
        assertEquals(value(g), v, "torn value");
        return g;
    }

    /** The commands repeated {@code times} times, as one write. */
    private static byte[] batch(int times, byte[]... commands) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < times; i++) for (byte[] c : commands) out.writeBytes(c);
        return out.toByteArray();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Threads that run until a deadline; the first failure of any of them fails the test. */
    static final class Race {
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong checks = new AtomicLong();

        interface Body {
            void run() throws Exception;
        }

        void start(Body body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
            });
            threads.add(t);
            t.start();
        }

        boolean over() {
            return stop.get();
        }

        void finish() throws Exception {
            Thread.sleep(RUN_MILLIS);
            stop.set(true);
            for (Thread t : threads) t.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertTrue(checks.get() > 20, "readers made only " + checks.get() + " checks");
        }
    }
}
