package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.protocol.Strtod;
import io.kvasir.pubsub.Notifications;
import io.kvasir.store.Db;
import io.kvasir.store.Entry;
import io.kvasir.store.HashValue;
import io.kvasir.store.ListValue;
import io.kvasir.store.SetValue;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;
import io.kvasir.store.ZSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SORT and SORT_RO: the elements of a list, set or sorted set, sorted as numbers or (ALPHA) as
 * strings, by themselves or by the values of other keys named by a BY pattern, cut by LIMIT, each
 * replaced by the values GET patterns name, replied or stored as a list (STORE).
 *
 * <p>Patterns name keys only known while sorting, so a call that has one locks the whole keyspace
 * ({@link KeyFinder#ALL}); without patterns only its own keys are locked. Ties sort as Redis's do:
 * the full sort is stable (glibc's merge sort), a partial one with BY ({@link PartialSort}) follows
 * the quicksort Redis uses for it.
 */
final class SortCommands implements CommandFamily {
    private static final RedisError NOT_DOUBLE = new RedisError("ERR One or more scores can't be converted into double");
    private static final String COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set to"
            + " sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
    private static final String PATTERN_NOTES = "For the optional BY/GET keyword. It is marked 'unknown' because the key"
            + " names derive from the content of the key we sort";
    private static final String STORE_NOTES = "For the optional STORE keyword. It is marked 'unknown' because the"
            + " keyword can appear anywhere in the argument array";

    /** SORT's keys as COMMAND GETKEYS reports them: the key, and the one after the last STORE. */
    private static final KeyFinder SORT_KEYS = new KeyFinder() {
        @Override
        public int find(Args a, int[] out) {
            return getKeys(a, out);
        }

        @Override
        public int flags(int nth) {
            return nth == 0 ? KeySpec.RO | KeySpec.ACCESS : KeySpec.OW | KeySpec.UPDATE;
        }
    };

    @Override
    public void register(CommandTable t) {
        t.add(sort("sort", "write denyoom", "1.0.0").keys(SORT_KEYS).locks((a, out) -> lockKeys(a, out, false))
                .keySpec(KeySpec.unknown().flags("OW update").notes(STORE_NOTES))
                .summary("Sorts the elements of a list, set or sorted set, replying with them or storing them in a list.")
                .handler(c -> sort(c, false)));
        t.add(sort("sort_ro", "readonly", "7.0.0").keys(SortCommands::firstKey).locks((a, out) -> lockKeys(a, out, true))
                .summary("Sorts the elements of a list, set or sorted set as SORT does, without storing them.")
                .handler(c -> sort(c, true)));
    }

    private static CommandSpec sort(String name, String flags, String since) {
        return command(name, -2).flags(flags).keys(1, 1, 1).acl("@set @sortedset @list @dangerous").since(since)
                .complexity(COMPLEXITY).keySpec(KeySpec.index(1).flags("RO access"))
                .keySpec(KeySpec.unknown().flags("RO access").notes(PATTERN_NOTES));
    }

    /** SORT_RO's key for COMMAND GETKEYS: Redis finds no other (its other key spec is "unknown"). */
    private static int firstKey(Args a, int[] out) {
        out[0] = 1;
        return 1;
    }

    /**
     * Redis's own SORT key extraction: it skips LIMIT's two arguments and one after BY or GET, and takes
     * the argument after the last STORE it meets (without skipping it).
     */
    static int getKeys(Args a, int[] out) {
        int store = -1;
        for (int i = 2; i < a.count(); i++) {
            if (a.is(i, "LIMIT")) i += 2;
            else if (a.is(i, "GET") || a.is(i, "BY")) i++;
            else if (a.is(i, "STORE") && i + 1 < a.count()) store = i + 1;
        }
        out[0] = 1;
        if (store < 0) return 1;
        out[1] = store;
        return 2;
    }

    /** The keys the call really touches, as its own parse finds them: every key when a pattern names others. */
    static int lockKeys(Args a, int[] out, boolean readonly) {
        out[0] = 1;
        Options o;
        try {
            o = Options.parse(a, readonly);
        } catch (RedisError e) {
            return 1; // the call fails before touching any key
        }
        if (o.readsOtherKeys(a)) return KeyFinder.ALL;
        if (o.store < 0) return 1;
        out[1] = o.store;
        return 2;
    }

    // ---- options ----

    /** One call's options, read as Redis reads them: a later LIMIT, ASC/DESC, BY or STORE replaces an earlier one. */
    static final class Options {
        int by = -1;            // the argument holding the BY pattern
        boolean dontSort;       // some BY pattern had no '*': no sorting, whatever a later BY says
        long offset, count = -1;
        boolean desc, alpha;
        int store = -1;
        final List<Integer> gets = new ArrayList<>();

        static Options parse(Args a, boolean readonly) {
            Options o = new Options();
            for (int j = 2; j < a.count(); j++) {
                int left = a.count() - j - 1;
                if (a.is(j, "ASC")) {
                    o.desc = false;
                } else if (a.is(j, "DESC")) {
                    o.desc = true;
                } else if (a.is(j, "ALPHA")) {
                    o.alpha = true;
                } else if (a.is(j, "LIMIT") && left >= 2) {
                    o.offset = a.longValue(j + 1);
                    o.count = a.longValue(j + 2);
                    j += 2;
                } else if (a.is(j, "STORE") && left >= 1 && !readonly) {
                    o.store = ++j;
                } else if (a.is(j, "BY") && left >= 1) {
                    o.by = ++j;
                    if (Pattern.star(a.buf(), a.off(j), a.len(j)) < 0) o.dontSort = true;
                } else if (a.is(j, "GET") && left >= 1) {
                    o.gets.add(++j);
                } else {
                    throw Errors.SYNTAX;
                }
            }
            return o;
        }

        /** True if BY or a GET pattern will look up keys (BY only when it sorts; GET unless it is "#" or has no '*'). */
        boolean readsOtherKeys(Args a) {
            if (by >= 0 && !dontSort) return true;
            for (int g : gets) if (Pattern.namesKeys(a.buf(), a.off(g), a.len(g))) return true;
            return false;
        }
    }

    // ---- the command ----

    void sort(Call c, boolean readonly) {
        Args a = c.args();
        Options o = Options.parse(a, readonly);
        Entry e = c.read(1);
        byte type = e == null ? ValueType.LIST : e.type();
        if (type != ValueType.LIST && type != ValueType.SET && type != ValueType.ZSET) throw Errors.WRONGTYPE;
        Item[] items = e == null ? new Item[0] : load(e);
        boolean dontSort = o.dontSort;
        int by = o.by;
        if (dontSort && type == ValueType.SET && o.store >= 0) {
            // a set's order is its hash order, which a stored result must not depend on
            dontSort = false;
            o.alpha = true;
            by = -1;
        }
        if (dontSort && o.desc && type != ValueType.SET) reverse(items);
        Patterns patterns = new Patterns(c);
        if (!dontSort) score(items, o, by, patterns);
        Range r = Range.of(o.offset, o.count, items.length);
        if (!dontSort && r.end >= r.start) order(items, o, by >= 0, r.start, r.end);
        if (o.store >= 0) store(c, o, items, r.start, r.end, patterns);
        else reply(c, o, items, r.start, r.end, patterns);
    }

    /** The positions LIMIT selects, [start, end] (empty when end < start), clamped as Redis clamps them. */
    record Range(int start, int end) {
        static Range of(long offset, long count, int n) {
            long start = Math.max(0, offset);
            long end = count < 0 ? n - 1 : start + Math.min(count, Long.MAX_VALUE - start) - 1;
            if (start >= n) return new Range(n - 1, n - 2);
            return new Range((int) start, (int) Math.min(end, n - 1));
        }
    }

    /** One element to sort: its bytes, and what it sorts by (a score, or the BY value for ALPHA). */
    static final class Item {
        final byte[] element;
        double score;
        byte[] by;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** The elements in their stored order; a packed sorted set is converted first, as Redis converts it. */
    private static Item[] load(Entry e) {
        List<Item> out = new ArrayList<>();
        switch (e.type()) {
            case ValueType.LIST -> {
                ListValue.Cursor at = ((ListValue) e.value()).cursor();
                for (boolean more = at.seek(0); more; more = at.next()) out.add(new Item(at.element()));
            }
            case ValueType.SET -> ((SetValue) e.value()).forEach((b, off, len) -> out.add(copy(b, off, len)));
            default -> {
                ZSet z = (ZSet) e.value();
                ZSet converted = z.asSkiplist();
                if (converted != z) e.table().setObject(e.slot(), converted);
                converted.forEach((b, off, len, score) -> out.add(copy(b, off, len)));
            }
        }
        return out.toArray(new Item[0]);
    }

    private static Item copy(byte[] b, int off, int len) {
        return new Item(Arrays.copyOfRange(b, off, off + len));
    }

    private static void reverse(Item[] items) {
        for (int i = 0, j = items.length - 1; i < j; i++, j--) {
            Item t = items[i];
            items[i] = items[j];
            items[j] = t;
        }
    }

    /**
     * Reads what each element sorts by: with ALPHA the BY value (if any); otherwise a score, parsed as
     * Redis parses it with strtod up to a NUL byte, where a missing BY key scores 0.
     */
    private static void score(Item[] items, Options o, int by, Patterns patterns) {
        if (o.alpha && by < 0) return;
        Strtod strtod = new Strtod();
        boolean bad = false;
        for (Item it : items) {
            byte[] v = by < 0 ? it.element : patterns.lookup(by, it.element);
            if (o.alpha) it.by = v;
            else if (v != null) bad |= !score(it, v, strtod);
        }
        if (bad) throw NOT_DOUBLE;
    }

    private static boolean score(Item it, byte[] v, Strtod s) {
        int len = cLength(v);
        s.parse(v, 0, len);
        it.score = s.value;
        return s.end == len && !s.range && !Double.isNaN(s.value);
    }

    /** The length of the C string at the start of {@code b}: up to its first NUL byte. */
    static int cLength(byte[] b) {
        for (int i = 0; i < b.length; i++) if (b[i] == 0) return i;
        return b.length;
    }

    /** Sorts the elements, or only what lands in [start, end] when BY and LIMIT cut the result, as Redis does. */
    private static void order(Item[] items, Options o, boolean byPattern, int start, int end) {
        Order cmp = new Order(!o.alpha, byPattern, o.store >= 0, o.desc);
        if (byPattern && (start != 0 || end != items.length - 1)) new PartialSort<>(items, cmp).sort(start, end);
        else Arrays.sort(items, cmp);
    }

    /**
     * How two elements compare, as Redis compares them: numbers by score, equal scores by the elements'
     * bytes; ALPHA by the BY values (a missing one first) or the elements, as C strings through strcoll
     * (up to a NUL byte; the C locale's byte order), or as whole byte strings when the result is stored.
     */
    record Order(boolean numeric, boolean byPattern, boolean binary, boolean desc) implements Comparator<Item> {
        @Override
        public int compare(Item x, Item y) {
            int cmp;
            if (numeric) {
                cmp = x.score > y.score ? 1 : x.score < y.score ? -1 : Arrays.compareUnsigned(x.element, y.element);
            } else if (!byPattern) {
                cmp = strings(x.element, y.element);
            } else if (x.by == null || y.by == null) {
                cmp = x.by == y.by ? 0 : x.by == null ? -1 : 1;
            } else {
                cmp = strings(x.by, y.by);
            }
            cmp = Integer.signum(cmp);
            return desc ? -cmp : cmp;
        }

        private int strings(byte[] x, byte[] y) {
            if (binary) return Arrays.compareUnsigned(x, y);
            return Arrays.compareUnsigned(x, 0, cLength(x), y, 0, cLength(y));
        }
    }

    // ---- output ----

    private static void reply(Call c, Options o, Item[] items, int start, int end, Patterns patterns) {
        Reply r = c.reply();
        int n = Math.max(0, end - start + 1);
        r.array(Math.toIntExact((long) n * Math.max(1, o.gets.size())));
        for (int i = start; i <= end; i++) {
            byte[] element = items[i].element;
            if (o.gets.isEmpty()) r.bulk(element);
            for (int g : o.gets) {
                byte[] v = patterns.lookup(g, element);
                if (v == null) r.nullBulk();
                else r.bulk(v);
            }
        }
    }

    /** STORE: a list of the results (missing GET values as empty strings), replacing the key; none deletes it. */
    private static void store(Call c, Options o, Item[] items, int start, int end, Patterns patterns) {
        ListValue list = new ListValue();
        int fill = c.server().keyspace().limits().listFill();
        for (int i = start; i <= end; i++) {
            byte[] element = items[i].element;
            if (o.gets.isEmpty()) list.push(false, element, 0, element.length, fill);
            for (int g : o.gets) {
                byte[] v = patterns.lookup(g, element);
                if (v == null) list.push(false, element, 0, 0, fill);
                else list.push(false, v, 0, v.length, fill);
            }
        }
        Args a = c.args();
        Db db = c.db();
        if (list.size() > 0) {
            db.putObject(a.buf(), a.off(o.store), a.len(o.store), list, Table.NO_EXPIRE, c.cursor());
            c.signalReady(o.store);
            c.keyModified(o.store);
            c.notify(Notifications.LIST, Events.SORTSTORE, o.store);
            c.dirty(list.size());
        } else if (db.delete(a.buf(), a.off(o.store), a.len(o.store))) {
            c.keyModified(o.store);
            c.notify(Notifications.GENERIC, Events.DEL, o.store);
            c.dirty(1);
        }
        c.reply().integer(list.size());
    }

    /** Looks up the values BY and GET patterns name, counting keyspace hits and misses and notifying "keymiss" as reads do. */
    private static final class Patterns {
        private final Call call;
        private final Entry entry = new Entry();

        Patterns(Call call) {
            this.call = call;
        }

        /** The value pattern argument {@code arg} names for {@code element}, or null. */
        byte[] lookup(int arg, byte[] element) {
            Args a = call.args();
            return Pattern.lookup(a.buf(), a.off(arg), a.len(arg), element, this::find);
        }

        private Entry find(byte[] key) {
            if (!call.db().lookup(key, 0, key.length, entry)) {
                call.server().stats().keyspaceMisses.increment();
                call.keyMiss(key, 0, key.length);
                return null;
            }
            call.server().stats().keyspaceHits.increment();
            entry.touch();
            return entry;
        }
    }

    /**
     * A BY or GET pattern: "#" is the element itself; otherwise the first '*' is replaced by the element
     * to name a key (whose string value is taken), and "->field" after the '*' names a field of a hash
     * there. As in Redis, the '*' and "->" are searched for only up to a NUL byte.
     */
    static final class Pattern {
        private Pattern() {}

        interface Lookup {
            Entry find(byte[] key);
        }

        /** The index of the first '*' before any NUL byte, or -1. */
        static int star(byte[] b, int off, int len) {
            for (int i = 0; i < len && b[off + i] != 0; i++) if (b[off + i] == '*') return i;
            return -1;
        }

        static boolean isElement(byte[] b, int off, int len) {
            return len >= 1 && b[off] == '#' && (len == 1 || b[off + 1] == 0);
        }

        static boolean namesKeys(byte[] b, int off, int len) {
            return !isElement(b, off, len) && star(b, off, len) >= 0;
        }

        static byte[] lookup(byte[] b, int off, int len, byte[] element, Lookup keys) {
            if (isElement(b, off, len)) return element;
            int star = star(b, off, len);
            if (star < 0) return null;
            int arrow = arrow(b, off, len, star + 1);
            int keyEnd = arrow < 0 ? len : arrow;
            byte[] key = new byte[keyEnd - 1 + element.length];
            System.arraycopy(b, off, key, 0, star);
            System.arraycopy(element, 0, key, star, element.length);
            System.arraycopy(b, off + star + 1, key, star + element.length, keyEnd - star - 1);
            Entry e = keys.find(key);
            if (e == null) return null;
            if (arrow < 0) return e.type() == ValueType.STRING ? e.stringBytes() : null;
            if (e.type() != ValueType.HASH) return null;
            HashValue h = (HashValue) e.value();
            int field = h.find(b, off + arrow + 2, len - arrow - 2);
            if (field == HashValue.NONE) return null;
            int voff = h.valueOffset(field);
            return Arrays.copyOfRange(h.array(field), voff, voff + h.valueLength(field));
        }

        /** Where "->" followed by a field starts, searching from {@code from} up to a NUL byte; -1 if nowhere. */
        private static int arrow(byte[] b, int off, int len, int from) {
            for (int i = from; i + 1 < len && b[off + i] != 0; i++) {
                if (b[off + i] == '-' && b[off + i + 1] == '>') {
                    return i + 2 < len && b[off + i + 2] != 0 ? i : -1;
                }
            }
            return -1;
        }
    }
}
