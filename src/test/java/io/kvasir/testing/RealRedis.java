package io.kvasir.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The oracle: a real redis-server 7.0 started once per test JVM on a free loopback port. Where it
 * is not installed the differential tests are skipped, except in CI (CI=true), where that fails.
 */
public final class RealRedis implements AutoCloseable {
    private static RealRedis instance;

    private final Process process;
    private final int port;
    private final Path dir;

    private RealRedis(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public int port() { return port; }

    /** The shared server; skips the calling test (or fails it in CI) when redis-server is missing. */
    public static synchronized RealRedis get() {
        if (instance != null) return instance;
        String bin = findBinary();
        if (bin == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("redis-server is not installed: the differential tests need it (apt-get install redis-server)");
            }
            Assumptions.abort("redis-server not installed; differential tests skipped");
        }
        try {
            instance = start(bin);
            Runtime.getRuntime().addShutdownHook(new Thread(instance.process::destroyForcibly));
            return instance;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
    }

    /**
     * A server of the caller's own, started with extra redis-server arguments (such as
     * {@code "--requirepass", "secret"}); the caller closes it. Skips like {@link #get()}.
     */
    public static RealRedis startDedicated(String... extraArgs) {
        String bin = findBinary();
        if (bin == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) throw new IllegalStateException("redis-server is not installed");
            Assumptions.abort("redis-server not installed; differential tests skipped");
        }
        try {
            return start(bin, extraArgs);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
    }

    /** Stops a server from {@link #startDedicated}. */
    @Override
    public void close() {
        process.destroyForcibly();
    }

    public static String findBinary() {
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (new File(p).canExecute()) return p;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) return f.getPath();
            }
        }
        return null;
    }

    private static RealRedis start(String bin, String... extraArgs) throws IOException, InterruptedException {
        int port = freePort();
        Path dir = Files.createTempDirectory("kvasir-oracle");
        List<String> cmd = new ArrayList<>(List.of(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no",
                "--enable-debug-command", "yes", "--loglevel", "warning"));
        cmd.addAll(List.of(extraArgs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return new RealRedis(p, port, dir);
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new IOException("redis-server did not start on port " + port + ": " + Files.readString(dir.resolve("redis.log")));
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
