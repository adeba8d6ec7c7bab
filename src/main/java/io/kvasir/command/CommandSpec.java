package io.kvasir.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything Kvasir knows about one command, as data: what COMMAND reports, what the dispatcher
 * checks (arity, flags, keys, ACL categories) and the handler that runs it. Built with
 * {@link #command}; commands with subcommands (CONFIG GET, CLIENT LIST) hold a spec per subcommand.
 */
public final class CommandSpec {
    // Flags, named as COMMAND INFO prints them.
    public static final int WRITE = 1, READONLY = 1 << 1, DENYOOM = 1 << 2, ADMIN = 1 << 3, PUBSUB = 1 << 4,
            NOSCRIPT = 1 << 5, BLOCKING = 1 << 6, LOADING = 1 << 7, STALE = 1 << 8, SKIP_MONITOR = 1 << 9,
            SKIP_SLOWLOG = 1 << 10, ASKING = 1 << 11, FAST = 1 << 12, NO_AUTH = 1 << 13, MAY_REPLICATE = 1 << 14,
            NO_MANDATORY_KEYS = 1 << 15, PROTECTED = 1 << 16, NO_ASYNC_LOADING = 1 << 17, NO_MULTI = 1 << 18,
            MOVABLE_KEYS = 1 << 19, ALLOW_BUSY = 1 << 20;

    /** Flag names in the order Redis lists them in COMMAND INFO. */
    public static final List<Map.Entry<Integer, String>> FLAG_NAMES = List.of(
            Map.entry(WRITE, "write"), Map.entry(READONLY, "readonly"), Map.entry(DENYOOM, "denyoom"),
            Map.entry(ADMIN, "admin"), Map.entry(PUBSUB, "pubsub"), Map.entry(NOSCRIPT, "noscript"),
            Map.entry(BLOCKING, "blocking"), Map.entry(LOADING, "loading"), Map.entry(STALE, "stale"),
            Map.entry(SKIP_MONITOR, "skip_monitor"), Map.entry(SKIP_SLOWLOG, "skip_slowlog"),
            Map.entry(ASKING, "asking"), Map.entry(FAST, "fast"), Map.entry(NO_AUTH, "no_auth"),
            Map.entry(MAY_REPLICATE, "may_replicate"), Map.entry(NO_MANDATORY_KEYS, "no_mandatory_keys"),
            Map.entry(PROTECTED, "protected"), Map.entry(NO_ASYNC_LOADING, "no_async_loading"),
            Map.entry(NO_MULTI, "no_multi"), Map.entry(MOVABLE_KEYS, "movablekeys"),
            Map.entry(ALLOW_BUSY, "allow_busy"));

    final String name;          // lower case; "config|get" for a subcommand
    final String shortName;     // "get" for "config|get"
    final int arity;
    int flags;
    int firstKey, lastKey, keyStep;
    KeyFinder keyFinder;
    final List<String> aclCategories = new ArrayList<>();
    String group = "generic";
    String since = "1.0.0";
    String summary = "";
    String complexity;
    String argsDoc = "";
    final List<String> tips = new ArrayList<>();
    final List<String> history = new ArrayList<>();
    Handler handler;
    CommandSpec parent;
    final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    final CommandStats stats = new CommandStats();

    private CommandSpec(String name, int arity) {
        this.name = name.toLowerCase(Locale.ROOT);
        int bar = this.name.indexOf('|');
        this.shortName = bar < 0 ? this.name : this.name.substring(bar + 1);
        this.arity = arity;
    }

    /** Starts a spec: {@code arity} as Redis counts it (negative = at least). */
    public static CommandSpec command(String name, int arity) {
        return new CommandSpec(name, arity);
    }

    /** Space-separated flag names, e.g. {@code "write denyoom fast"}. */
    public CommandSpec flags(String names) {
        for (String n : names.trim().split("\\s+")) {
            if (n.isEmpty()) continue;
            int f = FLAG_NAMES.stream().filter(e -> e.getValue().equals(n)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown flag " + n));
            flags |= f;
        }
        return this;
    }

    /** Key positions: first, last (negative counts from the end), step. */
    public CommandSpec keys(int first, int last, int step) {
        this.firstKey = first;
        this.lastKey = last;
        this.keyStep = step;
        return this;
    }

    /** Keys found by code; also sets "movablekeys". */
    public CommandSpec keys(KeyFinder finder) {
        this.keyFinder = finder;
        this.flags |= MOVABLE_KEYS;
        return this;
    }

    /** ACL categories beyond those implied by the flags, e.g. {@code "@string"}. */
    public CommandSpec acl(String categories) {
        for (String c : categories.trim().split("\\s+")) if (!c.isEmpty()) aclCategories.add(c);
        return this;
    }

    public CommandSpec group(String g) { this.group = g; return this; }
    public CommandSpec since(String v) { this.since = v; return this; }
    public CommandSpec summary(String s) { this.summary = s; return this; }
    public CommandSpec complexity(String c) { this.complexity = c; return this; }
    /** The argument grammar for COMMAND DOCS (see CommandDocs for the notation). */
    public CommandSpec args(String doc) { this.argsDoc = doc; return this; }
    public CommandSpec tips(String... t) { Collections.addAll(tips, t); return this; }
    public CommandSpec history(String version, String change) { history.add(version + "\u0000" + change); return this; }
    public CommandSpec handler(Handler h) { this.handler = h; return this; }

    /** Adds a subcommand, named "parent|sub". */
    public CommandSpec sub(CommandSpec s) {
        s.parent = this;
        subcommands.put(s.shortName, s);
        return this;
    }

    public String name() { return name; }
    /** The name as used in error messages and commandstats ("config|get"). */
    public String fullName() { return name; }
    public String shortName() { return shortName; }
    public int arity() { return arity; }
    public int flags() { return flags; }
    public boolean has(int flag) { return (flags & flag) != 0; }
    public int firstKey() { return firstKey; }
    public int lastKey() { return lastKey; }
    public int keyStep() { return keyStep; }
    public KeyFinder keyFinder() { return keyFinder; }
    public String group() { return group; }
    public String since() { return since; }
    public String summary() { return summary; }
    public String complexity() { return complexity; }
    public String argsDoc() { return argsDoc; }
    public List<String> tips() { return tips; }
    public List<String> history() { return history; }
    public Handler handler() { return handler; }
    public CommandSpec parent() { return parent; }
    public Map<String, CommandSpec> subcommands() { return subcommands; }
    public CommandStats stats() { return stats; }

    /** ACL categories as COMMAND INFO lists them: implied ones first, then the declared ones. */
    public List<String> aclCategoriesWithImplied() {
        List<String> out = new ArrayList<>();
        if (has(WRITE)) out.add("@write");
        if (has(READONLY) && !aclCategories.contains("@scripting")) out.add("@read");
        if (has(ADMIN)) {
            out.add("@admin");
            out.add("@dangerous");
        }
        if (has(PUBSUB)) out.add("@pubsub");
        if (has(FAST)) out.add("@fast");
        if (has(BLOCKING)) out.add("@blocking");
        if (!has(FAST)) out.add("@slow");
        for (String c : aclCategories) if (!out.contains(c)) out.add(c);
        return out;
    }

    /** True if {@code argc} arguments (the name included) satisfy the arity. */
    public boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
