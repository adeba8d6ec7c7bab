package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.store.Keyspace;
import io.kvasir.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions on a Kvasir with several event loops, so that clients really run at once: EXEC is
 * atomic (nobody sees a transaction half done, whether they read with one command or with a
 * transaction of their own), WATCH loses no update, and transactions over random keys in random
 * order, some locking the whole keyspace, never deadlock.
 */
class TransactionConcurrencyTest {
    private static final int LOOPS = 4;
    private static KvasirServer server;

    @BeforeAll
    static void start() {
        server = KvasirServer.builder().port(0).config("save", "").config("io-threads", Integer.toString(LOOPS)).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** Keys in distinct stripes: one lock for all of them would make atomicity trivial. */
    private static String[] keysInDistinctStripes(String prefix, int n) {
        List<String> keys = new ArrayList<>();
        Set<Integer> stripes = new HashSet<>();
        for (int i = 0; keys.size() < n; i++) {
            String k = prefix + i;
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            if (stripes.add(Keyspace.stripeOf(b, 0, b.length))) keys.add(k);
        }
        return keys.toArray(String[]::new);
    }

    @Test
    void transfersBetweenAccountsNeverShowAPartialTransaction() throws Exception {
        int port = server.port();
        String[] accounts = keysInDistinctStripes("account:", 6);
        long perAccount = 1000, total = perAccount * accounts.length;
        try (RawClient c = new RawClient(port)) {
            for (String a : accounts) c.call("SET", a, Long.toString(perAccount));
        }
        AtomicBoolean moving = new AtomicBoolean(true);
        AtomicLong checks = new AtomicLong();
        List<Callable<Void>> movers = new ArrayList<>(), readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            movers.add(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try (RawClient c = new RawClient(port)) {
                    for (int i = 0; i < 400; i++) {
                        String from = accounts[random.nextInt(accounts.length)], to = accounts[random.nextInt(accounts.length)];
                        String amount = Integer.toString(1 + random.nextInt(50));
                        // pipelined, so that the queueing of one client interleaves with the others' work
                        c.command("MULTI");
                        c.command("DECRBY", from, amount);
                        if (i % 10 == 0) c.command("DBSIZE"); // sometimes the whole keyspace is locked
                        c.command("INCRBY", to, amount);
                        c.command("EXEC");
                        assertEquals("+OK\r\n", c.readReply());
                        for (int q = 0; q < (i % 10 == 0 ? 3 : 2); q++) assertEquals("+QUEUED\r\n", c.readReply());
                        String exec = c.readReply();
                        assertTrue(exec.startsWith(i % 10 == 0 ? "*3\r\n" : "*2\r\n"), exec);
                    }
                }
                return null;
            });
        }
        readers.add(() -> { // one command reading every account
            try (RawClient c = new RawClient(port)) {
                while (moving.get()) {
                    String[] cmd = new String[accounts.length + 1];
                    cmd[0] = "MGET";
                    System.arraycopy(accounts, 0, cmd, 1, accounts.length);
                    assertEquals(total, sum(c.call(cmd)), "MGET saw a transfer half done");
                    checks.incrementAndGet();
                }
            }
            return null;
        });
        readers.add(() -> { // a transaction reading every account, one GET at a time
            try (RawClient c = new RawClient(port)) {
                while (moving.get()) {
                    c.call("MULTI");
                    for (String a : accounts) c.call("GET", a);
                    assertEquals(total, sum(c.call("EXEC")), "a transaction saw a transfer half done");
                    checks.incrementAndGet();
                }
            }
            return null;
        });
        runWhile(movers, readers, moving);
        assertTrue(checks.get() > 0);
        try (RawClient c = new RawClient(port)) {
            String[] cmd = new String[accounts.length + 1];
            cmd[0] = "MGET";
            System.arraycopy(accounts, 0, cmd, 1, accounts.length);
            assertEquals(total, sum(c.call(cmd)));
        }
    }

    @Test
    void pairsIncrementedTogetherAreAlwaysSeenEqual() throws Exception {
        int port = server.port();
        String[] pair = keysInDistinctStripes("pair:", 2);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong checks = new AtomicLong();
        int writers = 3, rounds = 500;
        List<Callable<Void>> work = new ArrayList<>(), readers = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            work.add(() -> {
                try (RawClient c = new RawClient(port)) {
                    for (int i = 0; i < rounds; i++) {
                        c.call("MULTI");
                        c.call("INCR", pair[0]);
                        c.call("INCR", pair[1]);
                        String exec = c.call("EXEC");
                        String[] lines = exec.split("\r\n");
                        assertEquals(lines[1], lines[2], "the transaction saw another between its two INCRs: " + exec);
                    }
                }
                return null;
            });
        }
        readers.add(() -> {
            try (RawClient c = new RawClient(port)) {
                while (writing.get()) {
                    String reply = c.call("MGET", pair[0], pair[1]);
                    List<String> values = values(reply);
                    assertEquals(values.get(0), values.get(1), "a pair half incremented: " + reply);
                    checks.incrementAndGet();
                }
            }
            return null;
        });
        runWhile(work, readers, writing);
        assertTrue(checks.get() > 0);
        try (RawClient c = new RawClient(port)) {
            String n = Integer.toString(writers * rounds);
            assertEquals("*2\r\n$" + n.length() + "\r\n" + n + "\r\n$" + n.length() + "\r\n" + n + "\r\n",
                    c.call("MGET", pair[0], pair[1]));
        }
    }

    @Test
    void watchLosesNoUpdate() throws Exception {
        int port = server.port();
        String counter = "watched:counter", log = "watched:log";
        int clients = 4, increments = 150;
        AtomicLong retries = new AtomicLong();
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            work.add(() -> {
                try (RawClient c = new RawClient(port)) {
                    for (int i = 0; i < increments; i++) {
                        while (true) { // read, compute, write back: the classic check-and-set
                            c.call("WATCH", counter);
                            String v = c.call("GET", counter);
                            long n = v.startsWith("$-1") ? 0 : Long.parseLong(v.split("\r\n")[1]);
                            c.call("MULTI");
                            c.call("SET", counter, Long.toString(n + 1));
                            c.call("RPUSH", log, Long.toString(n + 1));
                            String exec = c.call("EXEC");
                            if (!exec.equals("*-1\r\n")) {
                                assertTrue(exec.startsWith("*2\r\n+OK\r\n:"), exec);
                                break;
                            }
                            retries.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runAll(work));
        int expected = clients * increments;
        try (RawClient c = new RawClient(port)) {
            assertEquals("$" + Integer.toString(expected).length() + "\r\n" + expected + "\r\n", c.call("GET", counter));
            assertEquals(":" + expected + "\r\n", c.call("LLEN", log));
            // every value was written exactly once, in order: no two transactions read the same count
            String[] values = c.call("LRANGE", log, "0", "-1").split("\r\n");
            for (int i = 0; i < expected; i++) assertEquals(Integer.toString(i + 1), values[2 + 2 * i]);
        }
    }

    @Test
    void randomTransactionsNeverDeadlock() throws Exception {
        int port = server.port();
        String[] keys = keysInDistinctStripes("dl:", 12);
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            work.add(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try (RawClient c = new RawClient(port)) {
                    for (int i = 0; i < 300; i++) {
                        if (random.nextInt(4) == 0) c.call("WATCH", keys[random.nextInt(keys.length)]);
                        c.call("MULTI");
                        int n = 1 + random.nextInt(4);
                        for (int k = 0; k < n; k++) {
                            switch (random.nextInt(7)) {
                                case 5 -> c.call("SORT", keys[random.nextInt(keys.length)], "BY", "dl:*", "ALPHA");
                                case 0 -> c.call("MSET", keys[random.nextInt(keys.length)], "x", keys[random.nextInt(keys.length)], "y");
                                case 1 -> c.call("RENAME", keys[random.nextInt(keys.length)], keys[random.nextInt(keys.length)]);
                                case 2 -> c.call("KEYS", "dl:*");
                                case 3 -> c.call("LMOVE", keys[random.nextInt(keys.length)], keys[random.nextInt(keys.length)], "LEFT", "RIGHT");
                                case 4 -> c.call("RPUSH", keys[random.nextInt(keys.length)], "e");
                                default -> c.call("DEL", keys[random.nextInt(keys.length)]);
                            }
                        }
                        String exec = c.call("EXEC");
                        assertTrue(exec.startsWith("*"), exec);
                    }
                }
                return null;
            });
        }
        // and plain commands on the same keys meanwhile, including blocking ones served by the transactions
        for (int t = 0; t < 2; t++) {
            work.add(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                try (RawClient c = new RawClient(port)) {
                    for (int i = 0; i < 300; i++) {
                        String a = keys[random.nextInt(keys.length)], b = keys[random.nextInt(keys.length)];
                        String reply = switch (random.nextInt(3)) {
                            case 0 -> c.call("BLMOVE", a, b, "LEFT", "LEFT", "0.01");
                            case 1 -> c.call("SORT", a, "BY", "dl:*", "STORE", b); // locks every stripe itself
                            default -> c.call("SUNIONSTORE", a, b);
                        };
                        assertTrue(!reply.isEmpty());
                    }
                }
                return null;
            });
        }
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> runAll(work));
    }

    /** The elements of a flat array reply of bulk strings and integers; null for a null bulk string. */
    private static List<String> values(String reply) {
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].equals("$-1")) out.add(null);
            else if (lines[i].startsWith(":")) out.add(lines[i].substring(1));
            else if (lines[i].startsWith("$")) out.add(lines[++i]);
            else throw new AssertionError("unexpected reply " + reply);
        }
        return out;
    }

    /** The sum of the integers in an array reply (a missing key counts 0). */
    private static long sum(String reply) {
        long s = 0;
        for (String v : values(reply)) if (v != null) s += Long.parseLong(v);
        return s;
    }

    /** Runs {@code work} and {@code watchers} together; when all of {@code work} is done, clears {@code flag}. */
    private static void runWhile(List<Callable<Void>> work, List<Callable<Void>> watchers, AtomicBoolean flag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size() + watchers.size());
        try {
            List<Future<Void>> done = new ArrayList<>(), watching = new ArrayList<>();
            for (Callable<Void> w : work) done.add(pool.submit(w));
            for (Callable<Void> w : watchers) watching.add(pool.submit(w));
            try {
                for (Future<Void> f : done) f.get();
            } finally {
                flag.set(false);
            }
            for (Future<Void> f : watching) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void runAll(List<Callable<Void>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            for (Future<Void> f : pool.invokeAll(work)) f.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
