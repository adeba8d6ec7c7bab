package io.kvasir.command;

import io.kvasir.metrics.Counters;
import io.kvasir.protocol.Args;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command table: every command's spec, looked up by name case-insensitively straight from
 * the request bytes (no String per request).
 */
public final class CommandTable {
    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private CommandSpec[] slots = new CommandSpec[1024];
    private byte[][] slotNames = new byte[1024][];
    private final Counters counters;

    public CommandTable() { this(new Counters()); }

    /** A table whose commands count their calls (INFO commandstats) in {@code counters}. */
    public CommandTable(Counters counters) { this.counters = counters; }

    public void add(CommandSpec spec) {
        if (byName.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("command registered twice: " + spec.name());
        }
        giveStats(spec);
        if (byName.size() * 2 > slots.length) rebuild(slots.length * 2);
        else place(spec);
    }

    private void giveStats(CommandSpec spec) {
        spec.stats = new CommandStats(counters);
        for (CommandSpec sub : spec.subcommands().values()) giveStats(sub);
    }

    public void addAll(CommandFamily... families) {
        for (CommandFamily f : families) f.register(this);
    }

    private void rebuild(int capacity) {
        slots = new CommandSpec[capacity];
        slotNames = new byte[capacity][];
        for (CommandSpec s : byName.values()) place(s);
    }

    private void place(CommandSpec spec) {
        byte[] name = spec.name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int m = slots.length - 1;
        int i = hashLower(name, 0, name.length) & m;
        while (slots[i] != null) i = (i + 1) & m;
        slots[i] = spec;
        slotNames[i] = name;
    }

    private static int hashLower(byte[] b, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) h = 31 * h + (b[i] | 0x20);
        return h ^ (h >>> 16);
    }

    /** The command named by argument {@code i}, or null. */
    public CommandSpec lookup(Args args, int i) {
        byte[] b = args.buf();
        int off = args.off(i), len = args.len(i);
        int m = slots.length - 1;
        for (int s = hashLower(b, off, len) & m; slots[s] != null; s = (s + 1) & m) {
            byte[] n = slotNames[s];
            if (n.length == len && equalsLower(n, b, off)) return slots[s];
        }
        return null;
    }

    private static boolean equalsLower(byte[] lowerName, byte[] b, int off) {
        for (int i = 0; i < lowerName.length; i++) {
            int c = b[off + i];
            if (c >= 'A' && c <= 'Z') c |= 0x20;
            if (c != lowerName[i]) return false;
        }
        return true;
    }

    public CommandSpec get(String name) {
        return byName.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    public int size() { return byName.size(); }
}
