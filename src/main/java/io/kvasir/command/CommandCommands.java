package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.store.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * COMMAND and its subcommands: everything they report is read from the command table (specs, key
 * specs) and from the argument grammar in {@code arguments.txt}, so a command Kvasir does not
 * implement is simply absent.
 */
final class CommandCommands implements CommandFamily {
    /** Every command's argument grammar, parsed once. */
    private static final Map<String, List<Argument>> ARGUMENTS = ArgumentGrammar.load();

    private CommandTable table;

    @Override
    public void register(CommandTable t) {
        this.table = t;
        t.add(command("command", -1).flags("loading stale").acl("@connection").group("server").since("2.8.13")
                .summary("Describes every command: arity, flags, keys, ACL categories, subcommands.")
                .complexity("O(N) where N is the total number of Redis commands")
                .tips("nondeterministic_output_order").handler(this::all)
                .sub(command("command|count", 2).flags("loading stale").acl("@connection").group("server")
                        .since("2.8.13").summary("Counts the commands this server knows.").complexity("O(1)")
                        .handler(this::count))
                .sub(command("command|docs", -2).flags("loading stale").acl("@connection").group("server")
                        .since("7.0.0").summary("Documents the given commands, or every command: summary, arguments, history.")
                        .complexity("O(N) where N is the number of commands to look up")
                        .tips("nondeterministic_output_order").handler(this::docs))
                .sub(command("command|getkeys", -4).flags("loading stale").acl("@connection").group("server")
                        .since("2.8.13").summary("Lists the keys a full command line would touch.")
                        .complexity("O(N) where N is the number of arguments to the command")
                        .handler(c -> getKeys(c, false)))
                .sub(command("command|getkeysandflags", -4).flags("loading stale").acl("@connection")
                        .group("server").since("7.0.0")
                        .summary("Lists the keys a full command line would touch, with how it uses each one.")
                        .complexity("O(N) where N is the number of arguments to the command")
                        .handler(c -> getKeys(c, true)))
                .sub(command("command|help", 2).flags("loading stale").acl("@connection").group("server")
                        .since("5.0.0").summary("Explains the COMMAND subcommands.").complexity("O(1)")
                        .handler(this::help))
                .sub(command("command|info", -2).flags("loading stale").acl("@connection").group("server")
                        .since("2.8.13").summary("Describes the given commands, or every command.")
                        .complexity("O(N) where N is the number of commands to look up")
                        .history("7.0.0", "Allowed to be called with no argument to get info on all commands.")
                        .tips("nondeterministic_output_order").handler(this::info))
                .sub(command("command|list", -2).flags("loading stale").acl("@connection").group("server")
                        .since("7.0.0").summary("Names the commands, all of them or those matching a filter.")
                        .complexity("O(N) where N is the total number of Redis commands")
                        .tips("nondeterministic_output_order").handler(this::list)));
    }

    // ---- handlers ----

    void all(Call c) {
        c.reply().array(table.size());
        for (CommandSpec s : table.all()) replyInfo(c.reply(), s);
    }

    void count(Call c) {
        c.reply().integer(table.size());
    }

    void info(Call c) {
        if (c.argc() == 2) {
            all(c);
            return;
        }
        c.reply().array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec s = byFullName(c.args().str(i));
            if (s == null) c.reply().nullBulk();
            else replyInfo(c.reply(), s);
        }
    }

    void docs(Call c) {
        List<CommandSpec> found = new ArrayList<>();
        if (c.argc() == 2) found.addAll(table.all());
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec s = byFullName(c.args().str(i));
            if (s != null) found.add(s);
        }
        c.reply().map(found.size());
        for (CommandSpec s : found) {
            c.reply().bulk(s.name());
            replyDocs(c.reply(), s);
        }
    }

    void list(Call c) {
        Args a = c.args();
        List<String> names = new ArrayList<>();
        if (c.argc() == 2) {
            for (CommandSpec s : table.all()) {
                names.add(s.name());
                for (CommandSpec sub : s.subcommands().values()) names.add(sub.name());
            }
        } else if (c.argc() == 5 && a.is(2, "FILTERBY")) {
            if (a.is(3, "MODULE")) {
                // Kvasir loads no modules: no command belongs to one.
            } else if (a.is(3, "ACLCAT")) {
                String category = "@" + a.str(4).toLowerCase(Locale.ROOT);
                filter(names, s -> s.aclCategoriesWithImplied().contains(category));
            } else if (a.is(3, "PATTERN")) {
                byte[] pattern = a.bytes(4);
                filter(names, s -> {
                    byte[] name = s.name().getBytes(StandardCharsets.UTF_8);
                    return Glob.match(pattern, 0, pattern.length, name, 0, name.length, true);
                });
            } else {
                throw Errors.SYNTAX;
            }
        } else {
            throw Errors.SYNTAX;
        }
        c.reply().array(names.size());
        for (String n : names) c.reply().bulk(n);
    }

    private void filter(List<String> out, Predicate<CommandSpec> p) {
        for (CommandSpec s : table.all()) {
            if (p.test(s)) out.add(s.name());
            for (CommandSpec sub : s.subcommands().values()) if (p.test(sub)) out.add(sub.name());
        }
    }

    /** GETKEYS and GETKEYSANDFLAGS: the keys of the command line given after the subcommand. */
    void getKeys(Call c, boolean withFlags) {
        Args a = c.args();
        byte[][] parts = new byte[a.count() - 2][];
        for (int i = 2; i < a.count(); i++) parts[i - 2] = a.bytes(i);
        Args line = Args.of(parts);
        CommandSpec s = table.lookup(line, 0);
        if (s != null && !s.subcommands().isEmpty() && line.count() > 1) s = s.subcommands().get(line.lower(1));
        if (s == null) throw new RedisError("ERR Invalid command specified");
        if (!hasKeys(s)) throw new RedisError("ERR The command has no key arguments");
        if (!s.arityOk(line.count())) throw new RedisError("ERR Invalid number of arguments specified for command");
        List<int[]> keys = findKeys(s, line);
        if (keys.isEmpty()) {
            if (s.has(CommandSpec.NO_MANDATORY_KEYS)) {
                c.reply().array(0);
                return;
            }
            throw new RedisError("ERR Invalid arguments specified for command");
        }
        Reply r = c.reply();
        r.array(keys.size());
        for (int[] k : keys) {
            if (withFlags) r.array(2);
            r.bulk(line, k[0]);
            if (withFlags) KeySpec.replyFlags(r, k[1]);
        }
    }

    void help(Call c) {
        Help.reply(c,
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }

    // ---- lookups ----

    /** A command by the name COMMAND INFO and DOCS accept: "get", or "container|sub". */
    private CommandSpec byFullName(String name) {
        String[] parts = name.split("\\|", -1);
        CommandSpec s = table.get(parts[0]);
        if (s == null || parts.length == 1) return s;
        if (parts.length > 2) return null;
        return s.subcommands().get(parts[1].toLowerCase(Locale.ROOT));
    }

    /** True when some key spec names real keys, or code finds them. */
    /** Redis 7.0 does not list may_replicate in COMMAND INFO, though commands such as PUBLISH have it. */
    private static boolean listed(CommandSpec s, int flag) {
        return flag != CommandSpec.MAY_REPLICATE && s.has(flag);
    }

    private static boolean hasKeys(CommandSpec s) {
        if (s.keyFinder() != null) return true;
        for (KeySpec k : s.keySpecs()) if ((k.flags() & KeySpec.NOT_KEY) == 0) return true;
        return false;
    }

    /**
     * The keys of {@code line} as {position, flags} pairs: from the key specs, or, when a spec does not fit
     * the line, from the command's key finder (its keys carry the flags it gives, else the first spec's).
     */
    static List<int[]> findKeys(CommandSpec s, Args line) {
        List<int[]> keys = new ArrayList<>();
        boolean fits = true;
        for (KeySpec k : s.keySpecs()) {
            if ((k.flags() & KeySpec.NOT_KEY) != 0) continue;
            if (!k.findKeys(line, (pos, flags) -> keys.add(new int[] {pos, flags}))) {
                fits = false;
                break;
            }
        }
        if (fits) return keys;
        keys.clear();
        if (s.keyFinder() != null) {
            int[] pos = new int[line.count()];
            int n = s.keyFinder().find(line, pos);
            int flags = s.keySpecs().isEmpty() ? 0 : s.keySpecs().getFirst().flags();
            for (int i = 0; i < n; i++) {
                int own = s.keyFinder().flags(i);
                keys.add(new int[] {pos[i], own >= 0 ? own : flags});
            }
        }
        return keys;
    }

    // ---- replies ----

    /** One command as COMMAND INFO describes it. */
    static void replyInfo(Reply r, CommandSpec s) {
        r.array(10);
        r.bulk(s.name());
        r.integer(s.arity());
        int n = 0;
        for (Map.Entry<Integer, String> f : CommandSpec.FLAG_NAMES) if (listed(s, f.getKey())) n++;
        r.set(n);
        for (Map.Entry<Integer, String> f : CommandSpec.FLAG_NAMES) if (listed(s, f.getKey())) r.simple(f.getValue());
        r.integer(s.firstKey());
        r.integer(s.lastKey());
        r.integer(s.keyStep());
        List<String> categories = s.aclCategoriesWithImplied();
        r.set(categories.size());
        for (String cat : categories) r.simple(cat);
        r.set(s.tips().size());
        for (String tip : s.tips()) r.bulk(tip);
        r.set(s.keySpecs().size());
        for (KeySpec k : s.keySpecs()) k.reply(r);
        if (s.subcommands().isEmpty()) {
            r.set(0);
        } else {
            r.array(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) replyInfo(r, sub);
        }
    }

    /** One command as COMMAND DOCS describes it. */
    static void replyDocs(Reply r, CommandSpec s) {
        List<Argument> args = ARGUMENTS.getOrDefault(s.name(), List.of());
        r.map(3 + (s.complexity() != null ? 1 : 0) + (s.docFlags() != 0 ? 1 : 0) + (s.deprecatedSince() != null ? 1 : 0)
                + (s.replacedBy() != null ? 1 : 0) + (s.history().isEmpty() ? 0 : 1) + (args.isEmpty() ? 0 : 1)
                + (s.subcommands().isEmpty() ? 0 : 1));
        r.bulk("summary");
        r.bulk(s.summary());
        r.bulk("since");
        r.bulk(s.since());
        r.bulk("group");
        r.bulk(s.group());
        if (s.complexity() != null) {
            r.bulk("complexity");
            r.bulk(s.complexity());
        }
        if (s.docFlags() != 0) {
            r.bulk("doc_flags");
            r.set(Integer.bitCount(s.docFlags()));
            if ((s.docFlags() & CommandSpec.DOC_DEPRECATED) != 0) r.simple("deprecated");
            if ((s.docFlags() & CommandSpec.DOC_SYSCMD) != 0) r.simple("syscmd");
        }
        if (s.deprecatedSince() != null) {
            r.bulk("deprecated_since");
            r.bulk(s.deprecatedSince());
        }
        if (s.replacedBy() != null) {
            r.bulk("replaced_by");
            r.bulk(s.replacedBy());
        }
        if (!s.history().isEmpty()) {
            r.bulk("history");
            r.set(s.history().size());
            for (CommandSpec.History h : s.history()) {
                r.array(2);
                r.bulk(h.version());
                r.bulk(h.change());
            }
        }
        if (!args.isEmpty()) {
            r.bulk("arguments");
            Argument.replyAll(r, args);
        }
        if (!s.subcommands().isEmpty()) {
            r.bulk("subcommands");
            r.map(s.subcommands().size());
            for (CommandSpec sub : s.subcommands().values()) {
                r.bulk(sub.name());
                replyDocs(r, sub);
            }
        }
    }
}
