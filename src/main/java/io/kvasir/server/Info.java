package io.kvasir.server;

import io.kvasir.command.CommandSpec;
import io.kvasir.command.CommandStats;
import io.kvasir.store.Clock;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Table;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The text of INFO: Redis 7.0's sections, field names and order, with Kvasir's real values.
 * Fields of features Kvasir does not have yet (replication, persistence, modules) report the
 * idle state Redis reports when they are unused.
 */
public final class Info {
    /** Section names in INFO order; "default" omits commandstats and latencystats. */
    static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats", "replication",
            "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");
    static final Set<String> NOT_DEFAULT = Set.of("commandstats", "latencystats");

    private final Kvasir server;
    private final StringBuilder out = new StringBuilder();

    private Info(Kvasir server) {
        this.server = server;
    }

    /** INFO with the given section arguments (none = default), as one string with CRLF lines. */
    public static String render(Kvasir server, List<String> args) {
        Set<String> wanted = new LinkedHashSet<>();
        if (args.isEmpty()) args = List.of("default");
        for (String a : args) {
            String s = a.toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> ALL.stream().filter(x -> !NOT_DEFAULT.contains(x)).forEach(wanted::add);
                case "all", "everything" -> wanted.addAll(ALL);
                default -> wanted.add(s);
            }
        }
        Info info = new Info(server);
        for (String section : ALL) if (wanted.contains(section)) info.section(section);
        return info.out.toString();
    }

    private void section(String name) {
        if (!out.isEmpty()) out.append("\r\n");
        out.append("# ").append(switch (name) {
            case "cpu" -> "CPU";
            default -> Character.toUpperCase(name.charAt(0)) + name.substring(1);
        }).append("\r\n");
        switch (name) {
            case "server" -> server();
            case "clients" -> clients();
            case "memory" -> memory();
            case "persistence" -> persistence();
            case "stats" -> stats();
            case "replication" -> replication();
            case "cpu" -> cpu();
            case "commandstats" -> commandStats();
            case "errorstats" -> errorStats();
            case "cluster" -> field("cluster_enabled", 0);
            case "keyspace" -> keyspace();
            default -> { } // modules, latencystats: nothing to report
        }
    }

    private void field(String name, Object value) {
        out.append(name).append(':').append(value).append("\r\n");
    }

    // ---- sections ----

    private void server() {
        Config c = server.config();
        long nowMs = System.currentTimeMillis();
        long uptime = (nowMs - server.startMs()) / 1000;
        field("redis_version", Kvasir.REDIS_VERSION);
        field("kvasir_version", Main.VERSION);
        field("redis_git_sha1", "00000000");
        field("redis_git_dirty", 0);
        field("redis_build_id", "0");
        field("redis_mode", "standalone");
        field("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + arch());
        field("arch_bits", 64);
        field("monotonic_clock", "POSIX clock_gettime");
        field("multiplexing_api", server.net().nativeTransport() ? "epoll" : "nio");
        field("atomicvar_api", "java");
        field("gcc_version", "0.0.0");
        field("java_version", Runtime.version());
        field("process_id", ProcessHandle.current().pid());
        field("process_supervised", "no");
        field("run_id", server.runId());
        field("tcp_port", server.port());
        field("server_time_usec", nowMs * 1000 + (System.nanoTime() / 1000) % 1000);
        field("uptime_in_seconds", uptime);
        field("uptime_in_days", uptime / 86400);
        field("hz", c.getInt("hz"));
        field("configured_hz", c.getInt("hz"));
        field("lru_clock", Clock.lruClock());
        field("executable", ProcessHandle.current().info().command().orElse(""));
        field("config_file", c.file() == null ? "" : c.file().toString());
        field("io_threads_active", 0);
    }

    private static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") ? "x86_64" : a;
    }

    private void clients() {
        long maxIn = 0, maxOut = 0;
        for (Client cl : server.clients().values()) {
            maxIn = Math.max(maxIn, cl.channel().inputBuffered());
            maxOut = Math.max(maxOut, cl.channel().outputBuffered());
        }
        field("connected_clients", server.clients().size());
        field("cluster_connections", 0);
        field("maxclients", server.config().getLong("maxclients"));
        field("client_recent_max_input_buffer", maxIn);
        field("client_recent_max_output_buffer", maxOut);
        field("blocked_clients", server.blocking().blockedClients());
        field("tracking_clients", server.tracking().clients());
        field("clients_in_timeout_table", 0);
    }

    /** Bytes in use on the JVM heap: what Kvasir reports as used_memory. */
    public static long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Resident set size of the process, from /proc (0 where there is none). */
    static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void memory() {
        Config c = server.config();
        long used = usedMemory();
        long rss = rss();
        long peak = server.stats().peakMemory(used);
        long committed = Runtime.getRuntime().totalMemory();
        long startup = server.startupMemory();
        long overhead = startup;
        long dataset = Math.max(0, used - overhead);
        long total = totalSystemMemory();
        long maxmemory = c.getLong("maxmemory");
        field("used_memory", used);
        field("used_memory_human", human(used));
        field("used_memory_rss", rss);
        field("used_memory_rss_human", human(rss));
        field("used_memory_peak", peak);
        field("used_memory_peak_human", human(peak));
        field("used_memory_peak_perc", pct(used, peak));
        field("used_memory_overhead", overhead);
        field("used_memory_startup", startup);
        field("used_memory_dataset", dataset);
        field("used_memory_dataset_perc", pct(dataset, Math.max(1, used - startup)));
        field("allocator_allocated", used);
        field("allocator_active", committed);
        field("allocator_resident", rss);
        field("total_system_memory", total);
        field("total_system_memory_human", human(total));
        for (String f : List.of("used_memory_lua", "used_memory_vm_eval")) field(f, 0);
        field("used_memory_lua_human", human(0));
        for (String f : List.of("used_memory_scripts_eval", "number_of_cached_scripts", "number_of_functions",
                "number_of_libraries", "used_memory_vm_functions", "used_memory_vm_total")) {
            field(f, 0);
        }
        field("used_memory_vm_total_human", human(0));
        field("used_memory_functions", 0);
        field("used_memory_scripts", 0);
        field("used_memory_scripts_human", human(0));
        field("maxmemory", Long.toUnsignedString(maxmemory));
        field("maxmemory_human", human(maxmemory));
        field("maxmemory_policy", c.get("maxmemory-policy"));
        field("allocator_frag_ratio", ratio(committed, used));
        field("allocator_frag_bytes", committed - used);
        field("allocator_rss_ratio", ratio(rss, committed));
        field("allocator_rss_bytes", rss - committed);
        field("rss_overhead_ratio", ratio(rss, rss));
        field("rss_overhead_bytes", 0);
        field("mem_fragmentation_ratio", ratio(rss, used));
        field("mem_fragmentation_bytes", rss - used);
        for (String f : List.of("mem_not_counted_for_evict", "mem_replication_backlog", "mem_total_replication_buffers",
                "mem_clients_slaves", "mem_clients_normal", "mem_cluster_links", "mem_aof_buffer")) {
            field(f, 0);
        }
        field("mem_allocator", "jvm");
        field("active_defrag_running", 0);
        field("lazyfree_pending_objects", 0);
        field("lazyfreed_objects", 0);
    }

    private static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }

    /** Bytes as Redis's bytesToHuman prints them: "512B", "1.77M". */
    static String human(long n) {
        double d = n;
        if (n < 0) return Long.toUnsignedString(n) + "B";
        if (n < 1024) return n + "B";
        String[] units = {"K", "M", "G", "T", "P", "E"};
        int u = -1;
        while (d >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", d, units[u]);
    }

    private static String pct(long a, long b) {
        return String.format(Locale.ROOT, "%.2f%%", b == 0 ? 0.0 : a * 100.0 / b);
    }

    private static String ratio(long a, long b) {
        return String.format(Locale.ROOT, "%.2f", b == 0 ? 0.0 : (double) a / b);
    }

    private void persistence() {
        field("loading", 0);
        field("async_loading", 0);
        field("current_cow_peak", 0);
        field("current_cow_size", 0);
        field("current_cow_size_age", 0);
        field("current_fork_perc", "0.00");
        field("current_save_keys_processed", 0);
        field("current_save_keys_total", 0);
        field("rdb_changes_since_last_save", server.stats().dirty.sum());
        field("rdb_bgsave_in_progress", 0);
        field("rdb_last_save_time", server.lastSaveSeconds());
        field("rdb_last_bgsave_status", "ok");
        field("rdb_last_bgsave_time_sec", -1);
        field("rdb_current_bgsave_time_sec", -1);
        field("rdb_saves", 0);
        field("rdb_last_cow_size", 0);
        field("rdb_last_load_keys_expired", 0);
        field("rdb_last_load_keys_loaded", 0);
        field("aof_enabled", 0);
        field("aof_rewrite_in_progress", 0);
        field("aof_rewrite_scheduled", 0);
        field("aof_last_rewrite_time_sec", -1);
        field("aof_current_rewrite_time_sec", -1);
        field("aof_last_bgrewrite_status", "ok");
        field("aof_rewrites", 0);
        field("aof_rewrites_consecutive_failures", 0);
        field("aof_last_write_status", "ok");
        field("aof_last_cow_size", 0);
        field("module_fork_in_progress", 0);
        field("module_fork_last_cow_size", 0);
    }

    private void stats() {
        Stats s = server.stats();
        field("total_connections_received", s.connectionsReceived.sum());
        field("total_commands_processed", s.commandsProcessed.sum());
        field("instantaneous_ops_per_sec", s.opsPerSec());
        field("total_net_input_bytes", s.netInputBytes.sum());
        field("total_net_output_bytes", s.netOutputBytes.sum());
        field("total_net_repl_input_bytes", 0);
        field("total_net_repl_output_bytes", 0);
        field("instantaneous_input_kbps", String.format(Locale.ROOT, "%.2f", s.inputKbps()));
        field("instantaneous_output_kbps", String.format(Locale.ROOT, "%.2f", s.outputKbps()));
        field("instantaneous_input_repl_kbps", "0.00");
        field("instantaneous_output_repl_kbps", "0.00");
        field("rejected_connections", s.connectionsRejected.sum());
        field("sync_full", 0);
        field("sync_partial_ok", 0);
        field("sync_partial_err", 0);
        field("expired_keys", s.expiredKeys.sum());
        field("expired_stale_perc", "0.00");
        field("expired_time_cap_reached_count", 0);
        field("expire_cycle_cpu_milliseconds", s.expireCycleMillis.sum());
        field("evicted_keys", s.evictedKeys.sum());
        field("evicted_clients", 0);
        field("total_eviction_exceeded_time", 0);
        field("current_eviction_exceeded_time", 0);
        field("keyspace_hits", s.keyspaceHits.sum());
        field("keyspace_misses", s.keyspaceMisses.sum());
        field("pubsub_channels", server.pubsub().channelCount());
        field("pubsub_patterns", server.pubsub().patternCount());
        field("pubsubshard_channels", server.pubsub().shardChannelCount());
        for (String f : List.of("latest_fork_usec",
                "total_forks", "migrate_cached_sockets", "slave_expires_tracked_keys", "active_defrag_hits",
                "active_defrag_misses", "active_defrag_key_hits", "active_defrag_key_misses",
                "total_active_defrag_time", "current_active_defrag_time")) {
            field(f, 0);
        }
        field("tracking_total_keys", server.tracking().keys());
        field("tracking_total_items", server.tracking().items());
        field("tracking_total_prefixes", server.tracking().prefixCount());
        field("unexpected_error_replies", s.unexpectedErrorReplies.sum());
        field("total_error_replies", s.totalErrorReplies.sum());
        field("dump_payload_sanitizations", 0);
        field("total_reads_processed", s.readsProcessed.sum());
        field("total_writes_processed", s.writesProcessed.sum());
        field("io_threaded_reads_processed", 0);
        field("io_threaded_writes_processed", 0);
        field("reply_buffer_shrinks", 0);
        field("reply_buffer_expands", 0);
    }

    private void replication() {
        field("role", "master");
        field("connected_slaves", 0);
        field("master_failover_state", "no-failover");
        field("master_replid", server.replId());
        field("master_replid2", "0".repeat(40));
        field("master_repl_offset", 0);
        field("second_repl_offset", -1);
        field("repl_backlog_active", 0);
        field("repl_backlog_size", server.config().getLong("repl-backlog-size"));
        field("repl_backlog_first_byte_offset", 0);
        field("repl_backlog_histlen", 0);
    }

    private void cpu() {
        long[] t = cpuTimes();
        String sys = seconds(t[1]), user = seconds(t[0]);
        field("used_cpu_sys", sys);
        field("used_cpu_user", user);
        field("used_cpu_sys_children", "0.000000");
        field("used_cpu_user_children", "0.000000");
        field("used_cpu_sys_main_thread", sys);
        field("used_cpu_user_main_thread", user);
    }

    /** User and system CPU time of the process in microseconds, from /proc/self/stat. */
    private static long[] cpuTimes() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticksToMicros = 10_000; // USER_HZ is 100 on Linux
            return new long[] {Long.parseLong(f[11]) * ticksToMicros, Long.parseLong(f[12]) * ticksToMicros};
        } catch (IOException | RuntimeException e) {
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1000;
            return new long[] {cpu, 0};
        }
    }

    private static String seconds(long micros) {
        return String.format(Locale.ROOT, "%d.%06d", micros / 1_000_000, micros % 1_000_000);
    }

    private void commandStats() {
        for (CommandSpec spec : server.commands().all()) {
            statLine(spec);
            for (CommandSpec sub : spec.subcommands().values()) statLine(sub);
        }
    }

    private void statLine(CommandSpec spec) {
        CommandStats s = spec.stats();
        long calls = s.calls.sum(), usec = s.usec.sum(), rejected = s.rejectedCalls.sum(), failed = s.failedCalls.sum();
        if (calls == 0 && rejected == 0 && failed == 0) return;
        field("cmdstat_" + spec.fullName(), "calls=" + calls + ",usec=" + usec + ",usec_per_call="
                + String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls)
                + ",rejected_calls=" + rejected + ",failed_calls=" + failed);
    }

    private void errorStats() {
        Map<String, LongAdder> sorted = new TreeMap<>(server.stats().errors());
        sorted.forEach((code, n) -> field("errorstat_" + code, "count=" + n.sum()));
    }

    private void keyspace() {
        Keyspace ks = server.keyspace();
        for (int db = 0; db < ks.databases(); db++) {
            long keys = 0, expires = 0;
            for (int i = 0; i < Keyspace.STRIPES; i++) {
                Table t = ks.stripe(i).table(db);
                if (t == null) continue;
                keys += t.size();
                expires += t.expiring();
            }
            if (keys == 0) continue;
            field("db" + db, "keys=" + keys + ",expires=" + expires + ",avg_ttl=" + (expires == 0 ? 0 : server.avgTtl[db]));
        }
    }

}
