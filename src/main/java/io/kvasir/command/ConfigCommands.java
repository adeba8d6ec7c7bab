package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Errors;
import io.kvasir.store.Glob;
import io.kvasir.protocol.RedisError;
import io.kvasir.server.Config;
import io.kvasir.server.ConfigFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** CONFIG GET, SET, RESETSTAT, REWRITE, HELP. */
final class ConfigCommands implements CommandFamily {

    @Override
    public void register(CommandTable t) {
        t.add(command("config", -2).group("server").since("2.0.0")
                .summary("Reads or changes the server configuration.").complexity("Depends on subcommand.")
                .sub(command("config|get", -3).flags("admin noscript loading stale").group("server").since("2.0.0")
                        .summary("Returns the values of the configuration parameters matching glob patterns.")
                        .complexity("O(N) when N is the number of configuration parameters provided")
                        .history("7.0.0", "Added the ability to pass multiple pattern parameters in one call")
                        .handler(this::get))
                .sub(command("config|set", -4).flags("admin noscript loading stale").group("server").since("2.0.0")
                        .summary("Changes one or more configuration parameters at once.")
                        .complexity("O(N) when N is the number of configuration parameters provided")
                        .history("7.0.0", "Added the ability to set multiple parameters in one call.")
                        .tips("request_policy:all_nodes", "response_policy:all_succeeded")
                        .handler(this::set))
                .sub(command("config|resetstat", 2).flags("admin noscript loading stale").group("server")
                        .since("2.0.0").summary("Zeroes the statistics INFO reports.").complexity("O(1)")
                        .handler(this::resetStat))
                .sub(command("config|rewrite", 2).flags("admin noscript loading stale").group("server")
                        .since("2.8.0").summary("Writes the configuration in force back to the config file.")
                        .complexity("O(1)").handler(this::rewrite))
                .sub(command("config|help", 2).flags("loading stale").group("server").since("5.0.0")
                        .summary("Lists the CONFIG subcommands.").complexity("O(1)").handler(this::help)));
    }

    /** Matches each pattern against names and aliases; exact names come back as typed. */
    void get(Call c) {
        Config config = c.server().config();
        // keyed by lower-case name: a name asked twice in any case is answered once, as first typed
        Map<String, String[]> found = new LinkedHashMap<>();
        for (int i = 2; i < c.argc(); i++) {
            String pattern = c.args().str(i);
            if (!hasGlob(pattern)) {
                Config.Directive d = config.directive(pattern);
                if (d != null) found.putIfAbsent(pattern.toLowerCase(Locale.ROOT), new String[] {pattern, d.value()});
                continue;
            }
            byte[] p = c.args().bytes(i);
            for (Config.Directive d : config.all()) {
                if (d.has(Config.HIDDEN)) continue;
                if (matches(p, d.name())) found.putIfAbsent(d.name(), new String[] {d.name(), d.value()});
                for (String alias : d.aliases()) {
                    if (matches(p, alias)) found.putIfAbsent(alias, new String[] {alias, d.value()});
                }
            }
        }
        c.reply().map(found.size());
        for (String[] kv : found.values()) {
            c.reply().bulk(kv[0]);
            c.reply().bulk(kv[1]);
        }
    }

    private static boolean matches(byte[] pattern, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        return Glob.match(pattern, 0, pattern.length, n, 0, n.length, true);
    }

    private static boolean hasGlob(String p) {
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            if (ch == '*' || ch == '?' || ch == '[') return true;
        }
        return false;
    }

    void set(Call c) {
        if ((c.argc() & 1) != 0) throw Errors.SYNTAX;
        List<String> pairs = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) pairs.add(c.args().str(i));
        Config config = c.server().config();
        for (int i = 0; i < pairs.size(); i += 2) {
            Config.Directive d = config.directive(pairs.get(i));
            if (d != null && d.has(Config.SENSITIVE)) c.redact(i + 3);
        }
        try {
            config.configSet(pairs);
        } catch (Config.ConfigSetException e) {
            throw new RedisError("ERR CONFIG SET failed (possibly related to argument '" + e.argument() + "') - "
                    + e.getMessage());
        } catch (Config.ConfigException e) {
            throw new RedisError("ERR " + e.getMessage());
        }
        c.reply().ok();
    }

    void resetStat(Call c) {
        c.server().stats().reset();
        for (CommandSpec spec : c.server().commands().all()) {
            spec.stats().reset();
            for (CommandSpec sub : spec.subcommands().values()) sub.stats().reset();
        }
        c.reply().ok();
    }

    void rewrite(Call c) {
        Config config = c.server().config();
        if (config.file() == null) throw new RedisError("ERR The server is running without a config file");
        try {
            ConfigFile.rewrite(config);
        } catch (IOException e) {
            throw new RedisError("ERR Rewriting config file: " + e.getMessage());
        }
        c.reply().ok();
    }

    void help(Call c) {
        Help.reply(c,
                "GET <pattern>",
                "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>",
                "    Set the configuration <directive> to <value>.",
                "RESETSTAT",
                "    Reset statistics reported by the INFO command.",
                "REWRITE",
                "    Rewrite the configuration file.");
    }
}
