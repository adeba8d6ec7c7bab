package io.kvasir.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HELLO, CLIENT LIST/INFO, CLIENT KILL and CLIENT PAUSE over raw connections. */
class ClientControlTest {
    private KvasirServer server; // each test's own, so client counts and pauses are its own

    @BeforeEach
    void start() {
        server = KvasirServer.builder().port(0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A connection the server has registered (a PING answered). */
    private RawClient connect() throws IOException {
        RawClient c = new RawClient(server.port());
        assertEquals("+PONG\r\n", c.call("PING"));
        return c;
    }

    private static long id(RawClient c) throws IOException {
        String r = c.call("CLIENT", "ID");
        return Long.parseLong(r.substring(1, r.length() - 2));
    }

    /** CLIENT INFO as field name to value, in order. */
    private static Map<String, String> info(RawClient c) throws IOException {
        String r = c.call("CLIENT", "INFO");
        String line = r.substring(r.indexOf("\r\n") + 2).strip();
        if (line.startsWith("txt:")) line = line.substring(4);
        Map<String, String> fields = new LinkedHashMap<>();
        for (String f : line.split(" ")) {
            int eq = f.indexOf('=');
            fields.put(f.substring(0, eq), f.substring(eq + 1));
        }
        return fields;
    }

    // ---- HELLO and CLIENT LIST, compared with the real server ----

    @Test
    void helloRepliesAreRedisRepliesWithOurId() throws IOException {
        List<String[]> forms = List.of(new String[] {"HELLO"}, new String[] {"HELLO", "3"},
                new String[] {"HELLO", "2"}, new String[] {"HELLO", "3", "SETNAME", "app"},
                new String[] {"HELLO", "2", "AUTH", "default", "pw", "SETNAME", "x"});
        try (RawClient redis = new RawClient(RealRedis.get().port());
                RawClient kvasir = new RawClient(TestServers.kvasir().port())) {
            long redisId = id(redis), kvasirId = id(kvasir);
            for (String[] form : forms) {
                String expected = redis.call(form).replace("$2\r\nid\r\n:" + redisId + "\r\n", "$2\r\nid\r\n:" + kvasirId + "\r\n");
                assertEquals(expected, kvasir.call(form), String.join(" ", form));
            }
        }
    }

    @Test
    void clientInfoHasRedisFieldsInRedisOrder() throws IOException {
        try (RawClient redis = new RawClient(RealRedis.get().port());
                RawClient kvasir = new RawClient(TestServers.kvasir().port())) {
            for (RawClient c : List.of(redis, kvasir)) {
                c.call("CLIENT", "SETNAME", "fields");
                c.call("SELECT", "2");
                c.call("HELLO", "3");
            }
            Map<String, String> expected = info(redis), actual = info(kvasir);
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
            for (String same : List.of("name", "flags", "db", "sub", "psub", "ssub", "multi", "multi-mem", "obl", "oll",
                    "omem", "events", "cmd", "user", "redir", "resp")) {
                assertEquals(expected.get(same), actual.get(same), same);
            }
            assertEquals("127.0.0.1:" + kvasir.localPort(), actual.get("addr"));
            assertEquals("127.0.0.1:" + TestServers.kvasir().port(), actual.get("laddr"));
            assertEquals(Long.toString(id(kvasir)), actual.get("id"));
            assertTrue(Integer.parseInt(actual.get("fd")) > 0, actual.get("fd"));
            assertEquals("0", actual.get("age"));
            assertEquals("0", actual.get("idle"));
            // "CLIENT INFO" as a RESP request is 26 bytes, all of it still buffered while it runs
            assertEquals("26", actual.get("qbuf"));
            assertEquals("10", actual.get("argv-mem"));
        }
    }

    @Test
    void clientIdsCountFromOnePerServer() throws IOException {
        try (RawClient a = connect(); RawClient b = connect()) {
            assertEquals(1, id(a));
            assertEquals(2, id(b));
            assertEquals(":2\r\n", b.call("CLIENT", "ID"));
        }
    }

    @Test
    void clientListShowsEveryClientInIdOrderAndFilters() throws IOException {
        try (RawClient a = connect(); RawClient b = connect(); RawClient c = connect()) {
            b.call("CLIENT", "SETNAME", "bee");
            c.call("CLIENT", "NO-EVICT", "on");
            String list = a.call("CLIENT", "LIST");
            String[] lines = list.substring(list.indexOf("\r\n") + 2, list.length() - 2).split("\n");
            assertEquals(3, lines.length, list);
            assertTrue(lines[0].startsWith("id=" + id(a) + " ") && lines[0].contains(" cmd=client|list "), lines[0]);
            assertTrue(lines[1].startsWith("id=" + id(b) + " ") && lines[1].contains(" name=bee "), lines[1]);
            assertTrue(lines[2].contains(" flags=e ") && lines[2].contains(" cmd=client|no-evict "), lines[2]);
            String byId = a.call("CLIENT", "LIST", "ID", Long.toString(id(c)), Long.toString(id(b)));
            String[] picked = byId.substring(byId.indexOf("\r\n") + 2, byId.length() - 2).split("\n");
            assertTrue(picked[0].startsWith("id=" + id(c) + " ") && picked[1].startsWith("id=" + id(b) + " "), byId);
            assertEquals(3, a.call("CLIENT", "LIST", "TYPE", "normal").split("id=", -1).length - 1);
        }
    }

    // ---- CLIENT KILL ----

    @Test
    void killById() throws IOException {
        try (RawClient killer = connect(); RawClient victim = connect()) {
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ID", Long.toString(id(victim))));
            assertTrue(victim.closedByServer(2000));
            assertEquals(":0\r\n", killer.call("CLIENT", "KILL", "ID", Long.toString(id(killer))));
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
    }

    @Test
    void killByAddressOldAndNewForms() throws IOException {
        try (RawClient killer = connect(); RawClient v1 = connect(); RawClient v2 = connect()) {
            assertEquals("+OK\r\n", killer.call("CLIENT", "KILL", "127.0.0.1:" + v1.localPort()));
            assertTrue(v1.closedByServer(2000));
            assertEquals("-ERR No such client\r\n", killer.call("CLIENT", "KILL", "127.0.0.1:" + v1.localPort()));
            assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "ADDR", "127.0.0.1:" + v2.localPort()));
            assertTrue(v2.closedByServer(2000));
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
    }

    @Test
    void killByLocalAddressUserAndTypeSkipsTheCaller() throws IOException {
        try (RawClient killer = connect(); RawClient v1 = connect(); RawClient v2 = connect()) {
            assertEquals(":2\r\n", killer.call("CLIENT", "KILL", "LADDR", "127.0.0.1:" + server.port()));
            assertTrue(v1.closedByServer(2000));
            assertTrue(v2.closedByServer(2000));
            try (RawClient v3 = connect()) {
                assertEquals(":1\r\n", killer.call("CLIENT", "KILL", "USER", "default", "TYPE", "normal"));
                assertTrue(v3.closedByServer(2000));
            }
            assertEquals("+PONG\r\n", killer.call("PING"));
        }
    }

    @Test
    void killingItselfRepliesFirst() throws IOException {
        try (RawClient self = connect(); RawClient other = connect()) {
            assertEquals(":2\r\n", self.call("CLIENT", "KILL", "SKIPME", "no"));
            assertTrue(self.closedByServer(2000));
            assertTrue(other.closedByServer(2000));
        }
        try (RawClient self = connect()) {
            assertEquals("+OK\r\n", self.call("CLIENT", "KILL", "127.0.0.1:" + self.localPort()));
            assertTrue(self.closedByServer(2000));
        }
    }

    // ---- CLIENT PAUSE ----

    @Test
    void pauseAllHoldsEveryClientUntilTheDeadline() throws IOException {
        try (RawClient pauser = connect(); RawClient other = connect()) {
            long start = System.nanoTime();
            assertEquals("+OK\r\n", pauser.call("CLIENT", "PAUSE", "700"));
            other.command("PING");
            pauser.command("ECHO", "mine");
            other.timeout(300);
            assertThrows(SocketTimeoutException.class, other::readReply);
            other.timeout(5000);
            assertEquals("+PONG\r\n", other.readReply());
            assertEquals("$4\r\nmine\r\n", pauser.readReply());
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 650, "released before the deadline");
        }
    }

    @Test
    void pauseWriteHoldsWritesUntilUnpause() throws IOException {
        try (RawClient admin = connect(); RawClient writer = connect(); RawClient reader = connect()) {
            assertEquals("+OK\r\n", writer.call("SET", "pause:k", "before"));
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "20000", "WRITE"));
            writer.send(RawClient.encode("SET", "pause:k", "after"));
            writer.send(RawClient.encode("GET", "pause:k")); // queued behind the held write
            assertEquals("$6\r\nbefore\r\n", reader.call("GET", "pause:k"));
            writer.timeout(300);
            assertThrows(SocketTimeoutException.class, writer::readReply);
            String list = admin.call("CLIENT", "LIST", "ID", Long.toString(id(reader)));
            assertTrue(list.contains(" flags=N "), list);
            Map<String, String> held = new LinkedHashMap<>();
            for (String line : admin.call("CLIENT", "LIST").split("\n")) {
                if (line.contains(" flags=b ")) held.put(line.substring(line.indexOf("id=")), line);
            }
            assertEquals(1, held.size(), held.toString());
            assertTrue(held.values().iterator().next().contains(" cmd=set "), held.toString());
            long start = System.nanoTime();
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            writer.timeout(5000);
            assertEquals("+OK\r\n", writer.readReply());
            assertEquals("$5\r\nafter\r\n", writer.readReply());
            assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "UNPAUSE did not release the writer");
        }
    }

    @Test
    void pausedClientsDoNotStopTheEventLoops() throws IOException {
        List<RawClient> readers = new ArrayList<>();
        try (RawClient admin = connect(); RawClient writer = connect()) {
            for (int i = 0; i < 8; i++) readers.add(connect());
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "20000", "WRITE"));
            writer.send(RawClient.encode("SET", "pause:loop", "x"));
            for (RawClient r : readers) {
                r.timeout(2000);
                assertEquals("+PONG\r\n", r.call("PING"));
            }
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("+OK\r\n", writer.readReply());
        } finally {
            for (RawClient r : readers) r.close();
        }
    }

    @Test
    void aLongerPauseExtendsAndAStricterOneWins() throws IOException {
        try (RawClient admin = connect(); RawClient other = connect()) {
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "20000", "WRITE"));
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "100", "ALL"));
            Thread.yield();
            other.command("GET", "pause:x");
            other.timeout(500); // past the 100 ms of ALL: ALL stays until the later deadline
            assertThrows(SocketTimeoutException.class, other::readReply);
            assertTrue(server.kvasir().pause().active());
            server.kvasir().pause().unpause();
            other.timeout(5000);
            assertEquals("$-1\r\n", other.readReply());
        }
    }

    @Test
    void killingAHeldClientForgetsIt() throws IOException, InterruptedException {
        try (RawClient admin = connect(); RawClient writer = connect()) {
            long writerId = id(writer);
            assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "20000", "WRITE"));
            writer.send(RawClient.encode("SET", "pause:kill", "x"));
            Thread.sleep(100);
            assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "ID", Long.toString(writerId)));
            assertTrue(writer.closedByServer(2000));
            assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
            assertEquals("$-1\r\n", admin.call("GET", "pause:kill"));
            assertFalse(server.kvasir().clients().containsKey(writerId));
        }
    }
}
