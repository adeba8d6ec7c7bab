package io.kvasir.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The kvasir-server command, started as redis-server is:
 * {@code kvasir-server [/path/to/redis.conf] [--name value ...] [-]}.
 */
public final class Main {
    private Main() {}

    public static final String VERSION = versionOf();

    private static String versionOf() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length >= 1 && (argv[0].equals("--version") || argv[0].equals("-v"))) {
            System.out.println(version());
            return;
        }
        if (argv.length >= 1 && (argv[0].equals("--help") || argv[0].equals("-h"))) {
            System.err.print(usage());
            System.exit(1);
            return;
        }
        Config config;
        try {
            if (ConfigFile.parseArgs(argv).stdin()) early("Reading config from stdin");
            config = ConfigFile.fromCommandLine(argv, System.in);
        } catch (ConfigFile.FatalError e) {
            System.err.println(e.report());
            System.exit(1);
            return;
        } catch (ConfigFile.UnreadableFile e) {
            early(e.getMessage());
            System.exit(1);
            return;
        }
        Logging.configure(config);
        Logger log = LoggerFactory.getLogger(Main.class);
        long pid = ProcessHandle.current().pid();
        log.warn("oO0OoO0OoO0Oo Kvasir is starting oO0OoO0OoO0Oo");
        log.warn("Kvasir version={}, redis_version={}, bits=64, pid={}, just started", VERSION, Kvasir.REDIS_VERSION, pid);
        log.warn(argv.length == 0
                ? "Warning: no config file specified, using the default config. In order to specify a config file use kvasir-server /path/to/redis.conf"
                : "Configuration loaded");
        if (config.getBool("daemonize")) log.warn("daemonize is not supported: Kvasir stays in the foreground");
        Logging.role = 'M';
        Kvasir server;
        try {
            server = Kvasir.start(config);
        } catch (IllegalStateException e) {
            log.warn(e.getMessage());
            System.exit(1);
            return;
        }
        handleSignal("TERM", server);
        handleSignal("INT", server);
        log.info("Running mode=standalone, port={}.", server.port());
        Path pidfile = writePidFile(config, log);
        log.info("Ready to accept connections");
        server.awaitClose();
        if (pidfile != null) {
            log.info("Removing the pid file.");
            Files.deleteIfExists(pidfile);
        }
        System.exit(0);
    }

    /** On SIGTERM/SIGINT, logs as Redis's signal handler does and shuts down cleanly. */
    private static void handleSignal(String name, Kvasir server) {
        Signal.handle(new Signal(name), sig -> {
            Logging.raw(ProcessHandle.current().pid() + ":signal-handler (" + System.currentTimeMillis() / 1000
                    + ") Received SIG" + name + " scheduling shutdown...");
            String directive = name.equals("TERM") ? "shutdown-on-sigterm" : "shutdown-on-sigint";
            Thread t = new Thread(() -> server.shutdownOnSignal(directive), "kvasir-shutdown");
            t.start();
        });
    }

    private static Path writePidFile(Config config, Logger log) {
        String name = config.get("pidfile");
        if (name.isEmpty()) return null;
        Path p = Path.of(name);
        try {
            Files.writeString(p, ProcessHandle.current().pid() + "\n");
            return p;
        } catch (IOException e) {
            log.warn("Failed to write PID file: {}", e.getMessage());
            return null;
        }
    }

    /** A log line written before logging is configured, in Redis's format with role 'C'. */
    private static void early(String message) {
        String ts = LocalDateTime.now().format(DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH));
        System.out.println(ProcessHandle.current().pid() + ":C " + ts + " # " + message);
    }

    static String version() {
        return "Kvasir server v=" + VERSION + " redis_version=" + Kvasir.REDIS_VERSION + " java=" + Runtime.version()
                + " bits=64";
    }

    static String usage() {
        return """
                Usage: ./kvasir-server [/path/to/redis.conf] [options] [-]
                       ./kvasir-server - (read config from stdin)
                       ./kvasir-server -v or --version
                       ./kvasir-server -h or --help

                Examples:
                       ./kvasir-server (run the server with default conf)
                       echo 'maxmemory 128mb' | ./kvasir-server -
                       ./kvasir-server /etc/redis/6379.conf
                       ./kvasir-server --port 7777
                       ./kvasir-server /etc/myredis.conf --loglevel verbose -
                       ./kvasir-server /etc/myredis.conf --loglevel verbose
                """;
    }
}
