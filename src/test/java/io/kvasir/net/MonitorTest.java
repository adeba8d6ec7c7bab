package io.kvasir.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MONITOR: the feed's lines compared with the real server's, and who sees what. */
class MonitorTest {
    /** "+<seconds>.<micros> [<db> <addr>] <args>" */
    private static final Pattern LINE = Pattern.compile("\\+(\\d+)\\.(\\d{6}) \\[(\\d+) ([^\\]]+)\\] (.*)\r\n", Pattern.DOTALL);

    private KvasirServer server;

    @BeforeEach
    void start() {
        server = KvasirServer.builder().port(0).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Raw requests a client sends while another monitors; each must appear (or not) the same way. */
    private static final List<byte[]> REQUESTS = List.of(
            RawClient.encode("set", "k", "v"),
            RawClient.encode("SET", "a b\"c", "x\\y"),
            bytes("*3\r\n$3\r\nSET\r\n$3\r\nbin\r\n$12\r\n\u0000\u0001\n\r\t\u0007\b\u000b\u007f\u00ff\u00c3\u00a9\r\n"),
            RawClient.encode("SELECT", "5"),
            RawClient.encode("ECHO", "in db five"),
            RawClient.encode("AUTH", "password"),
            RawClient.encode("AUTH", "someone", "password"),
            RawClient.encode("HELLO", "2", "AUTH", "default", "pw", "SETNAME", "named"),
            RawClient.encode("HELLO", "2", "SETNAME", "bad name", "AUTH", "u", "p"),
            RawClient.encode("GET"),                 // arity error: not fed
            RawClient.encode("NOSUCHCOMMAND", "x"),  // unknown: not fed
            RawClient.encode("CLIENT", "LIST"),      // admin: not fed
            RawClient.encode("CLIENT", "ID"),
            bytes("PING inline\r\n"),
            RawClient.encode("QUIT"));

    private static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The argument part of every line the monitor received while a client sent {@link #REQUESTS}. */
    private static List<String> feed(int port) throws IOException {
        try (RawClient monitor = new RawClient(port); RawClient client = new RawClient(port)) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            String addr = "127.0.0.1:" + client.localPort();
            for (byte[] r : REQUESTS) {
                client.send(r);
                client.readReply();
            }
            List<String> args = new ArrayList<>();
            monitor.timeout(300);
            try {
                while (true) {
                    Matcher m = LINE.matcher(monitor.readReply());
                    assertTrue(m.matches());
                    assertEquals(addr, m.group(4));
                    long seconds = Long.parseLong(m.group(1));
                    assertTrue(Math.abs(seconds - System.currentTimeMillis() / 1000) < 60, "time " + seconds);
                    args.add("[" + m.group(3) + "] " + m.group(5));
                }
            } catch (SocketTimeoutException e) {
                return args;
            }
        }
    }

    @Test
    void feedLinesAreRedisLines() throws IOException {
        List<String> expected = feed(RealRedis.get().port());
        assertTrue(expected.size() > 5, expected.toString());
        assertEquals(expected, feed(server.port()));
    }

    @Test
    void theMonitorSeesItsOwnCommandsAfterTheirReplies() throws IOException {
        try (RawClient monitor = new RawClient(server.port())) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            assertEquals("+PONG\r\n", monitor.call("PING"));
            Matcher m = LINE.matcher(monitor.readReply());
            assertTrue(m.matches());
            assertEquals("\"PING\"", m.group(5));
            assertEquals("-ERR Replica can't interact with the keyspace\r\n", monitor.call("GET", "k"));
            assertEquals("+RESET\r\n", monitor.call("RESET"));
            assertEquals("$-1\r\n", monitor.call("GET", "k"));
        }
    }

    @Test
    void everyMonitorGetsTheFeedAndLeavingStopsIt() throws IOException {
        try (RawClient m1 = new RawClient(server.port()); RawClient m2 = new RawClient(server.port());
                RawClient client = new RawClient(server.port())) {
            assertEquals("+OK\r\n", m1.call("MONITOR"));
            assertEquals("+OK\r\n", m2.call("MONITOR"));
            // ids are handed out by each connection's event loop, so which id each monitor got is not fixed
            assertEquals(2, server.kvasir().clients().values().stream().filter(c -> c.monitor()).count());
            String list = client.call("CLIENT", "LIST");
            assertEquals(2, list.split(" flags=O ", -1).length - 1, list);
            client.call("SET", "k", "1");
            for (RawClient m : List.of(m1, m2)) {
                Matcher line = LINE.matcher(m.readReply());
                assertTrue(line.matches());
                assertEquals("\"SET\" \"k\" \"1\"", line.group(5));
            }
            m1.close();
            assertEquals("+RESET\r\n", m2.call("RESET"));
            client.call("SET", "k", "2");
            m2.timeout(300);
            assertThrows(SocketTimeoutException.class, m2::readReply);
        }
    }

    @Test
    void feedFromManyClientsAtOnceArrivesWhole() throws Exception {
        try (RawClient monitor = new RawClient(server.port())) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try (RawClient c = new RawClient(server.port())) {
                        for (int i = 0; i < 250; i++) c.call("SET", "t" + thread, Integer.toString(i));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            for (Thread t : threads) t.join();
            int[] last = {-1, -1, -1, -1};
            for (int n = 0; n < 1000; n++) {
                Matcher m = LINE.matcher(monitor.readReply());
                assertTrue(m.matches());
                Matcher set = Pattern.compile("\"SET\" \"t(\\d)\" \"(\\d+)\"").matcher(m.group(5));
                assertTrue(set.matches(), m.group(5));
                int thread = Integer.parseInt(set.group(1)), i = Integer.parseInt(set.group(2));
                assertEquals(last[thread] + 1, i, "each client's commands in order");
                last[thread] = i;
            }
        }
    }
}
