package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Reply;
import java.util.function.ToIntFunction;

/**
 * One key specification of a command, as COMMAND INFO reports it (Redis 7 "key specs"): where the
 * search for keys begins (an argument index, or the argument after a keyword), how the keys are
 * found from there (a range, or a count given by an argument), and what the command does to them
 * (RO/RW/OW/RM plus access/update/insert/delete).
 *
 * <pre>{@code
 * KeySpec.index(1).flags("RW access delete")                 // one key at argument 1
 * KeySpec.index(1).range(-1, 2, 0).flags("OW update")         // MSET: every other argument to the end
 * KeySpec.keyword("STORE", -1).flags("OW update")             // the argument after STORE
 * }</pre>
 */
public final class KeySpec {
    public static final int RO = 1, RW = 1 << 1, OW = 1 << 2, RM = 1 << 3, ACCESS = 1 << 4, UPDATE = 1 << 5,
            INSERT = 1 << 6, DELETE = 1 << 7, NOT_KEY = 1 << 8, INCOMPLETE = 1 << 9, VARIABLE_FLAGS = 1 << 10;

    /** Flag names in the order COMMAND INFO prints them; bit i is names[i]. */
    static final String[] FLAG_NAMES = {"RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key",
            "incomplete", "variable_flags"};

    enum Begin { INDEX, KEYWORD, UNKNOWN }
    enum Find { RANGE, KEYNUM, UNKNOWN }

    final Begin begin;
    final int index;          // INDEX: argument position; KEYWORD: where the search starts (negative: from the end)
    final String keyword;
    Find find = Find.RANGE;
    int lastKey, keyStep = 1, limit;   // RANGE
    int keyNumIndex, firstKey;         // KEYNUM (keyStep shared)
    int flags;
    String notes;
    ToIntFunction<Args> actualFlags;

    private KeySpec(Begin begin, int index, String keyword) {
        this.begin = begin;
        this.index = index;
        this.keyword = keyword;
    }

    /** The search begins at argument {@code i}; by default it finds that one key. */
    public static KeySpec index(int i) { return new KeySpec(Begin.INDEX, i, null); }

    /** The search begins after {@code keyword}, looked for from {@code startFrom} (negative: backwards from the end). */
    public static KeySpec keyword(String keyword, int startFrom) { return new KeySpec(Begin.KEYWORD, startFrom, keyword); }

    /** Where the keys begin cannot be described (the command's {@link KeyFinder} knows). */
    public static KeySpec unknown() {
        KeySpec s = new KeySpec(Begin.UNKNOWN, 0, null);
        s.find = Find.UNKNOWN;
        return s;
    }

    /**
     * Keys from the beginning up to {@code lastKey} arguments further (negative: counted from the end of
     * the request), every {@code step}; {@code limit} n > 1 keeps only 1/n of the arguments to the end.
     */
    public KeySpec range(int lastKey, int step, int limit) {
        this.find = Find.RANGE;
        this.lastKey = lastKey;
        this.keyStep = step;
        this.limit = limit;
        return this;
    }

    /** The argument {@code keyNumIndex} after the beginning holds the number of keys, the first at {@code firstKey}. */
    public KeySpec keynum(int keyNumIndex, int firstKey, int step) {
        this.find = Find.KEYNUM;
        this.keyNumIndex = keyNumIndex;
        this.firstKey = firstKey;
        this.keyStep = step;
        return this;
    }

    /** Space-separated flag names as COMMAND INFO prints them, e.g. {@code "RW access update"}. */
    public KeySpec flags(String names) {
        this.flags = parseFlags(names);
        return this;
    }

    /** The free-text note COMMAND INFO shows with the spec. */
    public KeySpec notes(String text) {
        this.notes = text;
        return this;
    }

    /**
     * For a spec flagged {@code variable_flags}: the flags the keys actually get for one request
     * (SET is OW update, or RW access update with GET). {@code args} starts at the command name.
     */
    public KeySpec actualFlags(ToIntFunction<Args> f) {
        this.actualFlags = f;
        return this;
    }

    public int flags() { return flags; }

    static int parseFlags(String names) {
        int f = 0;
        for (String n : names.trim().split("\\s+")) {
            if (n.isEmpty()) continue;
            int bit = -1;
            for (int i = 0; i < FLAG_NAMES.length; i++) if (FLAG_NAMES[i].equals(n)) bit = i;
            if (bit < 0) throw new IllegalArgumentException("unknown key spec flag " + n);
            f |= 1 << bit;
        }
        return f;
    }

    /** Writes the flag names present in {@code f} as a set of status replies. */
    static void replyFlags(Reply r, int f) {
        r.set(Integer.bitCount(f));
        for (int i = 0; i < FLAG_NAMES.length; i++) if ((f & (1 << i)) != 0) r.simple(FLAG_NAMES[i]);
    }

    /** The spec as COMMAND INFO writes it: notes?, flags, begin_search, find_keys. */
    void reply(Reply r) {
        r.map(notes == null ? 3 : 4);
        if (notes != null) {
            r.bulk("notes");
            r.bulk(notes);
        }
        r.bulk("flags");
        replyFlags(r, flags);
        r.bulk("begin_search");
        r.map(2);
        r.bulk("type");
        switch (begin) {
            case INDEX -> {
                r.bulk("index");
                r.bulk("spec");
                r.map(1);
                r.bulk("index");
                r.integer(index);
            }
            case KEYWORD -> {
                r.bulk("keyword");
                r.bulk("spec");
                r.map(2);
                r.bulk("keyword");
                r.bulk(keyword);
                r.bulk("startfrom");
                r.integer(index);
            }
            case UNKNOWN -> {
                r.bulk("unknown");
                r.bulk("spec");
                r.map(0);
            }
        }
        r.bulk("find_keys");
        r.map(2);
        r.bulk("type");
        switch (find) {
            case RANGE -> {
                r.bulk("range");
                r.bulk("spec");
                r.map(3);
                r.bulk("lastkey");
                r.integer(lastKey);
                r.bulk("keystep");
                r.integer(keyStep);
                r.bulk("limit");
                r.integer(limit);
            }
            case KEYNUM -> {
                r.bulk("keynum");
                r.bulk("spec");
                r.map(3);
                r.bulk("keynumidx");
                r.integer(keyNumIndex);
                r.bulk("firstkey");
                r.integer(firstKey);
                r.bulk("keystep");
                r.integer(keyStep);
            }
            case UNKNOWN -> {
                r.bulk("unknown");
                r.bulk("spec");
                r.map(0);
            }
        }
    }

    /** Receives the keys a spec finds in a request. */
    interface KeySink {
        void key(int argIndex, int flags);
    }

    /**
     * Finds this spec's keys in {@code args} (the request, name first). Returns false when the spec does not
     * fit this request (unknown parts, a key count that is not a number, keys past the end) or cannot find
     * every key (incomplete): the command's {@link KeyFinder}, if any, must then be asked. A keyword that is
     * absent finds no keys and fits.
     */
    boolean findKeys(Args args, KeySink sink) {
        if ((flags & INCOMPLETE) != 0) return false;
        int argc = args.count();
        int first;
        switch (begin) {
            case INDEX -> first = index;
            case KEYWORD -> {
                // Forward from startfrom up to the next-to-last argument, or backward from the end down to argument 2.
                int start = index > 0 ? index : argc + index;
                int end = index > 0 ? argc - 1 : 1;
                first = -1;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) break;
                    if (args.is(i, keyword)) {
                        first = i + 1;
                        break;
                    }
                }
                if (first < 0) return true;
            }
            default -> {
                return false;
            }
        }
        int last;
        switch (find) {
            case RANGE -> {
                if (lastKey >= 0) last = first + lastKey;
                else if (limit == 0) last = argc + lastKey;
                else last = first + ((argc - first) / limit + lastKey);
            }
            case KEYNUM -> {
                int at = first + keyNumIndex;
                if (at >= argc) return false;
                long n;
                try {
                    n = args.longValue(at);
                } catch (RuntimeException e) {
                    return false;
                }
                if (n < 0 || n > argc) return false;
                first += firstKey;
                last = first + (int) n - 1;
            }
            default -> {
                return false;
            }
        }
        if (last >= argc || last < first || first >= argc) return false;
        int f = actualFlags != null ? actualFlags.applyAsInt(args) : flags;
        for (int i = first; i <= last; i += keyStep) sink.key(i, f);
        return true;
    }
}
