package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.server.Info;
import io.kvasir.server.Kvasir;
import io.kvasir.server.SlowLog;
import io.kvasir.store.Entry;
import io.kvasir.store.StoredValue;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INFO, TIME, LASTSAVE, SHUTDOWN, SLOWLOG, MEMORY, DEBUG: the server family (CONFIG is in ConfigCommands). */
final class ServerCommands implements CommandFamily {
    private static final Logger log = LoggerFactory.getLogger(ServerCommands.class);

    @Override
    public void register(CommandTable t) {
        t.add(command("info", -1).flags("loading stale").acl("@dangerous").group("server").since("1.0.0")
                .summary("Reports information and statistics about the server.").complexity("O(1)")
                .history("7.0.0", "Added support for taking multiple section arguments.")
                .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                .handler(this::info));
        t.add(command("time", 1).flags("loading stale fast").group("server").since("2.6.0")
                .summary("Returns the server's current time.").complexity("O(1)")
                .tips("nondeterministic_output").handler(this::time));
        t.add(command("lastsave", 1).flags("loading stale fast").acl("@admin @dangerous").group("server")
                .since("1.0.0").summary("Returns the Unix time of the last successful save to disk.")
                .complexity("O(1)").tips("nondeterministic_output").handler(this::lastSave));
        t.add(command("shutdown", -1).flags("admin noscript loading stale no_multi allow_busy").group("server")
                .since("1.0.0").summary("Stops the server, optionally saving the dataset first.")
                .complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)")
                .history("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")
                .handler(this::shutdown));
        t.add(command("slowlog", -2).group("server").since("2.2.12")
                .summary("Reads or clears the log of slow commands.").complexity("Depends on subcommand.")
                .sub(command("slowlog|get", -2).flags("admin loading stale").group("server").since("2.2.12")
                        .summary("Returns the newest entries of the slow log.")
                        .complexity("O(N) where N is the number of entries returned")
                        .history("4.0.0", "Added client IP address, port and name to the reply.")
                        .tips("request_policy:all_nodes", "nondeterministic_output").handler(this::slowlogGet))
                .sub(command("slowlog|len", 2).flags("admin loading stale").group("server").since("2.2.12")
                        .summary("Returns the number of entries in the slow log.").complexity("O(1)")
                        .tips("request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output")
                        .handler(this::slowlogLen))
                .sub(command("slowlog|reset", 2).flags("admin loading stale").group("server").since("2.2.12")
                        .summary("Empties the slow log.")
                        .complexity("O(N) where N is the number of entries in the slowlog")
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded").handler(this::slowlogReset))
                .sub(command("slowlog|help", 2).flags("loading stale").group("server").since("6.2.0")
                        .summary("Lists the SLOWLOG subcommands.").complexity("O(1)").handler(this::slowlogHelp)));
        t.add(command("memory", -2).group("server").since("4.0.0")
                .summary("Reports on the server's memory use.").complexity("Depends on subcommand.")
                .sub(command("memory|usage", -3).flags("readonly").keys(2, 2, 1).keyFlags("RO").group("server").since("4.0.0")
                        .summary("Estimates the bytes a key and its value take.")
                        .complexity("O(N) where N is the number of samples.").handler(this::memoryUsage))
                .sub(command("memory|malloc-stats", 2).group("server").since("4.0.0")
                        .summary("Reports the memory allocator's own statistics.")
                        .complexity("Depends on how much memory is allocated, could be slow")
                        .tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special")
                        .handler(this::mallocStats))
                .sub(command("memory|purge", 2).group("server").since("4.0.0")
                        .summary("Asks the allocator to give free memory back.")
                        .complexity("Depends on how much memory is allocated, could be slow")
                        .tips("request_policy:all_shards", "response_policy:all_succeeded").handler(this::purge))
                .sub(command("memory|help", 2).flags("loading stale").group("server").since("4.0.0")
                        .summary("Lists the MEMORY subcommands.").complexity("O(1)").handler(this::memoryHelp)));
        t.add(command("debug", -2).flags("admin noscript loading stale").group("server").since("1.0.0")
                .summary("Debugging and testing aids.").complexity("Depends on subcommand.").syscmd()
                .handler(this::debug));
    }

    // ---- INFO, TIME, LASTSAVE ----

    void info(Call c) {
        List<String> sections = new ArrayList<>();
        for (int i = 1; i < c.argc(); i++) sections.add(c.args().str(i));
        c.reply().verbatim(Info.render(c.server(), sections));
    }

    void time(Call c) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        c.reply().array(2);
        c.reply().bulk(micros / 1_000_000);
        c.reply().bulk(micros % 1_000_000);
    }

    void lastSave(Call c) {
        c.reply().integer(c.server().lastSaveSeconds());
    }

    // ---- SHUTDOWN ----

    /**
     * Stops the server; the client gets no reply, only the closed connection, as from Redis.
     * Kvasir cannot save yet: an explicit SAVE fails as Redis fails when the save fails, unless
     * FORCE says to stop anyway.
     */
    void shutdown(Call c) {
        boolean save = false, nosave = false, now = false, force = false, abort = false;
        for (int i = 1; i < c.argc(); i++) {
            if (c.args().is(i, "nosave")) nosave = true;
            else if (c.args().is(i, "save")) save = true;
            else if (c.args().is(i, "now")) now = true;
            else if (c.args().is(i, "force")) force = true;
            else if (c.args().is(i, "abort")) abort = true;
            else throw Errors.SYNTAX;
        }
        if ((abort && c.argc() != 2) || (save && nosave)) throw Errors.SYNTAX;
        if (abort) throw new RedisError("ERR No shutdown in progress.");
        if (save && !force) {
            log.warn("Error trying to save the DB, can't exit: Kvasir has no persistence yet.");
            throw new RedisError("ERR Errors trying to SHUTDOWN. Check logs.");
        }
        Kvasir server = c.server();
        boolean wouldSave = save || (!nosave && !server.config().get("save").isEmpty());
        c.client().closing(true);
        c.client().replyOff(true);
        // close() waits for the event loops to stop, which this thread is one of: do it from another
        Thread t = new Thread(() -> server.shutdown(wouldSave), "kvasir-shutdown");
        t.start();
    }

    // ---- SLOWLOG ----

    void slowlogGet(Call c) {
        if (c.argc() > 3) throw unknownSubcommand(c, "SLOWLOG");
        long count = 10;
        if (c.argc() == 3) {
            try {
                count = c.args().longValue(2);
            } catch (RedisError e) {
                count = -2;
            }
            if (count < -1) throw new RedisError("ERR count should be greater than or equal to -1");
        }
        List<SlowLog.Entry> entries = c.server().slowLog().newest(count);
        c.reply().array(entries.size());
        for (SlowLog.Entry e : entries) {
            c.reply().array(6);
            c.reply().integer(e.id());
            c.reply().integer(e.timeSeconds());
            c.reply().integer(e.micros());
            c.reply().array(e.args().size());
            for (byte[] a : e.args()) c.reply().bulk(a);
            c.reply().bulk(e.addr());
            c.reply().bulk(e.name());
        }
    }

    void slowlogLen(Call c) {
        c.reply().integer(c.server().slowLog().size());
    }

    void slowlogReset(Call c) {
        c.server().slowLog().reset();
        c.reply().ok();
    }

    void slowlogHelp(Call c) {
        Help.reply(c,
                "GET [<count>]",
                "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:",
                "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name",
                "LEN",
                "    Return the length of the slowlog.",
                "RESET",
                "    Reset the slowlog.");
    }

    private static RedisError unknownSubcommand(Call c, String command) {
        return new RedisError("ERR unknown subcommand or wrong number of arguments for '" + c.args().str(1)
                + "'. Try " + command + " HELP.");
    }

    // ---- MEMORY ----

    /** Options first (SAMPLES n, n >= 0), then the key; nil when the key does not exist. */
    void memoryUsage(Call c) {
        for (int i = 3; i < c.argc(); i++) {
            if (c.args().is(i, "samples") && i + 1 < c.argc()) {
                if (c.args().longValue(++i) < 0) throw Errors.SYNTAX;
            } else {
                throw Errors.SYNTAX;
            }
        }
        Entry e = c.find(2);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(usage(e));
    }

    /**
     * What a key costs in Kvasir: its share of its table's index (8 bytes a slot, capacity / size
     * slots a key), its packed entry, and for a collection what the collection counts. Collections
     * count every element, so SAMPLES (validated as Redis does) does not change the answer.
     */
    static long usage(Entry e) {
        Table t = e.table();
        long bytes = 8L * t.capacity() / Math.max(1, t.size()) + t.entryBytes(e.slot());
        if (e.type() != ValueType.STRING) bytes += e.value().memoryUsage();
        return bytes;
    }

    void mallocStats(Call c) {
        c.reply().bulk("Stats not supported for the current allocator");
    }

    void purge(Call c) {
        c.reply().ok();
    }

    void memoryHelp(Call c) {
        Help.reply(c,
                "DOCTOR",
                "    Return memory problems reports.",
                "MALLOC-STATS",
                "    Return internal statistics report from the memory allocator.",
                "PURGE",
                "    Attempt to purge dirty pages for reclamation by the allocator.",
                "STATS",
                "    Return information about the memory usage of the server.",
                "USAGE <key> [SAMPLES <count>]",
                "    Return memory in bytes used by <key> and its value. Nested values are",
                "    sampled up to <count> times (default: 5, 0 means sample all).");
    }

    // ---- DEBUG ----

    void debug(Call c) {
        checkDebugAllowed(c);
        if (c.args().is(1, "sleep") && c.argc() == 3) {
            debugSleep(c);
        } else if (c.args().is(1, "set-active-expire") && c.argc() == 3) {
            c.server().activeExpire(atof(c.args().str(2)) != 0); // a number as C's atoi reads it: 0 for no digits
            c.reply().ok();
        } else if (c.args().is(1, "help") && c.argc() == 2) {
            Help.reply(c,
                    "SET-ACTIVE-EXPIRE <0|1>",
                    "    0 stops deleting keys past their deadline in the background (they still expire",
                    "    when looked up); 1, the default, starts it again.",
                    "SLEEP <seconds>",
                    "    Stop the server for <seconds>. Decimals allowed.");
        } else {
            throw unknownSubcommand(c, "DEBUG");
        }
    }

    /** enable-debug-command: "yes", or "local" for connections from the loopback interface. */
    private static void checkDebugAllowed(Call c) {
        String mode = c.server().config().get("enable-debug-command");
        if (mode.equals("yes") || (mode.equals("local") && isLocal(c.client().addr()))) return;
        throw new RedisError("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
                + "you can run it from a local connection, otherwise you need to set this option in the configuration "
                + "file, and then restart the server.");
    }

    private static boolean isLocal(String addr) {
        int colon = addr.lastIndexOf(':');
        try {
            return InetAddress.getByName(colon < 0 ? addr : addr.substring(0, colon)).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /** Blocks this connection's thread, as Redis blocks its server; the value is read as C's atof does. */
    private void debugSleep(Call c) {
        double seconds = atof(c.args().str(2));
        long micros = (long) (seconds * 1_000_000);
        if (micros > 0) {
            try {
                Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        c.reply().ok();
    }

    /** The longest number prefix of {@code s} (after blanks), 0 when there is none. */
    static double atof(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^\\s*([-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?)").matcher(s.toLowerCase(Locale.ROOT));
        if (!m.find()) return 0;
        return Double.parseDouble(m.group(1));
    }
}
