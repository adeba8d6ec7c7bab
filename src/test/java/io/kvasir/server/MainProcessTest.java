package io.kvasir.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kvasir-server as a process: startup and shutdown log lines, signals, SHUTDOWN, --help, --version. */
class MainProcessTest {
    @TempDir
    Path dir;

    /** A Kvasir process whose output lines are collected as they come. */
    static final class Server implements AutoCloseable {
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final List<String> seen = new ArrayList<>();

        Server(List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), "-Xmx256m", "io.kvasir.server.Main"));
            cmd.addAll(args);
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for a line containing {@code text}; returns it. */
        String await(String text) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 20_000;
            for (String l : seen) if (l.contains(text)) return l;
            while (System.currentTimeMillis() < deadline) {
                String l = lines.poll(100, TimeUnit.MILLISECONDS);
                if (l == null) continue;
                seen.add(l);
                if (l.contains(text)) return l;
            }
            throw new AssertionError("no line with '" + text + "' in " + seen
                    + (process.isAlive() ? "" : " (exit code " + process.exitValue() + ")"));
        }

        int exitCode() throws InterruptedException {
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "process did not exit: " + seen);
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static final String LOG_LINE = "^\\d+:[CM] \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} [.*#-] .*";

    @Test
    void sigtermStopsCleanly() throws Exception {
        int port = RealRedis.freePort();
        try (Server s = new Server(List.of("--port", Integer.toString(port), "--save", ""))) {
            assertTrue(s.await("Ready to accept connections").matches(LOG_LINE));
            s.await("Running mode=standalone, port=" + port + ".");
            try (RawClient c = new RawClient(port)) {
                assertEquals("+PONG\r\n", c.call("PING"));
            }
            s.process.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of its output)
            assertTrue(s.await("Received SIGTERM scheduling shutdown...").matches("^\\d+:signal-handler \\(\\d+\\) .*"));
            assertTrue(s.await("User requested shutdown...").matches(LOG_LINE));
            s.await("is now ready to exit, bye bye...");
            assertEquals(0, s.exitCode());
        }
    }

    @Test
    void sigintStopsCleanly() throws Exception {
        int port = RealRedis.freePort();
        try (Server s = new Server(List.of("--port", Integer.toString(port)))) {
            s.await("Ready to accept connections");
            new ProcessBuilder("kill", "-INT", Long.toString(s.process.pid())).start().waitFor();
            s.await("Received SIGINT scheduling shutdown...");
            s.await("Not saving the final RDB snapshot");
            assertEquals(0, s.exitCode());
        }
    }

    @Test
    void sigtermThatMustSaveKeepsTheServerUp() throws Exception {
        int port = RealRedis.freePort();
        try (Server s = new Server(List.of("--port", Integer.toString(port), "--shutdown-on-sigterm", "save"))) {
            s.await("Ready to accept connections");
            s.process.toHandle().destroy();
            s.await("Error trying to save the DB, can't exit");
            try (RawClient c = new RawClient(port)) {
                assertEquals("+PONG\r\n", c.call("PING")); // Redis stays up when the save fails
                assertEquals("+OK\r\n", c.call("CONFIG", "SET", "shutdown-on-sigterm", "save force"));
            }
            s.process.toHandle().destroy();
            s.await("is now ready to exit, bye bye...");
            assertEquals(0, s.exitCode());
        }
    }

    @Test
    void shutdownCommandClosesTheConnectionAndExits() throws Exception {
        int port = RealRedis.freePort();
        Path pidfile = dir.resolve("kvasir.pid");
        try (Server s = new Server(List.of("--port", Integer.toString(port), "--pidfile", pidfile.toString()))) {
            s.await("Ready to accept connections");
            assertEquals(Long.toString(s.process.pid()), Files.readString(pidfile).trim());
            try (RawClient c = new RawClient(port)) {
                assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", c.call("SHUTDOWN", "SAVE"));
                c.command("SHUTDOWN", "NOSAVE");
                assertTrue(c.closedByServer(10_000), "connection closed without a reply");
            }
            s.await("User requested shutdown...");
            assertEquals(0, s.exitCode());
            s.await("Removing the pid file.");
            assertTrue(Files.notExists(pidfile));
        }
    }

    @Test
    void loglevelAndTimeoutApplyAtOnce() throws Exception {
        int port = RealRedis.freePort();
        Path log = dir.resolve("kvasir.log");
        try (Server s = new Server(List.of("--port", Integer.toString(port), "--logfile", log.toString()))) {
            awaitInFile(log, "Ready to accept connections");
            try (RawClient admin = new RawClient(port); RawClient idle = new RawClient(port)) {
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "loglevel", "verbose", "timeout", "1"));
                assertTrue(idle.closedByServer(5_000), "idle client closed after the timeout");
                assertTrue(awaitInFile(log, "Closing idle client").matches(LOG_LINE.replace("[.*#-]", "-")));
            }
            s.process.toHandle().destroy();
            assertEquals(0, s.exitCode());
        }
    }

    private static String awaitInFile(Path file, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file)) {
                for (String l : Files.readAllLines(file)) if (l.contains(text)) return l;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' in " + file);
    }

    @Test
    void versionAndHelp() throws Exception {
        try (Server s = new Server(List.of("--version"))) {
            assertTrue(s.await("Kvasir server v=").contains("redis_version=7.0.15"));
            assertEquals(0, s.exitCode());
        }
        try (Server s = new Server(List.of("--help"))) {
            s.await("Usage: ./kvasir-server [/path/to/redis.conf] [options] [-]");
            assertEquals(1, s.exitCode()); // as redis-server --help
        }
    }

    @Test
    void badDirectiveStopsStartupWithRedisReport() throws Exception {
        try (Server s = new Server(List.of("--port", "7000", "--foo", "bar"))) {
            s.await("*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***");
            s.await("Reading the configuration file, at line 3");
            s.await(">>> 'foo \"bar\"'");
            s.await("Bad directive or wrong number of arguments");
            assertEquals(1, s.exitCode());
        }
    }

    @Test
    void missingConfigFile() throws Exception {
        try (Server s = new Server(List.of("/nonexistent/redis.conf"))) {
            assertTrue(s.await("Fatal error, can't open config file '/nonexistent/redis.conf': No such file or directory")
                    .matches(LOG_LINE));
            assertEquals(1, s.exitCode());
        }
    }
}
