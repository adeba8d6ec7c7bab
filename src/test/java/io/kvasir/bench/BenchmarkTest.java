package io.kvasir.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Short runs of every mode against an embedded Kvasir (its own, so each test can count keys in
 * its own database), the commands Kvasir lacks yet against the real redis-server, and the
 * failure reports against a fake server that misbehaves on purpose.
 */
@Timeout(60)
class BenchmarkTest {
    private static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        kvasir = KvasirServer.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        kvasir.close();
    }

    record Outcome(int code, List<Result> results, String out, String err) {
        Result only() {
            assertEquals(1, results.size(), err);
            return results.getFirst();
        }
    }

    static Outcome run(int port, String... args) {
        Benchmark b = new Benchmark();
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(b);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("-p", Integer.toString(port)));
        if (!List.of(args).contains("--warmup")) all.addAll(List.of("--warmup", "0"));   // keeps the tests short
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        return new Outcome(code, List.copyOf(b.results()), out.toString(), err.toString());
    }

    static Outcome kvasir(String... args) {
        return run(kvasir.port(), args);
    }

    /** Every request answered, without an error or a surprise. */
    static void assertClean(Result r, long requests) {
        assertEquals(requests, r.requests(), r.line());
        assertEquals(requests, r.replies(), r.line());
        assertEquals(0, r.errors(), r.line());
        assertEquals(0, r.unexpected(), r.line());
        assertTrue(r.ok(), r.line());
        assertEquals(requests, r.latency().getTotalCount(), "one latency per request");
    }

    static long dbsize(int db) {
        return kvasir.kvasir().keyspace().db(db).size();
    }

    static String get(int port, int db, String key) throws IOException {
        try (RawClient c = new RawClient(port)) {
            assertEquals("+OK\r\n", c.call("SELECT", Integer.toString(db)));
            return c.call("GET", key);
        }
    }

    @Test
    void fillLoadsEveryKeyOnce() throws IOException {
        Outcome o = kvasir("--fill", "1000", "-d", "10", "-c", "4", "--fill-pipeline", "64", "--dbnum", "1", "-q");
        assertEquals(0, o.code(), o.err());
        Result fill = o.only();
        assertEquals("FILL", fill.name());
        assertClean(fill, 1000);
        assertEquals(1000, dbsize(1));
        assertEquals("$10\r\nxxxxxxxxxx\r\n", get(kvasir.port(), 1, "key:000000000000"));
        assertEquals("$10\r\nxxxxxxxxxx\r\n", get(kvasir.port(), 1, "key:000000000999"));
        assertEquals("$-1\r\n", get(kvasir.port(), 1, "key:000000001000"));
    }

    @Test
    void fillThenTestsReadTheFilledKeys() {
        Outcome o = kvasir("--fill", "200", "-t", "get", "-n", "1000", "-P", "10", "-c", "3", "--dbnum", "2", "-q");
        assertEquals(0, o.code(), o.err());
        assertEquals(List.of("FILL", "GET"), o.results().stream().map(Result::name).toList());
        assertClean(o.results().get(1), 1000);
        assertEquals(0, o.results().get(1).nils(), "-r defaults to the --fill count, so every GET hits");
        assertEquals(200, dbsize(2));
    }

    @Test
    void setThenGetTouchTheSameKeys() {
        Outcome o = kvasir("-t", "set,get", "-n", "2000", "-c", "5", "-P", "7", "-r", "100", "--seed", "1", "--dbnum", "3");
        assertEquals(0, o.code(), o.err());
        assertClean(o.results().get(0), 2000);
        assertClean(o.results().get(1), 2000);
        assertEquals(0, o.results().get(1).nils(), "the same seed draws the same keys for both tests");
        assertTrue(dbsize(3) > 90 && dbsize(3) <= 100, "keys: " + dbsize(3));
        assertTrue(o.out().contains("====== SET ======") && o.out().contains("SET: "), o.out());
    }

    @Test
    void getOnAnEmptyDatabaseCountsNils() {
        Result r = kvasir("-t", "get", "-n", "500", "-r", "1000", "-P", "3", "--dbnum", "4", "-q").only();
        assertClean(r, 500);
        assertEquals(500, r.nils());
    }

    @Test
    void sequentialCoversTheKeyspace() {
        Result r = kvasir("-t", "set", "--distribution", "sequential", "-r", "50", "-n", "1000", "-P", "10", "-c", "2",
                "--dbnum", "5", "-q").only();
        assertClean(r, 1000);
        assertEquals(50, dbsize(5));
    }

    @Test
    void ratioMixesGetsAndSets() {
        Result r = kvasir("--ratio", "3:1", "-n", "4000", "-P", "10", "-c", "4", "-r", "1000000", "--seed", "5",
                "--dbnum", "6", "-q").only();
        assertEquals("GET:SET 3:1", r.name());
        assertClean(r, 4000);
        // 1000 SETs of keys drawn from a million; 3000 GETs, which almost all miss
        assertTrue(dbsize(6) >= 990 && dbsize(6) <= 1000, "keys: " + dbsize(6));
        assertTrue(r.nils() >= 2990 && r.nils() <= 3000, "nils: " + r.nils());
    }

    @Test
    void durationModeRunsForTheTime() {
        Outcome o = kvasir("-t", "set", "--seconds", "1", "-P", "5", "-c", "3", "-r", "10", "--dbnum", "7", "-q");
        assertEquals(0, o.code(), o.err());
        Result r = o.only();
        assertTrue(r.nanos() >= 1_000_000_000L, "ran " + r.nanos() + " ns");
        assertTrue(r.requests() > 0);
        assertClean(r, r.requests());
        assertEquals(0, r.requests() % 5, "whole batches only");
    }

    @Test
    void zipfianConcentratesOnFewKeys() throws IOException {
        Result zipf = kvasir("-t", "set", "--distribution", "zipfian", "-r", "1000", "-n", "1000", "-P", "10", "-c", "4",
                "--seed", "7", "--dbnum", "8", "-q").only();
        Result uniform = kvasir("-t", "set", "-r", "1000", "-n", "1000", "-P", "10", "-c", "4",
                "--seed", "7", "--dbnum", "9", "-q").only();
        assertClean(zipf, 1000);
        assertClean(uniform, 1000);
        // expected distinct keys among 1000 draws from 1000: about 339 for zipf(0.99), 632 uniform
        assertTrue(dbsize(8) < 450, "zipfian keys: " + dbsize(8));
        assertTrue(dbsize(9) > 550, "uniform keys: " + dbsize(9));
        assertEquals("$3\r\nxxx\r\n", get(kvasir.port(), 8, "key:000000000000"));
    }

    @Test
    void warmupIsNeitherCountedNorLeavesKeys() {
        long echoes = kvasir.kvasir().commands().get("echo").stats().calls.sum();
        Outcome o = kvasir("--warmup", "0.3", "-t", "get", "-n", "100", "-r", "10", "--dbnum", "12", "-q");
        assertTrue(kvasir.kvasir().commands().get("echo").stats().calls.sum() > echoes, "the warm-up sent ECHOs");
        assertEquals(0, o.code(), o.err());
        assertClean(o.only(), 100);
        assertEquals(100, o.only().nils());
        assertEquals(0, dbsize(12));
    }

    @Test
    void deepPipelinesAndPartialLastBatch() {
        Result r = kvasir("-t", "ping_mbulk,set", "-n", "45000", "-P", "20000", "-c", "2", "--dbnum", "10", "-q")
                .results().get(1);
        assertClean(r, 45000);
    }

    @Test
    void csvAndJsonOutput() {
        Outcome csv = kvasir("-t", "ping", "-n", "100", "--csv");
        assertEquals(0, csv.code(), csv.err());
        String[] lines = csv.out().strip().split("\n");
        assertEquals(Result.CSV_HEADER, lines[0]);
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("\"PING_INLINE\",") && lines[2].startsWith("\"PING_MBULK\","), csv.out());
        assertTrue(lines[1].endsWith(",\"100\",\"100\",\"0\",\"0\",\"0\""), lines[1]);

        Outcome json = kvasir("-t", "set", "-n", "100", "--json", "--dbnum", "11");
        assertEquals(0, json.code(), json.err());
        String doc = json.out().strip();
        assertTrue(doc.startsWith("{\"settings\":{\"host\":\"127.0.0.1\",\"port\":" + kvasir.port()), doc);
        assertTrue(doc.contains("\"tests\":[{\"test\":\"SET\",\"requests\":100,\"replies\":100,"), doc);
        assertTrue(doc.endsWith("\"ok\":true}"), doc);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertEquals(2, kvasir("-t", "nosuch").code());
        assertEquals(2, kvasir("--ratio", "9").code());
        assertEquals(2, kvasir("-P", "0").code());
        assertEquals(2, kvasir("--csv", "--json").code());
        assertEquals(2, kvasir("-t", "set", "-P", "100000000", "-d", "100").code(), "a 10 GB batch");
    }

    @Test
    void incrAndMsetOnRealRedis() throws IOException {
        int port = RealRedis.get().port();
        try (RawClient c = new RawClient(port)) {
            c.call("SELECT", "9");
            c.call("FLUSHDB");
        }
        try {
            Outcome o = run(port, "-t", "incr,mset", "-n", "1000", "-P", "10", "-c", "4", "-r", "1",
                    "--distribution", "sequential", "--dbnum", "9", "-q");
            assertEquals(0, o.code(), o.err());
            assertEquals(List.of("INCR", "MSET (10 keys)"), o.results().stream().map(Result::name).toList());
            assertClean(o.results().get(0), 1000);
            assertClean(o.results().get(1), 1000);
            assertEquals("$4\r\n1000\r\n", get(port, 9, "counter:000000000000"), "each INCR counted once");

            Result mset = run(port, "-t", "mset", "-n", "100", "-r", "50", "--distribution", "sequential",
                    "--dbnum", "9", "-q").only();
            assertClean(mset, 100);
            try (RawClient c = new RawClient(port)) {
                c.call("SELECT", "9");
                assertEquals(":51\r\n", c.call("DBSIZE"), "50 keys from MSET and the counter");
            }
        } finally {
            try (RawClient c = new RawClient(port)) {
                c.call("SELECT", "9");
                c.call("FLUSHDB");
            }
        }
    }

    @Test
    void errorRepliesAreCountedAndFailTheRun() throws IOException {
        int port = RealRedis.get().port();
        try (RawClient c = new RawClient(port)) {
            c.call("SELECT", "9");
            c.call("SET", "counter:000000000000", "not a number");
        }
        try {
            Outcome o = run(port, "-t", "incr", "-n", "300", "-P", "7", "-c", "2", "--dbnum", "9", "-q");
            assertEquals(1, o.code());
            Result r = o.only();
            assertEquals(300, r.replies());
            assertEquals(300, r.errors());
            assertTrue(o.out().contains("300 error replies (first: ERR value is not an integer or out of range)"), o.out());
        } finally {
            try (RawClient c = new RawClient(port)) {
                c.call("SELECT", "9");
                c.call("FLUSHDB");
            }
        }
    }

    @Test
    void failedHandshakeStopsTheRun() {
        Outcome o = run(RealRedis.get().port(), "-a", "secret", "-t", "ping", "-n", "10");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("handshake (AUTH/SELECT) failed: -ERR AUTH"), o.err());
    }

    @Test
    void noServerIsReported() throws IOException {
        Outcome o = run(RealRedis.freePort(), "-t", "ping", "-n", "10");
        assertEquals(1, o.code());
        assertTrue(o.err().contains("Could not connect"), o.err());
    }

    /** A server that answers each inline PING line with {@code reply}, one byte per write. */
    private static int fakeServer(ServerSocket listener, String reply, int answerLines) {
        Thread.ofVirtual().start(() -> {
            try (Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] r = reply.getBytes(StandardCharsets.ISO_8859_1);
                int lines = 0;
                for (int b; lines < answerLines && (b = in.read()) >= 0; ) {
                    if (b != '\n') continue;
                    lines++;
                    for (byte x : r) {
                        out.write(x);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // the benchmark closed its side
            }
        });
        return listener.getLocalPort();
    }

    @Test
    void repliesSplitIntoSingleBytesAreParsed() throws IOException {
        try (ServerSocket l = new ServerSocket(0)) {
            Result r = run(fakeServer(l, "+PONG\r\n", Integer.MAX_VALUE), "-t", "ping_inline", "-n", "50", "-c", "1",
                    "-P", "5", "-q").only();
            assertClean(r, 50);
        }
    }

    @Test
    void unexpectedRepliesAreCountedAndFailTheRun() throws IOException {
        try (ServerSocket l = new ServerSocket(0)) {
            Outcome o = run(fakeServer(l, ":1\r\n", Integer.MAX_VALUE), "-t", "ping_inline", "-n", "40", "-c", "1",
                    "-P", "4", "-q");
            assertEquals(1, o.code());
            Result r = o.only();
            assertEquals(40, r.replies());
            assertEquals(40, r.unexpected());
            assertTrue(o.out().contains("40 unexpected replies (first: PING_INLINE got :1)"), o.out());
        }
    }

    @Test
    void garbageAndLostConnectionsFailTheRun() throws IOException {
        try (ServerSocket l = new ServerSocket(0)) {
            Outcome o = run(fakeServer(l, "hello\r\n", Integer.MAX_VALUE), "-t", "ping_inline", "-n", "10", "-c", "1", "-q");
            assertEquals(1, o.code());
            assertTrue(o.out().contains("protocol error in reply: not a RESP2 reply type: 'h'"), o.out());
        }
        try (ServerSocket l = new ServerSocket(0)) {
            Outcome o = run(fakeServer(l, "+PONG\r\n", 6), "-t", "ping_inline", "-n", "10", "-c", "1", "-q");
            assertEquals(1, o.code());
            Result r = o.only();
            assertEquals(6, r.replies());
            assertTrue(o.out().contains("connection failed: connection closed by the server"), o.out());
        }
    }
}
