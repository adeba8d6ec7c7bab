package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Pushers, blocked poppers, movers and plain poppers on many connections (spread over the server's
 * event loops) hammer four list keys at once. Every element pushed must be received exactly once:
 * none lost between a push and a waiter, none delivered twice to two waiters or to a waiter and a
 * plain pop, none left behind.
 */
class BlockingStressTest {
    private static final String[] KEYS = {"q0", "q1", "q2", "q3"};
    private static final int PUSHERS = 4, PER_PUSHER = 2500, POPPERS = 6, MOVERS = 2;

    @Test
    void everyElementIsReceivedExactlyOnce() throws Exception {
        int total = PUSHERS * PER_PUSHER;
        Map<String, Integer> received = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        AtomicBoolean pushing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(PUSHERS + POPPERS + MOVERS);
        try (KvasirServer server = KvasirServer.builder().port(0).start()) {
            int port = server.port();
            List<Future<?>> pushers = new ArrayList<>(), others = new ArrayList<>();
            for (int p = 0; p < POPPERS; p++) {
                int id = p;
                others.add(pool.submit(() -> pop(port, id, received, count, total)));
            }
            for (int m = 0; m < MOVERS; m++) {
                int id = m;
                others.add(pool.submit(() -> move(port, id, pushing)));
            }
            for (int t = 0; t < PUSHERS; t++) {
                int id = t;
                pushers.add(pool.submit(() -> push(port, id)));
            }
            for (Future<?> f : pushers) f.get(60, TimeUnit.SECONDS);
            pushing.set(false);
            for (Future<?> f : others) f.get(60, TimeUnit.SECONDS);
            try (RawClient c = new RawClient(port)) {
                assertEquals(":0\r\n", c.call("EXISTS", "q0", "q1", "q2", "q3"));
                assertTrue(c.call("INFO", "clients").contains("blocked_clients:0\r\n"));
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> twice = new ArrayList<>();
        received.forEach((e, n) -> {
            if (n != 1) twice.add(e + " x" + n);
        });
        assertEquals(List.of(), twice);
        assertEquals(total, received.size());
    }

    /** Pushes this pusher's elements in small batches, at either end of a random key. */
    private static Void push(int port, int id) throws Exception {
        Random rnd = new Random(id);
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < PER_PUSHER; ) {
                int n = Math.min(1 + rnd.nextInt(4), PER_PUSHER - i);
                String[] cmd = new String[2 + n];
                cmd[0] = rnd.nextBoolean() ? "RPUSH" : "LPUSH";
                cmd[1] = KEYS[rnd.nextInt(KEYS.length)];
                for (int j = 0; j < n; j++) cmd[2 + j] = "p" + id + ":" + (i + j);
                c.call(cmd);
                i += n;
            }
        }
        return null;
    }

    /** Takes elements with BLPOP, BRPOP, BLMPOP or a plain LPOP until every element was received. */
    private static Void pop(int port, int id, Map<String, Integer> received, AtomicInteger count, int total)
            throws Exception {
        Random rnd = new Random(100 + id);
        try (RawClient c = new RawClient(port)) {
            while (count.get() < total) {
                List<String> got = new ArrayList<>();
                switch (rnd.nextInt(4)) {
                    case 0 -> element(Resp.parse(c.call("BLPOP", "q0", "q1", "q2", "q3", "0.2")), 1, got);
                    case 1 -> element(Resp.parse(c.call("BRPOP", "q3", "q2", "q1", "q0", "0.2")), 1, got);
                    case 2 -> {
                        Resp.Node r = Resp.parse(c.call("BLMPOP", "0.2", "4", "q0", "q1", "q2", "q3", "LEFT", "COUNT", "3"));
                        if (r.aggregate() && r.children().size() == 2) got.addAll(r.children().get(1).texts());
                    }
                    default -> {
                        Resp.Node r = Resp.parse(c.call("LPOP", KEYS[rnd.nextInt(KEYS.length)]));
                        if (!r.line().equals("-1")) got.add(r.text());
                    }
                }
                for (String e : got) {
                    received.merge(e, 1, Integer::sum);
                    count.incrementAndGet();
                }
            }
        }
        return null;
    }

    private static void element(Resp.Node r, int i, List<String> got) {
        if (r.aggregate() && r.children().size() == 2) got.add(r.children().get(i).text());
    }

    /** Moves elements between keys with BLMOVE (they stay in play) while the pushers push. */
    private static Void move(int port, int id, AtomicBoolean pushing) throws Exception {
        Random rnd = new Random(200 + id);
        try (RawClient c = new RawClient(port)) {
            while (pushing.get()) {
                c.call("BLMOVE", KEYS[rnd.nextInt(KEYS.length)], KEYS[rnd.nextInt(KEYS.length)],
                        rnd.nextBoolean() ? "LEFT" : "RIGHT", rnd.nextBoolean() ? "LEFT" : "RIGHT", "0.05");
            }
        }
        return null;
    }
}
