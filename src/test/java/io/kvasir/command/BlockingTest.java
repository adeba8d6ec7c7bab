package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Blocking list and sorted-set commands with several real connections: each scenario runs against the real
 * redis-server and against Kvasir, and the replies every connection gets, in order, must be the
 * same; the expected values are also asserted, so a scenario cannot pass by both servers agreeing
 * on nothing. A client counts as blocked once INFO says so, which both servers report.
 */
class BlockingTest {
    private static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        kvasir = KvasirServer.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        kvasir.close();
    }

    /** A scenario: run against one server's port, it returns the replies it saw, in order. */
    private interface Scenario {
        void run(int port, List<String> log) throws Exception;
    }

    /** Runs the scenario on both servers and returns Kvasir's transcript, which must equal Redis's. */
    private static List<String> both(Scenario s) throws Exception {
        List<String> redis = new ArrayList<>(), ours = new ArrayList<>();
        int redisPort = RealRedis.get().port();
        for (int port : new int[] {redisPort, kvasir.port()}) {
            try (RawClient c = new RawClient(port)) {
                c.call("FLUSHALL");
                c.call("CONFIG", "RESETSTAT");
            }
        }
        s.run(redisPort, redis);
        s.run(kvasir.port(), ours);
        assertEquals(redis, ours);
        return ours;
    }

    /** Waits until the server reports {@code n} blocked clients. */
    private static void awaitBlocked(RawClient control, int n) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!control.call("INFO", "clients").contains("blocked_clients:" + n + "\r\n")) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("never saw " + n + " blocked clients");
            Thread.sleep(2);
        }
    }

    private static long id(RawClient c) throws IOException {
        String r = c.call("CLIENT", "ID");
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    @Test
    void waitersOnAKeyAreServedFirstComeFirstServed() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port); RawClient b = new RawClient(port);
                    RawClient c = new RawClient(port)) {
                x.call("DEL", "k");
                a.command("BLPOP", "k", "0");
                awaitBlocked(x, 1);
                b.command("BRPOP", "k", "0");
                awaitBlocked(x, 2);
                c.command("BLPOP", "k", "0");
                awaitBlocked(x, 3);
                out.add(x.call("RPUSH", "k", "one"));
                out.add(a.readReply());
                awaitBlocked(x, 2);
                out.add(x.call("RPUSH", "k", "two", "three"));
                out.add(b.readReply());
                out.add(c.readReply());
                out.add(x.call("EXISTS", "k"));
            }
        });
        // b came first and pops from the right (three), then c from the left (two)
        assertEquals(List.of(":1\r\n", "*2\r\n$1\r\nk\r\n$3\r\none\r\n", ":2\r\n", "*2\r\n$1\r\nk\r\n$5\r\nthree\r\n",
                "*2\r\n$1\r\nk\r\n$3\r\ntwo\r\n", ":0\r\n"), log);
    }

    @Test
    void aWaiterIsServedBeforeThePushersNextCommand() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                x.call("DEL", "k");
                a.command("BLPOP", "k", "0");
                awaitBlocked(x, 1);
                x.send(concat(RawClient.encode("RPUSH", "k", "v"), RawClient.encode("LPOP", "k"),
                        RawClient.encode("LLEN", "k")));
                for (int i = 0; i < 3; i++) out.add(x.readReply());
                out.add(a.readReply());
            }
        });
        assertEquals(List.of(":1\r\n", "$-1\r\n", ":0\r\n", "*2\r\n$1\r\nk\r\n$1\r\nv\r\n"), log);
    }

    @Test
    void theKeyThatIsFilledServesAWaiterOnSeveralKeys() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                a.command("BLPOP", "k1", "k2", "k3", "0");
                awaitBlocked(x, 1);
                out.add(x.call("RPUSH", "k3", "c"));
                out.add(a.readReply());
                a.command("BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2");
                awaitBlocked(x, 1);
                out.add(x.call("RPUSH", "m2", "1", "2", "3"));
                out.add(a.readReply());
                out.add(x.call("LRANGE", "m2", "0", "-1"));
            }
        });
        assertEquals("*2\r\n$2\r\nk3\r\n$1\r\nc\r\n", log.get(1));
        assertEquals("*2\r\n$2\r\nm2\r\n*2\r\n$1\r\n3\r\n$1\r\n2\r\n", log.get(3));
    }

    @Test
    void timeoutsReplyWithANullArrayAfterTheirTime() throws Exception {
        for (int port : new int[] {RealRedis.get().port(), kvasir.port()}) {
            try (RawClient a = new RawClient(port)) {
                for (String[] cmd : new String[][] {{"BLPOP", "nokey", "0.2"}, {"BLMOVE", "nokey", "d", "LEFT", "LEFT", "0.2"},
                        {"BLMPOP", "0.2", "1", "nokey", "LEFT"}, {"BRPOPLPUSH", "nokey", "d", "0.2"}}) {
                    long start = System.nanoTime();
                    assertEquals("*-1\r\n", a.call(cmd));
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    assertTrue(ms >= 190, cmd[0] + " returned after " + ms + " ms");
                }
                a.call("HELLO", "3");
                assertEquals("_\r\n", a.call("BRPOP", "nokey", "0.05"));
            }
        }
    }

    @Test
    void clientUnblockEndsAWaitAsATimeoutOrWithAnError() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                String id = Long.toString(id(a));
                out.add(x.call("CLIENT", "UNBLOCK", id));
                a.command("BLPOP", "k", "0");
                awaitBlocked(x, 1);
                out.add(x.call("CLIENT", "UNBLOCK", id));
                out.add(a.readReply());
                a.command("BLMOVE", "k", "d", "LEFT", "LEFT", "0");
                awaitBlocked(x, 1);
                out.add(x.call("CLIENT", "UNBLOCK", id, "ERROR"));
                out.add(a.readReply());
                out.add(x.call("CLIENT", "UNBLOCK", id, "ERROR"));
                out.add(a.call("PING"));
                a.command("BLPOP", "k", "-0.0001"); // rounds to 0: waits forever
                awaitBlocked(x, 1);
                out.add(x.call("CLIENT", "UNBLOCK", id, "TIMEOUT"));
                out.add(a.readReply());
                out.add(x.call("INFO", "errorstats").contains("errorstat_UNBLOCKED:count=1") ? "counted" : "not counted");
            }
        });
        assertEquals(List.of(":0\r\n", ":1\r\n", "*-1\r\n", ":1\r\n", "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n",
                ":0\r\n", "+PONG\r\n", ":1\r\n", "*-1\r\n", "counted"), log);
    }

    @Test
    void aBlockedClientThatLeavesIsForgotten() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient b = new RawClient(port)) {
                RawClient a = new RawClient(port);
                a.command("BLPOP", "k", "0");
                awaitBlocked(x, 1);
                a.close();
                awaitBlocked(x, 0);
                out.add(x.call("RPUSH", "k", "kept"));
                out.add(x.call("LRANGE", "k", "0", "-1"));
                out.add(b.call("BLPOP", "k", "0"));
            }
        });
        assertEquals(List.of(":1\r\n", "*1\r\n$4\r\nkept\r\n", "*2\r\n$1\r\nk\r\n$4\r\nkept\r\n"), log);
    }

    @Test
    void blmoveWakesTheWaitersOfItsDestinationInAChain() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port); RawClient b = new RawClient(port);
                    RawClient c = new RawClient(port)) {
                a.command("BLMOVE", "a", "b", "LEFT", "RIGHT", "0");
                awaitBlocked(x, 1);
                b.command("BRPOPLPUSH", "b", "c", "0");
                awaitBlocked(x, 2);
                c.command("BLPOP", "c", "0");
                awaitBlocked(x, 3);
                out.add(x.call("RPUSH", "a", "x", "y"));
                out.add(a.readReply());
                out.add(b.readReply());
                out.add(c.readReply());
                out.add(x.call("LRANGE", "a", "0", "-1"));
                out.add(x.call("EXISTS", "b", "c"));
            }
        });
        assertEquals(List.of(":2\r\n", "$1\r\nx\r\n", "$1\r\nx\r\n", "*2\r\n$1\r\nc\r\n$1\r\nx\r\n", "*1\r\n$1\r\ny\r\n",
                ":0\r\n"), log);
    }

    @Test
    void sortStoreServesTheListWaitersOfItsDestination() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port); RawClient z = new RawClient(port)) {
                a.command("BLPOP", "dst", "0");
                awaitBlocked(x, 1);
                z.command("BZPOPMIN", "zdst", "0");
                awaitBlocked(x, 2);
                out.add(x.call("RPUSH", "src", "2", "1", "3"));
                out.add(x.call("SORT", "src", "STORE", "dst"));
                out.add(a.readReply());
                out.add(x.call("LRANGE", "dst", "0", "-1"));
                out.add(x.call("SORT", "src", "STORE", "zdst"));
                out.add(x.call("DEL", "zdst")); // a list is no use to a zset pop, which waits on
                out.add(x.call("ZADD", "zdst", "1", "m"));
                out.add(z.readReply());
            }
        });
        assertEquals(List.of(":3\r\n", ":3\r\n", "*2\r\n$3\r\ndst\r\n$1\r\n1\r\n", "*2\r\n$1\r\n2\r\n$1\r\n3\r\n",
                ":3\r\n", ":1\r\n", ":1\r\n", "*3\r\n$4\r\nzdst\r\n$1\r\nm\r\n$1\r\n1\r\n"), log);
    }

    @Test
    void blmoveOntoAWrongTypeFailsWhenServedAndTakesNothing() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
                a.command("BLMOVE", "src", "s", "LEFT", "LEFT", "0");
                awaitBlocked(x, 1);
                b.command("BLPOP", "src", "0");
                awaitBlocked(x, 2);
                out.add(x.call("SET", "s", "string"));
                out.add(x.call("RPUSH", "src", "v"));
                out.add(a.readReply());
                out.add(b.readReply());
            }
        });
        assertEquals(List.of("+OK\r\n", ":1\r\n", "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                "*2\r\n$3\r\nsrc\r\n$1\r\nv\r\n"), log);
    }

    @Test
    void requestsPipelinedBehindABlockedOneWaitForIt() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                a.send(concat(RawClient.encode("BLPOP", "k", "0"), RawClient.encode("PING"), RawClient.encode("LLEN", "k")));
                awaitBlocked(x, 1);
                out.add(x.call("RPUSH", "k", "1", "2"));
                for (int i = 0; i < 3; i++) out.add(a.readReply());
            }
        });
        assertEquals(List.of(":2\r\n", "*2\r\n$1\r\nk\r\n$1\r\n1\r\n", "+PONG\r\n", ":1\r\n"), log);
    }

    @Test
    void keyCommandsThatGiveAKeyAListWakeItsWaiters() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                a.command("BLPOP", "renamed", "copied", "0");
                awaitBlocked(x, 1);
                x.call("RPUSH", "src", "r");
                out.add(x.call("RENAME", "src", "renamed"));
                out.add(a.readReply());
                a.command("BLPOP", "renamed", "copied", "0");
                awaitBlocked(x, 1);
                x.call("RPUSH", "src", "c");
                out.add(x.call("COPY", "src", "copied"));
                out.add(a.readReply());
                a.call("SELECT", "1");
                a.command("BRPOP", "moved", "0");
                awaitBlocked(x, 1);
                x.call("RPUSH", "moved", "m");
                out.add(x.call("MOVE", "moved", "1"));
                out.add(a.readReply());
                a.command("BRPOP", "swapped", "0");
                awaitBlocked(x, 1);
                x.call("RPUSH", "swapped", "s");
                out.add(x.call("SWAPDB", "0", "1"));
                out.add(a.readReply());
                x.call("FLUSHALL");
            }
        });
        assertEquals(List.of("+OK\r\n", "*2\r\n$7\r\nrenamed\r\n$1\r\nr\r\n", ":1\r\n", "*2\r\n$6\r\ncopied\r\n$1\r\nc\r\n",
                ":1\r\n", "*2\r\n$5\r\nmoved\r\n$1\r\nm\r\n", "+OK\r\n", "*2\r\n$7\r\nswapped\r\n$1\r\ns\r\n"), log);
    }

    @Test
    void aWaiterForAListIsNotServedByAnotherType() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                a.command("BLPOP", "k", "0");
                awaitBlocked(x, 1);
                out.add(x.call("SET", "k", "string"));
                out.add(x.call("INFO", "clients").contains("blocked_clients:1\r\n") ? "still blocked" : "woken");
                out.add(x.call("DEL", "k"));
                out.add(x.call("LPUSH", "k", "v"));
                out.add(a.readReply());
            }
        });
        assertEquals(List.of("+OK\r\n", "still blocked", ":1\r\n", ":1\r\n", "*2\r\n$1\r\nk\r\n$1\r\nv\r\n"), log);
    }

    @Test
    void servedRepliesUseTheWaitersProtocol() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                a.call("HELLO", "3");
                a.command("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "5");
                awaitBlocked(x, 1);
                out.add(x.call("RPUSH", "k", "1", "two"));
                out.add(a.readReply());
                a.command("BLPOP", "k", "0.05");
                out.add(a.readReply());
            }
        });
        assertEquals("_\r\n", log.get(2));
    }

    @Test
    void clientListFlagsABlockedClient() throws Exception {
        for (int port : new int[] {RealRedis.get().port(), kvasir.port()}) {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                long id = id(a);
                a.command("BLPOP", "k", "0");
                awaitBlocked(x, 1);
                String line = x.call("CLIENT", "LIST", "ID", Long.toString(id));
                assertTrue(line.contains(" flags=b ") && line.contains(" cmd=blpop "), line);
                x.call("CLIENT", "UNBLOCK", Long.toString(id));
                assertEquals("*-1\r\n", a.readReply());
                line = x.call("CLIENT", "LIST", "ID", Long.toString(id));
                assertTrue(line.contains(" flags=N "), line);
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void bzpopminIsWokenByZaddFromAnotherConnection() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port)) {
                a.command("BZPOPMIN", "z", "0");
                awaitBlocked(x, 1);
                out.add(x.call("ZADD", "z", "2", "b", "1", "a"));
                out.add(a.readReply());
                out.add(x.call("ZRANGE", "z", "0", "-1"));
            }
        });
        assertEquals(List.of(":2\r\n", "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", "*1\r\n$1\r\nb\r\n"), log);
    }

    @Test
    void sortedSetWaitersAreServedFirstComeFirstServed() throws Exception {
        List<String> log = both((port, out) -> {
            try (RawClient x = new RawClient(port); RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
                a.command("BZPOPMAX", "z", "0");
                awaitBlocked(x, 1);
                b.command("BZMPOP", "0", "1", "z", "MIN", "COUNT", "5");
                awaitBlocked(x, 2);
                out.add(x.call("ZADD", "z", "1", "a"));
                out.add(a.readReply());
                awaitBlocked(x, 1);
                out.add(x.call("ZUNIONSTORE", "z", "1", "src"));
                out.add(x.call("ZINCRBY", "z", "3", "c"));
                out.add(b.readReply());
                out.add(x.call("EXISTS", "z"));
            }
        });
        // a came first and takes the only member; ZUNIONSTORE of nothing fills nothing; ZINCRBY serves b
        assertEquals(List.of(":1\r\n", "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n", ":0\r\n", "$1\r\n3\r\n",
                "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n", ":0\r\n"), log);
    }
}
