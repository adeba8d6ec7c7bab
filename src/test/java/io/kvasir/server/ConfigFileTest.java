package io.kvasir.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvasir.testing.RealRedis;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** redis.conf and command-line parsing, and the fatal error report, against redis-server itself. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

    private static Config parse(String... argv) {
        return ConfigFile.fromCommandLine(argv, NO_STDIN);
    }

    // ---- accepted input ----

    @Test
    void optionsOverrideDefaults() {
        Config c = parse("--port", "7000", "--maxmemory", "100mb", "--maxmemory-policy", "ALLKEYS-LRU");
        assertEquals("7000", c.get("port"));
        assertEquals("104857600", c.get("maxmemory"));
        assertEquals("allkeys-lru", c.get("maxmemory-policy"));
        assertNull(c.file());
    }

    @Test
    void severalValuesPerFlag() {
        Config c = parse("--save", "100", "1", "200", "2", "--bind", "127.0.0.1", "::1");
        assertEquals("100 1 200 2", c.get("save"));
        assertEquals("127.0.0.1 ::1", c.get("bind"));
    }

    @Test
    void saveAloneMeansNoSnapshots() {
        assertEquals("", parse("--save", "--port", "7001").get("save"));
        assertEquals("", parse("--port", "7001", "--save").get("save"));
    }

    @Test
    void fileQuotingAndAliases() throws IOException {
        Path f = write("redis.conf", """
                # a comment
                   requirepass "a b\\x41\\n"
                masteruser 'it\\'s'
                slave-read-only no
                SLAVE-PRIORITY 5

                hz 20
                """);
        Config c = parse(f.toString());
        assertEquals("a bA\n", c.get("requirepass"));
        assertEquals("it's", c.get("masteruser"));
        assertEquals("no", c.get("replica-read-only"));
        assertEquals("5", c.get("replica-priority"));
        assertEquals("20", c.get("hz"));
        assertEquals(f.toAbsolutePath(), c.file());
    }

    @Test
    void saveLinesAccumulateAndAnEmptyOneClears() throws IOException {
        Path f = write("s.conf", "save 900 1\nsave 300 10\n");
        assertEquals("900 1 300 10 10 2", parse(f.toString(), "--save", "10", "2").get("save"));
        assertEquals("", parse(f.toString(), "--save", "").get("save"));
        Path g = write("s2.conf", "save 900 1\nsave \"\"\nsave 5 5\n");
        assertEquals("5 5", parse(g.toString()).get("save"));
    }

    @Test
    void includeLoadsAnotherFileInPlace() throws IOException {
        Path inc = write("inc.conf", "hz 30\nport 7002\n");
        Path f = write("main.conf", "port 7001\ninclude " + inc + "\n");
        Config c = parse(f.toString());
        assertEquals("7002", c.get("port"));
        assertEquals("30", c.get("hz"));
    }

    @Test
    void configFromStdin() {
        Config c = ConfigFile.fromCommandLine(new String[] {"-", "--port", "7003"},
                new ByteArrayInputStream("maxmemory 1mb\nport 7000\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals("1048576", c.get("maxmemory"));
        assertEquals("7003", c.get("port"));
    }

    @Test
    void fileOnlyDirectivesAreAccepted() throws IOException {
        Path f = write("f.conf", "rename-command FLUSHDB \"\"\nuser default on nopass ~* +@all\n");
        assertEquals("6379", parse(f.toString()).get("port"));
    }

    @Test
    void missingFile() {
        ConfigFile.UnreadableFile e = assertThrows(ConfigFile.UnreadableFile.class, () -> parse("/nonexistent/x.conf"));
        assertEquals("Fatal error, can't open config file '/nonexistent/x.conf': No such file or directory", e.getMessage());
    }

    // ---- fatal errors, compared with redis-server's own report ----

    @ParameterizedTest
    @ValueSource(strings = {
            "--foo bar",
            "--port abc",
            "--port 7000 extra",
            "--save --port 7001 --bogus",
            "--port 7000 --hz 5 --maxmemory 1tb",
            "--maxmemory-policy lru",
            "--activerehashing maybe",
            "--notify-keyspace-events Q",
            "--client-output-buffer-limit foo 1 2 3",
            "--unixsocketperm 999",
            "--replicaof 127.0.0.1",
            "--slaveof 127.0.0.1 x",
            "--shutdown-on-sigint save nosave",
            "--oom-score-adj-values 1 2",
            "--enable-debug-command maybe",
            "--dir /nonexistent",
            "--dbfilename a/b",
            "--appendfilename a/b",
            "--save 10",
            "--hz -1",
            "--loglevel nothing",
            "--proc-title-template {foo}",
            "--latency-tracking-info-percentiles 200",
            "--maxmemory-clients 101%",
            "--rename-command get",
            "--user"})
    void commandLineErrorsReportAsRedis(String args) throws Exception {
        assertSameReport(List.of(args.split(" ")));
    }

    @Test
    void quotedValuesInTheReport() throws Exception {
        assertSameReport(List.of("--port", "7000", "--foo", "a b", "c\"d\\e"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "port 7000\n\nhz abc def\n",
            "# comment\nmaxmemory 1tb\n",
            "requirepass \"abc\n",
            "requirepass \"abc\"x\n",
            "maxmemory-policy\n",
            "   bogus   directive  \n",
            "\tport\t70000\n"})
    void fileErrorsReportAsRedis(String text) throws Exception {
        Path f = write("bad.conf", text);
        assertSameReport(List.of(f.toString()));
        assertSameReport(List.of(f.toString(), "--port", "7000"));
    }

    @Test
    void errorsAfterAFileCountItsLines() throws Exception {
        Path f = write("ok.conf", "port 7000\n\nhz 5\n");
        assertSameReport(List.of(f.toString(), "--hz", "1", "--bogus", "x"));
    }

    @Test
    void errorInAnIncludedFileCountsItsOwnLines() throws Exception {
        Path inc = write("inc.conf", "port 7000\n\nhz x\n");
        Path f = write("main.conf", "# main\n\ninclude " + inc + "\n");
        assertSameReport(List.of(f.toString()));
    }

    /** The redis-server binary; skips the test where it is missing, except in CI where that fails. */
    static String redisServer() {
        String bin = RealRedis.findBinary();
        if (bin == null && "true".equalsIgnoreCase(System.getenv("CI"))) fail("redis-server is not installed");
        Assumptions.assumeTrue(bin != null, "redis-server not installed");
        return bin;
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /** Runs redis-server with {@code argv} (which must be rejected) and compares its report with Kvasir's. */
    private static void assertSameReport(List<String> argv) throws Exception {
        String bin = redisServer();
        List<String> cmd = new ArrayList<>(List.of(bin));
        cmd.addAll(argv);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("redis-server accepted " + argv);
        }
        String expected = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        ConfigFile.FatalError e = assertThrows(ConfigFile.FatalError.class,
                () -> parse(argv.toArray(String[]::new)), "Kvasir accepted " + argv);
        assertEquals(expected, e.report() + "\n", "for " + argv);
    }
}
