package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What others see of a transaction, against a real redis-server of the test's own: CLIENT LIST
 * (flags x and d, multi=, multi-mem=), INFO commandstats, errorstats and total_commands_processed,
 * MONITOR, SLOWLOG, and CLIENT PAUSE WRITE holding EXEC.
 */
class TransactionObservabilityTest {
    private static RealRedis redis;
    private static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        redis = RealRedis.startDedicated();
        kvasir = KvasirServer.builder().port(0).config("save", "").start();
    }

    @AfterAll
    static void stop() {
        if (kvasir != null) kvasir.close();
        if (redis != null) redis.close();
    }

    private interface Session {
        String run(RawClient a, RawClient b, RawClient admin) throws Exception;
    }

    /** Runs {@code s} against both servers, on fresh connections after FLUSHALL, and returns both outputs. */
    private static String[] both(Session s) throws Exception {
        String[] out = new String[2];
        int[] ports = {redis.port(), kvasir.port()};
        for (int i = 0; i < 2; i++) {
            try (RawClient a = new RawClient(ports[i]); RawClient b = new RawClient(ports[i]);
                    RawClient admin = new RawClient(ports[i])) {
                admin.call("FLUSHALL");
                out[i] = s.run(a, b, admin);
            }
        }
        return out;
    }

    private static void assertSame(Session s) throws Exception {
        String[] out = both(s);
        assertEquals(out[0], out[1]);
    }

    // ---- CLIENT LIST ----

    /** The fields of a CLIENT INFO line that say what a transaction is doing. */
    private static String txnFields(String clientInfo) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String kv : clientInfo.substring(clientInfo.indexOf("id=")).trim().split(" ")) {
            int eq = kv.indexOf('=');
            f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return "flags=" + f.get("flags") + " multi=" + f.get("multi") + " multi-mem=" + f.get("multi-mem")
                + " cmd=" + f.get("cmd");
    }

    @Test
    void clientListShowsTheTransaction() throws Exception {
        assertSame((a, b, admin) -> {
            List<String> seen = new ArrayList<>();
            String id = id(a);
            seen.add(txnFields(a.call("CLIENT", "INFO")));
            a.call("MULTI");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            a.call("SET", "key", "value");
            a.call("INCR", "counter");
            a.call("PING");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            a.call("CLIENT", "INFO");
            // inside EXEC the client is still in MULTI, and its last command is EXEC
            String exec = a.call("EXEC");
            seen.add(txnFields(exec.substring(exec.lastIndexOf("$"))));
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            a.call("WATCH", "key");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            b.call("SET", "key", "changed");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            a.call("MULTI");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            a.call("NOSUCHCOMMAND");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            a.call("DISCARD");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            a.call("WATCH", "key");
            b.call("DEL", "key");
            a.call("UNWATCH");
            seen.add(txnFields(b.call("CLIENT", "LIST", "ID", id)));
            return String.join("\n", seen);
        });
    }

    private static String id(RawClient c) throws IOException {
        return c.call("CLIENT", "ID").replaceAll("[^0-9]", "");
    }

    // ---- INFO ----

    /** calls, rejected_calls and failed_calls of each command (usec varies), and the error counts. */
    private static String stats(RawClient admin) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (String line : admin.call("INFO", "commandstats").split("\r\n")) {
            Matcher m = Pattern.compile("cmdstat_([^:]+):calls=(\\d+),.*rejected_calls=(\\d+),failed_calls=(\\d+)").matcher(line);
            if (m.matches()) out.put(m.group(1), m.group(2) + "/" + m.group(3) + "/" + m.group(4));
        }
        for (String line : admin.call("INFO", "errorstats").split("\r\n")) {
            if (line.startsWith("errorstat_")) out.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 1));
        }
        for (String line : admin.call("INFO", "stats").split("\r\n")) {
            if (line.startsWith("total_error_replies:")) out.put("total_error_replies", line.substring(line.indexOf(':') + 1));
        }
        return out.toString();
    }

    private static long commandsProcessed(RawClient admin) throws IOException {
        for (String line : admin.call("INFO", "stats").split("\r\n")) {
            if (line.startsWith("total_commands_processed:")) return Long.parseLong(line.substring(line.indexOf(':') + 1));
        }
        throw new AssertionError("no total_commands_processed");
    }

    @Test
    void commandStatsCountQueuedCommandsWhenTheyRun() throws Exception {
        assertSame((a, b, admin) -> {
            admin.call("CONFIG", "RESETSTAT");
            long before = commandsProcessed(admin);
            a.call("MULTI");
            a.call("SET", "k", "v");
            a.call("INCR", "k");
            a.call("GET");
            a.call("EXEC");
            a.call("MULTI");
            a.call("SET", "k", "v");
            a.call("INCR", "k");
            a.call("BLPOP", "list", "0");
            a.call("EXEC");
            a.call("MULTI");
            a.call("EXEC", "extra");
            a.call("EXEC");
            a.call("DISCARD");
            a.call("MULTI");
            a.call("MULTI");
            a.call("WATCH", "k");
            a.call("SHUTDOWN");
            a.call("DISCARD");
            a.call("WATCH", "k");
            b.call("SET", "k", "1");
            a.call("MULTI");
            a.call("INCR", "k");
            a.call("EXEC");
            // commands processed by this session, the INFO calls in between included
            long processed = commandsProcessed(admin) - before;
            return stats(admin) + " processed=" + processed;
        });
    }

    // ---- MONITOR ----

    /** "+<seconds>.<micros> [<db> <addr>] <args>" */
    private static final Pattern LINE = Pattern.compile("\\+\\d+\\.\\d{6} \\[(\\d+) [^\\]]+\\] (.*)\r\n", Pattern.DOTALL);

    @Test
    void monitorsSeeTheQueuedCommandsWhenTheyRunThenExec() throws Exception {
        assertSame((a, b, monitor) -> {
            monitor.call("MONITOR");
            a.call("MULTI");
            a.call("SET", "k", "v");
            a.call("SELECT", "3");
            a.call("INCR", "k");
            a.call("CONFIG", "GET", "maxmemory"); // admin: never fed
            a.call("AUTH", "secret");
            a.call("EXEC");
            a.call("MULTI");
            a.call("SET", "k", "v");
            a.call("NOSUCHCOMMAND");
            a.call("EXEC");
            a.call("MULTI");
            a.call("DISCARD");
            a.call("WATCH", "x");
            a.call("UNWATCH");
            List<String> lines = new ArrayList<>();
            monitor.timeout(300);
            try {
                while (true) {
                    Matcher m = LINE.matcher(monitor.readReply());
                    assertTrue(m.matches());
                    lines.add("[" + m.group(1) + "] " + m.group(2));
                }
            } catch (SocketTimeoutException e) {
                return String.join("\n", lines);
            }
        });
    }

    // ---- SLOWLOG ----

    @Test
    void theSlowLogHoldsTheQueuedCommandsNotExec() throws Exception {
        assertSame((a, b, admin) -> {
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            admin.call("SLOWLOG", "RESET");
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            a.call("MULTI");
            a.call("SET", "k", "v");
            a.call("GET", "k");
            a.call("AUTH", "secret");
            a.call("EXEC");
            a.call("MULTI");
            a.call("GET");
            a.call("EXEC");
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            String reply = admin.call("SLOWLOG", "GET", "-1");
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            return reply.replaceAll("\\*6\r\n:\\d+\r\n:\\d+\r\n:\\d+\r\n", "*6\r\n:id\r\n:time\r\n:usec\r\n")
                    .replaceAll("\\$\\d+\r\n127\\.0\\.0\\.1:\\d+\r\n", "\\$addr\r\n127.0.0.1:port\r\n");
        });
    }

    // ---- CLIENT PAUSE ----

    @Test
    void pauseWriteHoldsExecOfWritesAndQueuedWrites() throws Exception {
        for (int port : new int[] {redis.port(), kvasir.port()}) {
            try (RawClient a = new RawClient(port); RawClient admin = new RawClient(port)) {
                admin.call("FLUSHALL");
                // a read-only transaction runs during the pause
                assertEquals("+OK\r\n", a.call("MULTI"));
                assertEquals("+QUEUED\r\n", a.call("GET", "k"));
                assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "10000", "WRITE"));
                assertEquals("*1\r\n$-1\r\n", a.call("EXEC"));
                // EXEC of a transaction that writes is held, and shows as blocked in MULTI
                assertEquals("+OK\r\n", a.call("MULTI"));
                assertEquals("+QUEUED\r\n", a.call("GET", "k"));
                admin.call("CLIENT", "UNPAUSE");
                assertEquals("+QUEUED\r\n", a.call("SET", "k", "v"));
                assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "10000", "WRITE"));
                a.command("EXEC");
                a.timeout(300);
                assertThrows(SocketTimeoutException.class, a::readReply);
                String info = admin.call("CLIENT", "LIST", "ID", clientIdOf(admin, a));
                assertTrue(info.contains(" flags=xb "), info);
                admin.call("CLIENT", "UNPAUSE");
                a.timeout(5000);
                assertEquals("*2\r\n$-1\r\n+OK\r\n", a.readReply());
                // a write command is held before it is even queued
                assertEquals("+OK\r\n", a.call("MULTI"));
                assertEquals("+OK\r\n", admin.call("CLIENT", "PAUSE", "10000", "WRITE"));
                assertEquals("+QUEUED\r\n", a.call("GET", "k"));
                a.command("DEL", "k");
                a.timeout(300);
                assertThrows(SocketTimeoutException.class, a::readReply);
                admin.call("CLIENT", "UNPAUSE");
                a.timeout(5000);
                assertEquals("+QUEUED\r\n", a.readReply());
                assertEquals("*2\r\n$1\r\nv\r\n:1\r\n", a.call("EXEC"));
            }
        }
    }

    /** The id of client {@code c} as {@code admin} sees it, found by its port. */
    private static String clientIdOf(RawClient admin, RawClient c) throws IOException {
        for (String line : admin.call("CLIENT", "LIST").split("\n")) {
            if (line.contains(" addr=127.0.0.1:" + c.localPort() + " ")) {
                return line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
            }
        }
        throw new AssertionError("client not listed");
    }
}
