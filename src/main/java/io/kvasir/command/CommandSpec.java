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

    /** ACL categories, in the order Redis lists them (ACL CAT, COMMAND INFO). */
    public static final List<String> ACL_CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list",
            "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    /** COMMAND DOCS doc_flags. */
    public static final int DOC_DEPRECATED = 1, DOC_SYSCMD = 2;

    /** One line of a command's history in COMMAND DOCS. */
    public record History(String version, String change) {}

    final String name;          // lower case; "config|get" for a subcommand
    final String shortName;     // "get" for "config|get"
    final int arity;
    int flags;
    int firstKey, lastKey, keyStep;
    KeyFinder keyFinder;
    KeyFinder lockFinder;
    int aclCategories;
    final List<KeySpec> keySpecs = new ArrayList<>();
    int keyFlags = -1;
    String group = "generic";
    String since = "1.0.0";
    String summary = "";
    String complexity;
    int docFlags;
    String deprecatedSince, replacedBy;
    final List<String> tips = new ArrayList<>();
    final List<History> history = new ArrayList<>();
    Handler handler;
    boolean allowedWhileSubscribed;
    boolean notQueued, queueRunner, locksOwnStripes, keepsCaching;
    CommandSpec parent;
    final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    CommandStats stats; // given by the table the spec joins

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

    /**
     * How the dispatcher finds the keys to lock, when that differs from the keys COMMAND GETKEYS reports
     * (which follow Redis's own key extraction): the keys the call will really touch, or
     * {@link KeyFinder#ALL} when they are only known while it runs.
     */
    public CommandSpec locks(KeyFinder finder) {
        this.lockFinder = finder;
        return this;
    }

    /**
     * Declares a key spec. A command that declares any reports exactly the declared ones, in order, and
     * none is derived from {@link #keys(int, int, int)} (which still gives COMMAND INFO's first/last/step).
     */
    public CommandSpec keySpec(KeySpec spec) {
        keySpecs.add(spec);
        return this;
    }

    /**
     * Flags of the key spec derived from {@code keys(first, last, step)}, e.g. {@code "RW access update"}.
     * Without them a readonly command's keys are "RO access" (what most reads do), anything else's none.
     */
    public CommandSpec keyFlags(String names) {
        keyFlags = KeySpec.parseFlags(names);
        return this;
    }

    /** ACL categories beyond those implied by the flags, e.g. {@code "@string"}. */
    public CommandSpec acl(String categories) {
        for (String c : categories.trim().split("\\s+")) {
            if (c.isEmpty()) continue;
            int i = ACL_CATEGORIES.indexOf(c.startsWith("@") ? c.substring(1) : c);
            if (i < 0) throw new IllegalArgumentException("unknown ACL category " + c);
            aclCategories |= 1 << i;
        }
        return this;
    }

    public CommandSpec group(String g) { this.group = g; return this; }
    public CommandSpec since(String v) { this.since = v; return this; }
    public CommandSpec summary(String s) { this.summary = s; return this; }
    public CommandSpec complexity(String c) { this.complexity = c; return this; }
    public CommandSpec tips(String... t) { Collections.addAll(tips, t); return this; }
    public CommandSpec history(String version, String change) { history.add(new History(version, change)); return this; }

    /** Marks the command deprecated in COMMAND DOCS: since which version, and what to use instead. */
    public CommandSpec deprecated(String version, String replacement) {
        docFlags |= DOC_DEPRECATED;
        deprecatedSince = version;
        replacedBy = replacement;
        return this;
    }

    /** Marks a command for servers, not users (COMMAND DOCS doc_flags "syscmd"). */
    public CommandSpec syscmd() { docFlags |= DOC_SYSCMD; return this; }
    public CommandSpec handler(Handler h) { this.handler = h; return this; }

    /** Allows the command to a RESP2 client in the pub/sub context ((P|S)SUBSCRIBE and so on, PING, QUIT, RESET). */
    public CommandSpec allowedWhileSubscribed() { this.allowedWhileSubscribed = true; return this; }

    /** Inside MULTI the command runs at once instead of being queued (MULTI, DISCARD, WATCH, QUIT, RESET). */
    public CommandSpec notQueued() { notQueued = true; return this; }

    /**
     * The command runs the queued ones (EXEC): it is not queued, a CLIENT PAUSE treats it as the
     * commands it runs, and refusing it ends the transaction.
     */
    public CommandSpec runsQueue() { notQueued = queueRunner = true; return this; }

    /**
     * The command locks stripes of its own choosing (a waiter's keys, ...), which a transaction
     * cannot know ahead: EXEC then locks the whole keyspace. Keyless reads and writes (KEYS, SCAN,
     * FLUSHALL...) are taken to do so without saying it (see {@link #locksKeyspace()}).
     */
    public CommandSpec locksOwnStripes() { locksOwnStripes = true; return this; }

    /**
     * A CLIENT CACHING given before this command still holds for the command after it: in Redis the
     * CLIENT command (any subcommand) does not use it up.
     */
    public CommandSpec keepsCaching() { keepsCaching = true; return this; }

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
    public KeyFinder lockFinder() { return lockFinder; }
    public String group() { return group; }
    public String since() { return since; }
    public String summary() { return summary; }
    public String complexity() { return complexity; }
    public List<String> tips() { return tips; }
    public List<History> history() { return history; }
    public int docFlags() { return docFlags; }
    public String deprecatedSince() { return deprecatedSince; }
    public String replacedBy() { return replacedBy; }

    /** The command's key specs: the declared ones, else the one its {@code keys(first, last, step)} describe. */
    public List<KeySpec> keySpecs() {
        if (!keySpecs.isEmpty() || firstKey <= 0) return keySpecs;
        int flags = keyFlags >= 0 ? keyFlags : has(READONLY) ? KeySpec.RO | KeySpec.ACCESS : 0;
        KeySpec derived = KeySpec.index(firstKey).range(lastKey < 0 ? lastKey : lastKey - firstKey, keyStep, 0);
        derived.flags = flags;
        return List.of(derived);
    }

    public Handler handler() { return handler; }
    public boolean isAllowedWhileSubscribed() { return allowedWhileSubscribed; }

    /**
     * True if the arguments at the key positions are not keys of the keyspace but names of another
     * space (shard channels): nothing to lock for them.
     */
    public boolean keysAreNotKeys() {
        return keyFlags >= 0 && (keyFlags & KeySpec.NOT_KEY) != 0;
    }

    public boolean isNotQueued() { return notQueued; }
    public boolean isQueueRunner() { return queueRunner; }

    /** See {@link #keepsCaching()}. */
    public boolean keepsTrackingCaching() { return keepsCaching; }

    /**
     * True if the command may lock stripes other than those of its declared keys: declared so, or
     * a read or write with no declared keys at all (they walk the keyspace: KEYS, SCAN, DBSIZE,
     * RANDOMKEY, SWAPDB, FLUSHDB, FLUSHALL). A transaction holding one locks everything.
     */
    public boolean locksKeyspace() {
        return locksOwnStripes || (firstKey <= 0 && keyFinder == null && has(READONLY | WRITE));
    }

    public CommandSpec parent() { return parent; }
    public Map<String, CommandSpec> subcommands() { return subcommands; }
    public CommandStats stats() { return stats; }

    /** ACL categories as COMMAND INFO lists them: the implied and declared ones, in Redis's category order. */
    public List<String> aclCategoriesWithImplied() {
        int c = aclCategories;
        if (has(WRITE)) c |= category("write");
        if (has(READONLY) && (aclCategories & category("scripting")) == 0) c |= category("read");
        if (has(ADMIN)) c |= category("admin") | category("dangerous");
        if (has(PUBSUB)) c |= category("pubsub");
        if (has(FAST)) c |= category("fast");
        if (has(BLOCKING)) c |= category("blocking");
        if (!has(FAST)) c |= category("slow");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < ACL_CATEGORIES.size(); i++) if ((c & (1 << i)) != 0) out.add("@" + ACL_CATEGORIES.get(i));
        return out;
    }

    private static int category(String name) {
        return 1 << ACL_CATEGORIES.indexOf(name);
    }

    /** True if {@code argc} arguments (the name included) satisfy the arity. */
    public boolean arityOk(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }
}
