package io.kvasir.embed;

import io.kvasir.server.Config;
import io.kvasir.server.ConfigFile;
import java.io.InputStream;
import java.nio.file.Path;
import io.kvasir.server.Kvasir;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kvasir embedded in a Java program:
 *
 * <pre>{@code
 * try (KvasirServer server = KvasirServer.builder().port(0).config("databases", "4").start()) {
 *     int port = server.port(); // connect any Redis client here
 * }
 * }</pre>
 *
 * Several servers may run in one JVM; each has its own keyspace and port.
 */
public final class KvasirServer implements AutoCloseable {
    private final Kvasir kvasir;

    private KvasirServer(Kvasir kvasir) {
        this.kvasir = kvasir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the server listens on (the one chosen by the system when built with port 0). */
    public int port() {
        return kvasir.port();
    }

    /** The server behind this handle, for the project's own tools and tests. */
    public Kvasir kvasir() {
        return kvasir;
    }

    /** Stops listening, closes every connection and releases the event loops. */
    @Override
    public void close() {
        kvasir.close();
    }

    /** Collects configuration as redis.conf directives; {@link #start()} validates them. */
    public static final class Builder {
        private final Map<String, List<String>> settings = new LinkedHashMap<>();
        private Path configFile;

        private Builder() {}

        /**
         * Reads a redis.conf first, as {@code redis-server /path/redis.conf} does; the directives
         * set on the builder apply after it, and CONFIG REWRITE writes back to it.
         */
        public Builder configFile(Path file) {
            this.configFile = file;
            return this;
        }

        /** The TCP port; 0 picks a free one. */
        public Builder port(int port) {
            return config("port", Integer.toString(port));
        }

        /** Any redis.conf directive, e.g. {@code config("maxclients", "100")}. */
        public Builder config(String name, String... values) {
            settings.put(name, new ArrayList<>(List.of(values)));
            return this;
        }

        public KvasirServer start() {
            Config config;
            if (configFile != null) {
                config = ConfigFile.fromCommandLine(new String[] {configFile.toString()}, InputStream.nullInputStream());
            } else {
                config = new Config();
                // an embedded server without a config file listens on the loopback interface only
                config.set("port", "6379");
                config.set("bind", "127.0.0.1");
            }
            settings.forEach(config::set);
            config.endLoad();
            try {
                return new KvasirServer(Kvasir.start(config));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }
}
