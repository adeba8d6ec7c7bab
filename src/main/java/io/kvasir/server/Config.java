package io.kvasir.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Server configuration: the directives of redis.conf, each declared once with its type, default
 * and whether CONFIG SET may change it. Values are kept in the canonical text form CONFIG GET
 * returns; typed getters read them.
 */
public final class Config {

    /** Thrown for a bad directive or value; the message is Redis's reason text. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }

    public enum Type { BOOL, INT, LONG, MEMORY, STRING, ENUM, SPECIAL }

    /** One directive: its name, type, default and (for ENUM) the allowed words. */
    public static final class Directive {
        final String name;
        final Type type;
        final String defaultValue;
        final boolean mutable;
        final long min, max;
        final List<String> choices;
        final List<String> aliases = new ArrayList<>();
        String value;
        Consumer<String> onChange;

        Directive(String name, Type type, String defaultValue, boolean mutable, long min, long max, List<String> choices) {
            this.name = name;
            this.type = type;
            this.defaultValue = defaultValue;
            this.mutable = mutable;
            this.min = min;
            this.max = max;
            this.choices = choices;
            this.value = defaultValue;
        }

        public String name() { return name; }
        public String value() { return value; }
        public boolean mutable() { return mutable; }
        public Type type() { return type; }
    }

    private final Map<String, Directive> directives = new LinkedHashMap<>();
    private final Map<String, Directive> byAlias = new LinkedHashMap<>();

    public Config() {
        ConfigDirectives.declare(this);
    }

    // ---- declaration (ConfigDirectives) ----

    Directive declare(String name, Type type, String def, boolean mutable, long min, long max, List<String> choices) {
        Directive d = new Directive(name, type, def, mutable, min, max, choices);
        directives.put(name, d);
        return d;
    }

    void alias(String alias, String name) {
        Directive d = directives.get(name);
        d.aliases.add(alias);
        byAlias.put(alias, d);
    }

    // ---- access ----

    public Directive directive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        Directive d = directives.get(n);
        return d != null ? d : byAlias.get(n);
    }

    public Collection<Directive> all() { return directives.values(); }

    public String get(String name) {
        Directive d = directive(name);
        if (d == null) throw new IllegalArgumentException("no directive " + name);
        return d.value;
    }

    public int getInt(String name) { return (int) getLong(name); }

    public long getLong(String name) {
        Directive d = directive(name);
        return d.type == Type.MEMORY ? parseMemory(d.value) : Long.parseLong(d.value);
    }

    public boolean getBool(String name) { return get(name).equals("yes"); }

    /** Runs {@code hook} with the new value whenever the directive changes. */
    public void onChange(String name, Consumer<String> hook) {
        directive(name).onChange = hook;
    }

    /**
     * Sets a directive from text as a config file or CONFIG SET gives it (several words for
     * directives like "save"). Throws {@link ConfigException} with Redis's reason.
     */
    public void set(String name, List<String> words) {
        Directive d = directive(name);
        if (d == null) throw new ConfigException("Bad directive or wrong number of arguments");
        String v = ConfigDirectives.normalize(d, words);
        d.value = v;
        if (d.onChange != null) d.onChange.accept(v);
    }

    public void set(String name, String value) {
        set(name, List.of(value));
    }

    // ---- parsing ----

    /** Parses "1gb", "100mb", "512k", "1024" as Redis's memtoll does (k = 1000, kb = 1024). */
    public static long parseMemory(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        long mul = 1;
        int cut = t.length();
        if (t.endsWith("kb")) { mul = 1024L; cut -= 2; }
        else if (t.endsWith("mb")) { mul = 1024L * 1024; cut -= 2; }
        else if (t.endsWith("gb")) { mul = 1024L * 1024 * 1024; cut -= 2; }
        else if (t.endsWith("k")) { mul = 1000L; cut -= 1; }
        else if (t.endsWith("m")) { mul = 1000L * 1000; cut -= 1; }
        else if (t.endsWith("g")) { mul = 1000L * 1000 * 1000; cut -= 1; }
        else if (t.endsWith("b")) { cut -= 1; }
        String num = t.substring(0, cut);
        if (num.isEmpty() || !num.chars().allMatch(c -> c >= '0' && c <= '9' || c == '-')) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(num) * mul;
    }
}
