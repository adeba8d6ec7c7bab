package io.kvasir.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * Server configuration: the directives of redis.conf, each declared once (in
 * {@link ConfigDirectives}) with its type, default, bounds and flags. Values are kept in the
 * canonical text form CONFIG GET returns, and numbers also parsed, so typed getters are cheap.
 *
 * <p>Two ways to change a value, as in Redis: {@link #set(String, List)} applies a config file
 * line (immutable directives allowed, "save" lines accumulate), {@link #configSet(List)} is
 * CONFIG SET (several pairs, all or nothing, immutable and protected directives refused).
 */
public final class Config {

    /** Thrown for a bad directive or value; the message is Redis's reason text. */
    public static class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message, null, false, false);
        }
    }

    /** A CONFIG SET failure naming the argument it is related to, as Redis reports it. */
    public static final class ConfigSetException extends ConfigException {
        private final String argument;

        ConfigSetException(String argument, String reason) {
            super(reason);
            this.argument = argument;
        }

        public String argument() { return argument; }
    }

    public enum Type { BOOL, INT, MEMORY, PERCENT, OCTAL, STRING, ENUM, FLAGS, SPECIAL }

    // Directive flags.
    public static final int IMMUTABLE = 1, PROTECTED = 1 << 1, HIDDEN = 1 << 2, SENSITIVE = 1 << 3, MULTI_ARG = 1 << 4,
            UNSIGNED = 1 << 5;

    /** Validates the words of a special directive and returns its canonical text. */
    @FunctionalInterface
    interface Parser {
        /**
         * @param words the values (one or more)
         * @param current the value now in force
         * @param appending true for a repeated line of the same config file ("save" accumulates)
         */
        String parse(List<String> words, String current, boolean appending);
    }

    /** One directive: its name, type, default and flags. */
    public static final class Directive {
        final String name;
        final Type type;
        final String defaultValue;
        final int flags;
        final long min, max;
        final List<String> choices;
        final Parser parser;
        final List<String> aliases = new ArrayList<>();
        final List<Consumer<String>> hooks = new CopyOnWriteArrayList<>();
        /**
         * For a special directive whose text does not show all it holds, its number from the words
         * given (notify-keyspace-events shows "A" for "An"); null for the others.
         */
        ToLongFunction<List<String>> measure;
        volatile String value;
        volatile long number;

        Directive(String name, Type type, String defaultValue, int flags, long min, long max, List<String> choices,
                Parser parser) {
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
            this.flags = flags;
            this.min = min;
            this.max = max;
            this.choices = choices;
            this.parser = parser;
            store(defaultValue);
        }

        /** Stores the canonical value {@code v} given as {@code words}. */
        void store(String v, List<String> words) {
            store(v);
            if (measure != null) number = measure.applyAsLong(words);
        }

        void store(String v) {
            value = v;
            number = switch (type) {
                case INT, MEMORY -> has(UNSIGNED) ? Long.parseUnsignedLong(v) : Long.parseLong(v);
                case OCTAL -> Long.parseLong(v, 8);
                case PERCENT -> v.endsWith("%") ? -Long.parseLong(v.substring(0, v.length() - 1)) : Long.parseLong(v);
                default -> 0;
            };
        }

        public String name() { return name; }
        public String value() { return value; }
        public List<String> aliases() { return aliases; }
        public boolean has(int flag) { return (flags & flag) != 0; }
        public Type type() { return type; }
    }

    private final Map<String, Directive> directives = new LinkedHashMap<>();
    private final Map<String, Directive> byAlias = new HashMap<>();
    private volatile Path file;
    /** Directives already seen in the config text being loaded (a repeated "save" appends). */
    private final java.util.Set<Directive> seenInLoad = new java.util.HashSet<>();

    public Config() {
        ConfigDirectives.declare(this);
    }

    // ---- declaration (ConfigDirectives) ----

    Directive declare(String name, Type type, String def, int flags, long min, long max, List<String> choices,
            Parser parser) {
        Directive d = new Directive(name, type, def, flags, min, max, choices, parser);
        directives.put(name, d);
        return d;
    }

    void alias(String alias, String name) {
        Directive d = directives.get(name);
        d.aliases.add(alias);
        byAlias.put(alias, d);
    }

    // ---- access ----

    /** The directive named {@code name} or one of its aliases (any case), or null. */
    public Directive directive(String name) {
        Directive d = directives.get(name);
        if (d != null) return d;
        String n = name.toLowerCase(Locale.ROOT);
        d = directives.get(n);
        return d != null ? d : byAlias.get(n);
    }

    public Collection<Directive> all() { return directives.values(); }

    /** The config file the server was started with (CONFIG REWRITE target), or null. */
    public Path file() { return file; }

    public void file(Path f) { file = f; }

    private Directive require(String name) {
        Directive d = directive(name);
        if (d == null) throw new IllegalArgumentException("no directive " + name);
        return d;
    }

    public String get(String name) { return require(name).value; }

    public int getInt(String name) { return (int) getLong(name); }

    /** A numeric directive's value (memory in bytes; a percent value as its negative). */
    public long getLong(String name) { return require(name).number; }

    public boolean getBool(String name) { return get(name).equals("yes"); }

    /** Runs {@code hook} with the new value whenever the directive changes. */
    public void onChange(String name, Consumer<String> hook) {
        require(name).hooks.add(hook);
    }

    // ---- changing ----

    /**
     * Applies one config file line: {@code words} are the directive's arguments. Throws
     * {@link ConfigException} with Redis's reason. A "save" line after another in the same load
     * adds to it instead of replacing it.
     */
    public void set(String name, List<String> words) {
        Directive d = directive(name);
        if (d == null) throw new ConfigException("Bad directive or wrong number of arguments");
        if (!d.has(MULTI_ARG) && words.size() != 1) throw new ConfigException("wrong number of arguments");
        boolean appending = !seenInLoad.add(d);
        String v = normalize(d, words, appending);
        d.store(v, words);
        for (Consumer<String> h : d.hooks) h.accept(v);
    }

    public void set(String name, String value) {
        set(name, List.of(value));
    }

    /** Ends a config load: a later "save" line replaces the value again. */
    public void endLoad() {
        seenInLoad.clear();
    }

    /**
     * CONFIG SET: {@code pairs} alternates names and values. Validates every pair before changing
     * anything; if applying one fails, the old values are restored. Throws
     * {@link ConfigSetException} naming the argument, or a plain {@link ConfigException} for an
     * unknown name.
     */
    public synchronized void configSet(List<String> pairs) {
        List<Directive> targets = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i += 2) {
            String name = pairs.get(i);
            Directive d = directive(name);
            if (d == null) throw new ConfigException("Unknown option or number of arguments for CONFIG SET - '" + name + "'");
            if (d.has(IMMUTABLE)) throw new ConfigSetException(name, "can't set immutable config");
            if (d.has(PROTECTED) && !protectedAllowed()) throw new ConfigSetException(name, "can't set protected config");
            for (int j = 0; j < targets.size(); j++) {
                if (targets.get(j) == d && pairs.get(2 * j).equalsIgnoreCase(name)) {
                    throw new ConfigSetException(name, "duplicate parameter");
                }
            }
            targets.add(d);
        }
        List<String> values = new ArrayList<>();
        List<List<String>> wordLists = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Directive d = targets.get(i);
            String value = pairs.get(2 * i + 1);
            List<String> words = d.has(MULTI_ARG) ? splitSpaces(value) : List.of(value);
            try {
                values.add(normalize(d, words, false));
            } catch (ConfigException e) {
                throw new ConfigSetException(pairs.get(2 * i), e.getMessage());
            }
            wordLists.add(words);
        }
        List<String> old = new ArrayList<>();
        long[] oldNumbers = new long[targets.size()];
        for (int i = 0; i < targets.size(); i++) {
            old.add(targets.get(i).value);
            oldNumbers[i] = targets.get(i).number;
        }
        int applied = 0;
        try {
            for (; applied < targets.size(); applied++) {
                Directive d = targets.get(applied);
                d.store(values.get(applied), wordLists.get(applied));
                for (Consumer<String> h : d.hooks) h.accept(d.value);
            }
        } catch (ConfigException e) {
            for (int j = applied; j >= 0; j--) {
                Directive d = targets.get(j);
                d.store(old.get(j));
                d.number = oldNumbers[j];
                for (Consumer<String> h : d.hooks) {
                    try {
                        h.accept(d.value);
                    } catch (ConfigException again) {
                        // the old value was in force a moment ago; nothing better to restore
                    }
                }
            }
            throw new ConfigSetException(pairs.get(2 * applied), e.getMessage());
        }
    }

    /** CONFIG SET splits a multi-word value on single spaces (no quoting): "a  b" has an empty word. */
    private static List<String> splitSpaces(String value) {
        return value.isEmpty() ? List.of() : List.of(value.split(" ", -1));
    }

    private boolean protectedAllowed() {
        return get("enable-protected-configs").equals("yes");
    }

    private static String normalize(Directive d, List<String> words, boolean appending) {
        return ConfigDirectives.normalize(d, words, appending);
    }

    // ---- parsing ----

    /**
     * Parses a memory value as Redis does: digits then an optional unit (b, k = 1000, kb = 1024,
     * m, mb, g, gb, any case). An empty number counts as 0; a number too large saturates and
     * products wrap, as in C.
     */
    public static long parseMemory(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        long mul = switch (s.substring(i).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> throw new NumberFormatException(s);
        };
        long v = 0;
        for (int k = 0; k < i; k++) {
            int digit = s.charAt(k) - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                v = -1L; // strtoull saturates at ULLONG_MAX
                break;
            }
            v = v * 10 + digit;
        }
        return v * mul;
    }

    /** Formats bytes as CONFIG REWRITE writes them: the largest of gb, mb, kb that divides exactly. */
    static String formatMemory(long v) {
        if (v == 0) return "0";
        if (v % (1024L * 1024 * 1024) == 0) return (v / (1024L * 1024 * 1024)) + "gb";
        if (v % (1024L * 1024) == 0) return (v / (1024L * 1024)) + "mb";
        if (v % 1024 == 0) return (v / 1024) + "kb";
        return Long.toUnsignedString(v);
    }
}
