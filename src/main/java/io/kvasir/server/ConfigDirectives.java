package io.kvasir.server;

import io.kvasir.server.Config.ConfigException;
import io.kvasir.server.Config.Directive;
import io.kvasir.server.Config.Type;
import java.util.List;
import java.util.Locale;

/** The directives Kvasir understands, with Redis 7.0's names, defaults and ranges. */
final class ConfigDirectives {
    private ConfigDirectives() {}

    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final long LONG_MAX = Long.MAX_VALUE;

    static void declare(Config c) {
        // network
        c.declare("port", Type.INT, "6379", true, 0, 65535, null);
        c.declare("bind", Type.SPECIAL, "* -::*", true, 0, 0, null);
        c.declare("protected-mode", Type.BOOL, "yes", true, 0, 0, null);
        c.declare("tcp-backlog", Type.INT, "511", false, 0, INT_MAX, null);
        c.declare("timeout", Type.INT, "0", true, 0, INT_MAX, null);
        c.declare("tcp-keepalive", Type.INT, "300", true, 0, INT_MAX, null);
        c.declare("maxclients", Type.INT, "10000", true, 1, INT_MAX, null);
        c.declare("io-threads", Type.INT, "1", false, 1, 128, null);
        c.declare("io-threads-do-reads", Type.BOOL, "no", false, 0, 0, null);
        c.declare("unixsocket", Type.STRING, "", false, 0, 0, null);
        c.declare("unixsocketperm", Type.INT, "0", false, 0, 0777, null);
        // general
        c.declare("daemonize", Type.BOOL, "no", false, 0, 0, null);
        c.declare("pidfile", Type.STRING, "", false, 0, 0, null);
        c.declare("loglevel", Type.ENUM, "notice", true, 0, 0, List.of("debug", "verbose", "notice", "warning", "nothing"));
        c.declare("logfile", Type.STRING, "", false, 0, 0, null);
        c.declare("databases", Type.INT, "16", false, 1, INT_MAX, null);
        c.declare("hz", Type.INT, "10", true, 0, INT_MAX, null);
        c.declare("dynamic-hz", Type.BOOL, "yes", true, 0, 0, null);
        c.declare("requirepass", Type.STRING, "", true, 0, 0, null);
        c.declare("proto-max-bulk-len", Type.MEMORY, "536870912", true, 1024 * 1024, LONG_MAX, null);
        c.declare("client-query-buffer-limit", Type.MEMORY, "1073741824", true, 1024 * 1024, LONG_MAX, null);
        // persistence (accepted now; the features come with the persistence issue)
        c.declare("dir", Type.SPECIAL, System.getProperty("user.dir"), true, 0, 0, null);
        c.declare("dbfilename", Type.STRING, "dump.rdb", true, 0, 0, null);
        c.declare("save", Type.SPECIAL, "3600 1 300 100 60 10000", true, 0, 0, null);
        c.declare("appendonly", Type.BOOL, "no", true, 0, 0, null);
        c.declare("appendfilename", Type.STRING, "appendonly.aof", false, 0, 0, null);
        c.declare("appendfsync", Type.ENUM, "everysec", true, 0, 0, List.of("always", "everysec", "no"));
        // memory
        c.declare("maxmemory", Type.MEMORY, "0", true, 0, LONG_MAX, null);
        c.declare("maxmemory-policy", Type.ENUM, "noeviction", true, 0, 0,
                List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                        "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"));
        c.declare("maxmemory-samples", Type.INT, "5", true, 1, 64, null);
        c.declare("lfu-log-factor", Type.INT, "10", true, 0, INT_MAX, null);
        c.declare("lfu-decay-time", Type.INT, "1", true, 0, INT_MAX, null);
        // slow log
        c.declare("slowlog-log-slower-than", Type.LONG, "10000", true, -1, LONG_MAX, null);
        c.declare("slowlog-max-len", Type.LONG, "128", true, 0, LONG_MAX, null);
    }

    /** Validates {@code words} for directive {@code d} and returns the canonical stored value. */
    static String normalize(Directive d, List<String> words) {
        if (d.type != Type.SPECIAL && words.size() != 1) {
            throw new ConfigException("wrong number of arguments");
        }
        String w = words.isEmpty() ? "" : words.get(0);
        switch (d.type) {
            case BOOL -> {
                String v = w.toLowerCase(Locale.ROOT);
                if (!v.equals("yes") && !v.equals("no")) throw new ConfigException("argument must be 'yes' or 'no'");
                return v;
            }
            case INT, LONG -> {
                long v;
                try {
                    v = Long.parseLong(w);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument couldn't be parsed into an integer");
                }
                if (v < d.min || v > d.max) {
                    throw new ConfigException("argument must be between " + d.min + " and " + d.max + " inclusive");
                }
                return Long.toString(v);
            }
            case MEMORY -> {
                long v;
                try {
                    v = Config.parseMemory(w);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument must be a memory value");
                }
                if (v < d.min || v > d.max) {
                    throw new ConfigException("argument must be between " + d.min + " and " + d.max + " inclusive");
                }
                return Long.toString(v);
            }
            case ENUM -> {
                String v = w.toLowerCase(Locale.ROOT);
                if (!d.choices.contains(v)) throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", d.choices));
                return v;
            }
            case STRING -> {
                return w;
            }
            default -> {
                return String.join(" ", words);
            }
        }
    }
}
