package io.kvasir.server;

import static io.kvasir.server.Config.HIDDEN;
import static io.kvasir.server.Config.IMMUTABLE;
import static io.kvasir.server.Config.MULTI_ARG;
import static io.kvasir.server.Config.PROTECTED;
import static io.kvasir.server.Config.SENSITIVE;
import static io.kvasir.server.Config.UNSIGNED;

import io.kvasir.server.Config.ConfigException;
import io.kvasir.server.Config.Directive;
import io.kvasir.server.Config.Parser;
import io.kvasir.server.Config.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every directive of Redis 7.0's redis.conf, with Redis's names, aliases, defaults, bounds and
 * flags (immutable, protected, hidden), so that CONFIG GET on a fresh Kvasir reads as on a fresh
 * redis-server. Directives whose feature Kvasir does not have yet are accepted and reported.
 */
final class ConfigDirectives {
    private ConfigDirectives() {}

    private static final long INT_MIN = Integer.MIN_VALUE, INT_MAX = Integer.MAX_VALUE, UINT_MAX = 0xffffffffL;
    private static final long LONG_MAX = Long.MAX_VALUE;

    private static Config c;

    static synchronized void declare(Config config) {
        c = config;
        try {
            general();
            network();
            snapshotting();
            replication();
            security();
            clientsAndMemory();
            appendOnly();
            cluster();
            advanced();
            tls();
        } finally {
            c = null;
        }
    }

    // ---- declaration helpers ----

    private static void bool(String name, boolean def, int flags) {
        c.declare(name, Type.BOOL, def ? "yes" : "no", flags, 0, 0, null, null);
    }

    private static void bool(String name, boolean def) { bool(name, def, 0); }

    private static void integer(String name, long def, long min, long max, int flags) {
        c.declare(name, Type.INT, Long.toString(def), flags, min, max, null, null);
    }

    private static void integer(String name, long def, long min, long max) { integer(name, def, min, max, 0); }

    private static void memory(String name, long def, long min, long max) {
        c.declare(name, Type.MEMORY, Long.toString(def), max == -1 ? UNSIGNED : 0, min, max, null, null);
    }

    private static void string(String name, String def, int flags) {
        c.declare(name, Type.STRING, def, flags, 0, 0, null, null);
    }

    private static void string(String name, String def) { string(name, def, 0); }

    private static void choice(String name, String def, int flags, String... choices) {
        c.declare(name, Type.ENUM, def, flags, 0, 0, List.of(choices), null);
    }

    private static Directive special(String name, String def, int flags, Parser parser) {
        return c.declare(name, Type.SPECIAL, def, flags, 0, 0, null, parser);
    }

    private static void alias(String alias, String name) { c.alias(alias, name); }

    // ---- the directives, in redis.conf's order ----

    private static void general() {
        bool("daemonize", false, IMMUTABLE);
        choice("supervised", "no", IMMUTABLE, "upstart", "systemd", "auto", "no");
        string("pidfile", "", IMMUTABLE);
        choice("loglevel", "notice", 0, "debug", "verbose", "notice", "warning");
        string("logfile", "", IMMUTABLE);
        bool("syslog-enabled", false, IMMUTABLE);
        string("syslog-ident", "redis", IMMUTABLE);
        choice("syslog-facility", "local0", IMMUTABLE, "user", "local0", "local1", "local2", "local3", "local4",
                "local5", "local6", "local7");
        bool("crash-log-enabled", true);
        bool("crash-memcheck-enabled", true);
        integer("databases", 16, 1, INT_MAX, IMMUTABLE);
        bool("always-show-logo", false, IMMUTABLE);
        bool("set-proc-title", true, IMMUTABLE);
        special("proc-title-template", "{title} {listen-addr} {server-mode}", 0, ConfigDirectives::procTitle);
        special("dir", System.getProperty("user.dir"), PROTECTED, ConfigDirectives::dir);
        string("server_cpulist", "", IMMUTABLE);
        string("bio_cpulist", "", IMMUTABLE);
        string("aof_rewrite_cpulist", "", IMMUTABLE);
        string("bgsave_cpulist", "", IMMUTABLE);
        string("ignore-warnings", "");
        integer("watchdog-period", 0, 0, INT_MAX, HIDDEN);
    }

    private static void network() {
        special("bind", "* -::*", MULTI_ARG, ConfigDirectives::bind);
        string("bind-source-addr", "");
        bool("protected-mode", true);
        integer("port", 6379, 0, 65535);
        integer("tcp-backlog", 511, 0, INT_MAX, IMMUTABLE);
        string("unixsocket", "", IMMUTABLE);
        c.declare("unixsocketperm", Type.OCTAL, "0", IMMUTABLE, 0, 0777, null, null);
        integer("timeout", 0, 0, INT_MAX);
        integer("tcp-keepalive", 300, 0, INT_MAX);
        integer("socket-mark-id", 0, 0, UINT_MAX, IMMUTABLE);
    }

    private static void snapshotting() {
        special("save", "3600 1 300 100 60 10000", MULTI_ARG, ConfigDirectives::save);
        bool("stop-writes-on-bgsave-error", true);
        bool("rdbcompression", true);
        bool("rdbchecksum", true, IMMUTABLE);
        choice("sanitize-dump-payload", "no", 0, "no", "yes", "clients");
        special("dbfilename", "dump.rdb", PROTECTED, (w, cur, a) -> fileName("dbfilename", w.get(0)));
        bool("rdb-del-sync-files", false);
        integer("rdb-key-save-delay", 0, INT_MIN, INT_MAX, HIDDEN);
        integer("key-load-delay", 0, INT_MIN, INT_MAX, HIDDEN);
        integer("loading-process-events-interval-bytes", 2 * 1024 * 1024, 1024, INT_MAX, HIDDEN);
    }

    private static void replication() {
        special("replicaof", "", IMMUTABLE | MULTI_ARG, ConfigDirectives::replicaOf);
        alias("slaveof", "replicaof");
        string("masterauth", "", SENSITIVE);
        string("masteruser", "");
        bool("replica-serve-stale-data", true);
        alias("slave-serve-stale-data", "replica-serve-stale-data");
        bool("replica-read-only", true);
        alias("slave-read-only", "replica-read-only");
        bool("repl-diskless-sync", true);
        integer("repl-diskless-sync-delay", 5, 0, INT_MAX);
        integer("repl-diskless-sync-max-replicas", 0, 0, INT_MAX);
        choice("repl-diskless-load", "disabled", 0, "disabled", "on-empty-db", "swapdb");
        integer("repl-ping-replica-period", 10, 1, INT_MAX);
        alias("repl-ping-slave-period", "repl-ping-replica-period");
        integer("repl-timeout", 60, 1, INT_MAX);
        bool("repl-disable-tcp-nodelay", false);
        memory("repl-backlog-size", 1024 * 1024, 1, LONG_MAX);
        integer("repl-backlog-ttl", 3600, 0, LONG_MAX);
        integer("replica-priority", 100, 0, INT_MAX);
        alias("slave-priority", "replica-priority");
        bool("replica-announced", true);
        integer("min-replicas-to-write", 0, 0, INT_MAX);
        alias("min-slaves-to-write", "min-replicas-to-write");
        integer("min-replicas-max-lag", 10, 0, INT_MAX);
        alias("min-slaves-max-lag", "min-replicas-max-lag");
        string("replica-announce-ip", "");
        alias("slave-announce-ip", "replica-announce-ip");
        integer("replica-announce-port", 0, 0, 65535);
        alias("slave-announce-port", "replica-announce-port");
        bool("replica-ignore-maxmemory", true);
        alias("slave-ignore-maxmemory", "replica-ignore-maxmemory");
        bool("replica-lazy-flush", false);
        alias("slave-lazy-flush", "replica-lazy-flush");
        bool("replica-ignore-disk-write-errors", false);
        choice("propagation-error-behavior", "ignore", 0, "ignore", "panic", "panic-on-replicas");
    }

    private static void security() {
        integer("acllog-max-len", 128, 0, LONG_MAX);
        string("aclfile", "", IMMUTABLE);
        string("requirepass", "", SENSITIVE);
        choice("acl-pubsub-default", "resetchannels", 0, "allchannels", "resetchannels");
        choice("enable-protected-configs", "no", IMMUTABLE, "no", "yes", "local");
        choice("enable-debug-command", "no", IMMUTABLE, "no", "yes", "local");
        choice("enable-module-command", "no", IMMUTABLE, "no", "yes", "local");
    }

    private static void clientsAndMemory() {
        integer("maxclients", 10000, 1, UINT_MAX);
        memory("maxmemory", 0, 0, -1);
        choice("maxmemory-policy", "noeviction", 0, "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
                "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction");
        integer("maxmemory-samples", 5, 1, INT_MAX);
        integer("maxmemory-eviction-tenacity", 10, 0, 100);
        c.declare("maxmemory-clients", Type.PERCENT, "0", 0, -100, LONG_MAX, null, null);
        bool("lazyfree-lazy-eviction", false);
        bool("lazyfree-lazy-expire", false);
        bool("lazyfree-lazy-server-del", false);
        bool("lazyfree-lazy-user-del", false);
        bool("lazyfree-lazy-user-flush", false);
        integer("io-threads", 1, 1, 128, IMMUTABLE);
        bool("io-threads-do-reads", false, IMMUTABLE);
        choice("oom-score-adj", "no", 0, "no", "yes", "relative", "absolute");
        special("oom-score-adj-values", "0 200 800", MULTI_ARG, ConfigDirectives::oomScoreAdjValues);
        bool("disable-thp", true, IMMUTABLE);
    }

    private static void appendOnly() {
        bool("appendonly", false);
        special("appendfilename", "appendonly.aof", IMMUTABLE, (w, cur, a) -> fileName("appendfilename", w.get(0)));
        special("appenddirname", "appendonlydir", IMMUTABLE, (w, cur, a) -> fileName("appenddirname", w.get(0)));
        choice("appendfsync", "everysec", 0, "everysec", "always", "no");
        bool("no-appendfsync-on-rewrite", false);
        integer("auto-aof-rewrite-percentage", 100, 0, INT_MAX);
        memory("auto-aof-rewrite-min-size", 64L * 1024 * 1024, 0, LONG_MAX);
        bool("aof-load-truncated", true);
        bool("aof-use-rdb-preamble", true);
        bool("aof-timestamp-enabled", false);
        bool("aof-rewrite-incremental-fsync", true);
        bool("rdb-save-incremental-fsync", true);
        bool("aof-disable-auto-gc", false);
        choice("shutdown-on-sigint", "default", MULTI_ARG, "default", "save", "nosave", "now", "force");
        choice("shutdown-on-sigterm", "default", MULTI_ARG, "default", "save", "nosave", "now", "force");
        integer("shutdown-timeout", 10, 0, INT_MAX);
        integer("busy-reply-threshold", 5000, 0, LONG_MAX);
        alias("lua-time-limit", "busy-reply-threshold");
    }

    private static void cluster() {
        bool("cluster-enabled", false, IMMUTABLE);
        string("cluster-config-file", "nodes.conf", IMMUTABLE);
        integer("cluster-node-timeout", 15000, 0, LONG_MAX);
        integer("cluster-port", 0, 0, 65535, IMMUTABLE);
        integer("cluster-replica-validity-factor", 10, 0, INT_MAX);
        alias("cluster-slave-validity-factor", "cluster-replica-validity-factor");
        integer("cluster-migration-barrier", 1, 0, INT_MAX);
        bool("cluster-allow-replica-migration", true);
        bool("cluster-require-full-coverage", true);
        bool("cluster-replica-no-failover", false);
        alias("cluster-slave-no-failover", "cluster-replica-no-failover");
        bool("cluster-allow-reads-when-down", false);
        bool("cluster-allow-pubsubshard-when-down", true);
        memory("cluster-link-sendbuf-limit", 0, 0, -1);
        string("cluster-announce-ip", "");
        special("cluster-announce-hostname", "", 0, ConfigDirectives::hostname);
        choice("cluster-preferred-endpoint-type", "ip", 0, "ip", "hostname", "unknown-endpoint");
        integer("cluster-announce-port", 0, 0, 65535);
        integer("cluster-announce-bus-port", 0, 0, 65535);
        integer("cluster-announce-tls-port", 0, 0, 65535);
    }

    private static void advanced() {
        integer("slowlog-log-slower-than", 10000, -1, LONG_MAX);
        integer("slowlog-max-len", 128, 0, LONG_MAX);
        integer("latency-monitor-threshold", 0, 0, LONG_MAX);
        bool("latency-tracking", true);
        special("latency-tracking-info-percentiles", "50 99 99.9", MULTI_ARG, ConfigDirectives::percentiles);
        special("notify-keyspace-events", "", 0, ConfigDirectives::notifyEvents).measure =
                w -> io.kvasir.pubsub.Notifications.parse(w.get(0));
        integer("hash-max-listpack-entries", 512, 0, LONG_MAX);
        alias("hash-max-ziplist-entries", "hash-max-listpack-entries");
        memory("hash-max-listpack-value", 64, 0, LONG_MAX);
        alias("hash-max-ziplist-value", "hash-max-listpack-value");
        integer("list-max-listpack-size", -2, INT_MIN, INT_MAX);
        alias("list-max-ziplist-size", "list-max-listpack-size");
        integer("list-compress-depth", 0, 0, INT_MAX);
        integer("set-max-intset-entries", 512, 0, LONG_MAX);
        integer("zset-max-listpack-entries", 128, 0, LONG_MAX);
        alias("zset-max-ziplist-entries", "zset-max-listpack-entries");
        memory("zset-max-listpack-value", 64, 0, LONG_MAX);
        alias("zset-max-ziplist-value", "zset-max-listpack-value");
        memory("hll-sparse-max-bytes", 3000, 0, LONG_MAX);
        memory("stream-node-max-bytes", 4096, 0, LONG_MAX);
        integer("stream-node-max-entries", 100, 0, LONG_MAX);
        bool("activerehashing", true);
        special("client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
                MULTI_ARG, ConfigDirectives::outputBufferLimit);
        memory("client-query-buffer-limit", 1024L * 1024 * 1024, 1024 * 1024, LONG_MAX);
        memory("proto-max-bulk-len", 512L * 1024 * 1024, 1024 * 1024, LONG_MAX);
        integer("hz", 10, 0, INT_MAX);
        bool("dynamic-hz", true);
        bool("jemalloc-bg-thread", true);
        bool("activedefrag", false);
        memory("active-defrag-ignore-bytes", 100L * 1024 * 1024, 1, LONG_MAX);
        integer("active-defrag-threshold-lower", 10, 0, 1000);
        integer("active-defrag-threshold-upper", 100, 0, 1000);
        integer("active-defrag-cycle-min", 1, 1, 99);
        integer("active-defrag-cycle-max", 25, 1, 99);
        integer("active-defrag-max-scan-fields", 1000, 1, LONG_MAX);
        integer("active-expire-effort", 1, 1, 10);
        integer("lfu-log-factor", 10, 0, INT_MAX);
        integer("lfu-decay-time", 1, 0, INT_MAX);
        integer("tracking-table-max-keys", 1000000, 0, LONG_MAX);
    }

    private static void tls() {
        integer("tls-port", 0, 0, 65535);
        string("tls-cert-file", "");
        string("tls-key-file", "");
        string("tls-key-file-pass", "", SENSITIVE);
        string("tls-client-cert-file", "");
        string("tls-client-key-file", "");
        string("tls-client-key-file-pass", "", SENSITIVE);
        string("tls-dh-params-file", "");
        string("tls-ca-cert-file", "");
        string("tls-ca-cert-dir", "");
        choice("tls-auth-clients", "yes", 0, "no", "yes", "optional");
        bool("tls-replication", false);
        bool("tls-cluster", false);
        string("tls-protocols", "");
        string("tls-ciphers", "");
        string("tls-ciphersuites", "");
        bool("tls-prefer-server-ciphers", false);
        bool("tls-session-caching", true);
        integer("tls-session-cache-size", 20 * 1024, 0, INT_MAX);
        integer("tls-session-cache-timeout", 300, 0, INT_MAX);
    }

    // ---- validation ----

    /** Validates {@code words} for directive {@code d} and returns the canonical stored value. */
    static String normalize(Directive d, List<String> words, boolean appending) {
        String w = words.isEmpty() ? "" : words.get(0);
        switch (d.type) {
            case BOOL -> {
                String v = w.toLowerCase(Locale.ROOT);
                if (!v.equals("yes") && !v.equals("no")) throw new ConfigException("argument must be 'yes' or 'no'");
                return v;
            }
            case INT -> {
                long v;
                try {
                    v = strictLong(w);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument couldn't be parsed into an integer");
                }
                checkRange(d, v);
                return Long.toString(clamp(d, v));
            }
            case MEMORY -> {
                long v;
                try {
                    v = Config.parseMemory(w);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument must be a memory value");
                }
                if (!d.has(UNSIGNED)) checkRange(d, v);
                return d.has(UNSIGNED) ? Long.toUnsignedString(v) : Long.toString(v);
            }
            case PERCENT -> {
                return percent(d, w);
            }
            case OCTAL -> {
                long v;
                try {
                    v = Long.parseLong(w, 8);
                } catch (NumberFormatException e) {
                    throw new ConfigException("argument couldn't be parsed as an octal number");
                }
                checkRange(d, v);
                return Long.toOctalString(v);
            }
            case ENUM -> {
                if (d.has(MULTI_ARG)) return flags(d, words);
                String v = w.toLowerCase(Locale.ROOT);
                if (!d.choices.contains(v)) throw choicesError(d);
                return SYNONYMS.getOrDefault(d.name + " " + v, v);
            }
            case STRING -> {
                return w;
            }
            default -> {
                return d.parser.parse(words, d.value, appending);
            }
        }
    }

    /** An integer as Redis's string2ll reads it: no spaces, no '+', no leading zeros. */
    static long strictLong(String w) {
        byte[] b = w.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            return io.kvasir.protocol.Numbers.parseLong(b, 0, b.length);
        } catch (io.kvasir.protocol.RedisError e) {
            throw new NumberFormatException(w);
        }
    }

    /** Enum words that mean the same as an earlier one, which is the one CONFIG GET shows. */
    private static final Map<String, String> SYNONYMS = Map.of("oom-score-adj relative", "yes");

    private static void checkRange(Directive d, long v) {
        if (v < d.min || v > d.max) {
            throw new ConfigException("argument must be between " + d.min + " and " + d.max + " inclusive");
        }
    }

    /** Redis keeps hz within 1..500 whatever is asked (CONFIG GET shows the clamped value). */
    private static long clamp(Directive d, long v) {
        if (!d.name.equals("hz")) return v;
        return Math.max(1, Math.min(500, v));
    }

    private static ConfigException choicesError(Directive d) {
        return new ConfigException("argument(s) must be one of the following: " + String.join(", ", d.choices));
    }

    /** A memory value, or a percentage of maxmemory written "N%" (maxmemory-clients). */
    private static String percent(Directive d, String w) {
        if (w.endsWith("%")) {
            String num = w.substring(0, w.length() - 1);
            long p;
            try {
                p = strictLong(num);
            } catch (NumberFormatException e) {
                throw new ConfigException("argument must be a memory or percent value");
            }
            if (p < 0) throw new ConfigException("argument must be a memory or percent value");
            if (p > 100) throw new ConfigException("percentage argument must be less or equal to 100");
            return p == 0 ? "0" : p + "%";
        }
        long v;
        try {
            v = Config.parseMemory(w);
        } catch (NumberFormatException e) {
            throw new ConfigException("argument must be a memory or percent value");
        }
        if (v < 0) { // a huge number reads as a negative one: Redis takes it for a percentage
            if (v < -100) throw new ConfigException("percentage argument must be less or equal to 100");
            return -v + "%";
        }
        return Long.toString(v);
    }

    /** An enum that takes several words, combined as flags ("nosave now"); "default" is none. */
    private static String flags(Directive d, List<String> words) {
        if (words.isEmpty()) throw choicesError(d);
        boolean[] set = new boolean[d.choices.size()];
        for (String w : words) {
            int i = d.choices.indexOf(w.toLowerCase(Locale.ROOT));
            if (i < 0) throw choicesError(d);
            set[i] = true;
        }
        if (set[d.choices.indexOf("save")] && set[d.choices.indexOf("nosave")]) {
            throw new ConfigException("shutdown options SAVE and NOSAVE can't be used simultaneously");
        }
        List<String> out = new ArrayList<>();
        for (int i = 1; i < set.length; i++) if (set[i]) out.add(d.choices.get(i));
        return out.isEmpty() ? d.choices.get(0) : String.join(" ", out);
    }

    private static String save(List<String> words, String current, boolean appending) {
        if (words.isEmpty() || (words.size() == 1 && words.get(0).isEmpty())) return "";
        if (words.size() % 2 != 0) throw new ConfigException("Invalid save parameters");
        StringBuilder sb = new StringBuilder(appending ? current : "");
        for (int i = 0; i < words.size(); i += 2) {
            long seconds, changes;
            try {
                seconds = Long.parseLong(words.get(i));
                changes = Long.parseLong(words.get(i + 1));
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid save parameters");
            }
            if (seconds < 1 || changes < 0) throw new ConfigException("Invalid save parameters");
            if (sb.length() > 0) sb.append(' ');
            sb.append(seconds).append(' ').append(changes);
        }
        return sb.toString();
    }

    private static String dir(List<String> words, String current, boolean appending) {
        if (words.size() != 1) throw new ConfigException("wrong number of arguments");
        Path p = Path.of(current).resolve(words.get(0));
        try {
            Path real = p.toRealPath();
            if (!Files.isDirectory(real)) throw new NotDirectoryException(p.toString());
            return real.toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException("No such file or directory");
        } catch (NotDirectoryException e) {
            throw new ConfigException("Not a directory");
        } catch (IOException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String fileName(String name, String value) {
        if (value.indexOf('/') >= 0) throw new ConfigException(name + " can't be a path, just a filename");
        return value;
    }

    private static String bind(List<String> words, String current, boolean appending) {
        if (words.size() > 16) throw new ConfigException("Too many bind addresses specified.");
        List<String> out = new ArrayList<>();
        for (String w : words) if (!w.isEmpty()) out.add(w);
        return String.join(" ", out);
    }

    private static String replicaOf(List<String> words, String current, boolean appending) {
        if (words.size() != 2) throw new ConfigException("wrong number of arguments");
        if (words.get(0).equalsIgnoreCase("no") && words.get(1).equalsIgnoreCase("one")) return "";
        try {
            int port = Integer.parseInt(words.get(1));
            if (port < 0 || port > 65535) throw new NumberFormatException();
            return words.get(0) + " " + port;
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid master port");
        }
    }

    private static String oomScoreAdjValues(List<String> words, String current, boolean appending) {
        if (words.size() != 3) throw new ConfigException("wrong number of arguments");
        List<String> out = new ArrayList<>();
        for (String w : words) {
            int v;
            try {
                v = Integer.parseInt(w);
            } catch (NumberFormatException e) {
                v = Integer.MAX_VALUE;
            }
            if (v < -2000 || v > 2000) {
                throw new ConfigException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            out.add(Integer.toString(v));
        }
        return String.join(" ", out);
    }

    private static String percentiles(List<String> words, String current, boolean appending) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.isEmpty() && words.size() == 1) break;
            double v;
            try {
                if (!w.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) throw new NumberFormatException();
                v = Double.parseDouble(w);
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (v < 0 || v > 100) {
                throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            out.add(formatDouble(v));
        }
        return String.join(" ", out);
    }

    /** A double as Redis prints percentiles: shortest form, no trailing ".0". */
    static String formatDouble(double v) {
        String s = java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return s;
    }

    /** notify-keyspace-events: Redis's canonical letters; the classes in force are the directive's number. */
    private static String notifyEvents(List<String> words, String current, boolean appending) {
        try {
            return io.kvasir.pubsub.Notifications.format(io.kvasir.pubsub.Notifications.parse(words.get(0)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static final List<String> BUFFER_CLASSES = List.of("normal", "slave", "pubsub");

    private static String outputBufferLimit(List<String> words, String current, boolean appending) {
        if (words.size() % 4 != 0) {
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        }
        String[] cur = current.split(" ");
        for (int i = 0; i < words.size(); i += 4) {
            String cls = words.get(i).toLowerCase(Locale.ROOT);
            if (cls.equals("replica")) cls = "slave";
            int idx = BUFFER_CLASSES.indexOf(cls);
            if (idx < 0) throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            long hard, soft, seconds;
            try {
                hard = Config.parseMemory(words.get(i + 1));
                soft = Config.parseMemory(words.get(i + 2));
                seconds = Long.parseLong(words.get(i + 3));
            } catch (NumberFormatException e) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            if (seconds < 0) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            cur[idx * 4 + 1] = Long.toUnsignedString(hard);
            cur[idx * 4 + 2] = Long.toUnsignedString(soft);
            cur[idx * 4 + 3] = Long.toString(seconds);
        }
        return String.join(" ", cur);
    }

    private static final List<String> TITLE_VARIABLES = List.of("title", "listen-addr", "server-mode", "port",
            "tls-port", "unixsocket", "config-file");

    private static String procTitle(List<String> words, String current, boolean appending) {
        String t = words.get(0);
        int i = 0;
        while (i < t.length()) {
            char ch = t.charAt(i);
            if (ch == '}') throw new ConfigException("template format is invalid or contains unknown variables");
            if (ch == '{') {
                int end = t.indexOf('}', i);
                if (end < 0 || !TITLE_VARIABLES.contains(t.substring(i + 1, end))) {
                    throw new ConfigException("template format is invalid or contains unknown variables");
                }
                i = end + 1;
            } else {
                i++;
            }
        }
        return t;
    }

    private static String hostname(List<String> words, String current, boolean appending) {
        String h = words.get(0);
        if (h.length() >= 256) throw new ConfigException("Hostnames must be less than 256 characters");
        for (char ch : h.toCharArray()) {
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '-' && ch != '.') {
                throw new ConfigException("Hostnames may only contain alphanumeric characters, hyphens or dots");
            }
        }
        return h;
    }
}
