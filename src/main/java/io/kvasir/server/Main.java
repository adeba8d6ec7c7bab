package io.kvasir.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The kvasir-server command: started as redis-server is, {@code kvasir-server [redis.conf] [--name value ...]}. */
public final class Main {
    private Main() {}

    public static final String VERSION = versionOf();

    private static String versionOf() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 1 && (argv[0].equals("--version") || argv[0].equals("-v"))) {
            System.out.println("Kvasir server v=" + VERSION + " redis_version=" + Kvasir.REDIS_VERSION
                    + " java=" + Runtime.version() + " bits=64");
            return;
        }
        if (argv.length == 1 && (argv[0].equals("--help") || argv[0].equals("-h"))) {
            System.out.println(usage());
            return;
        }
        Config config;
        try {
            config = ConfigFile.fromCommandLine(argv);
        } catch (ConfigFile.FatalError e) {
            System.err.println(e.report());
            System.exit(1);
            return;
        } catch (java.nio.file.NoSuchFileException e) {
            System.err.println("Fatal error, can't open config file '" + e.getFile() + "': No such file or directory");
            System.exit(1);
            return;
        }
        Logging.configure(config);
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("oO0OoO0OoO0Oo Kvasir is starting oO0OoO0OoO0Oo");
        log.info("Kvasir version={}, redis_version={}, pid={}, just started", VERSION, Kvasir.REDIS_VERSION,
                ProcessHandle.current().pid());
        Kvasir server;
        try {
            server = Kvasir.start(config);
        } catch (IllegalStateException e) {
            log.error(e.getMessage());
            System.exit(1);
            return;
        }
        log.info("Running mode=standalone, port={}.", server.port());
        log.info("Ready to accept connections tcp");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (server.closed()) return;
            log.warn("Received SIGTERM scheduling shutdown...");
            server.close();
            log.warn("Kvasir is now ready to exit, bye bye...");
        }, "kvasir-shutdown"));
        server.awaitClose();
    }

    static String usage() {
        return """
                Usage: ./kvasir-server [/path/to/redis.conf] [options] [-]
                       ./kvasir-server - (read config from stdin)
                       ./kvasir-server -v or --version
                       ./kvasir-server -h or --help

                Examples:
                       ./kvasir-server (run the server with default conf)
                       ./kvasir-server /etc/redis/6379.conf
                       ./kvasir-server --port 7777
                       ./kvasir-server /etc/myredis.conf --loglevel verbose
                """;
    }
}
