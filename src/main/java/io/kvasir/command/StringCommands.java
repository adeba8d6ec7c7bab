package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;
import static io.kvasir.store.Table.NO_EXPIRE;
import static io.kvasir.store.ValueType.STRING;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.LongDouble;
import io.kvasir.protocol.Numbers;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.pubsub.Notifications;
import io.kvasir.store.Clock;
import io.kvasir.store.Entry;
import io.kvasir.store.Table;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The string family: GET, SET and its variants, MGET/MSET, counters, byte ranges and LCS.
 * Strings that are integers are stored as longs (OBJECT ENCODING "int"); strings changed in
 * place by APPEND or SETRANGE are flagged {@link Table#RAW_STRING}, as Redis then reports "raw".
 */
final class StringCommands implements CommandFamily {
    private static final RedisError OFFSET_RANGE = new RedisError("ERR offset is out of range");
    private static final RedisError TOO_LONG =
            new RedisError("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    private static final RedisError NAN_OR_INFINITY = new RedisError("ERR increment would produce NaN or Infinity");
    private static final RedisError DECREMENT_OVERFLOW = new RedisError("ERR decrement would overflow");
    private static final RedisError LCS_NOT_STRINGS = new RedisError("ERR The specified keys must contain string values");
    private static final RedisError LCS_LEN_AND_IDX =
            new RedisError("ERR If you want both the length and indexes, please just use IDX.");
    private static final RedisError LCS_TOO_BIG =
            new RedisError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    private static final byte[] EMPTY = {};
    private static final byte[] MATCHES = Reply.ascii("matches"), LEN = Reply.ascii("len");
    /** Longest Java array we allocate for a string value. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    @Override
    public void register(CommandTable t) {
        t.add(string("get", 2, "readonly fast", "1.0.0", "Reads the string stored at a key.", "O(1)", this::get));
        t.add(string("set", -3, "write denyoom", "1.0.0",
                "Stores a string at a key, optionally only if it exists or not, with a time to live.", "O(1)", this::set)
                .keySpec(KeySpec.index(1).flags("RW access update variable_flags")
                        .notes("RW and ACCESS due to the optional `GET` argument").actualFlags(StringCommands::setKeyFlags))
                .history("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options.")
                .history("6.0.0", "Added the `KEEPTTL` option.")
                .history("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option.")
                .history("7.0.0", "Allowed the `NX` and `GET` options to be used together."));
        t.add(string("getset", 3, "write denyoom fast", "1.0.0", "Stores a string at a key and returns the one it replaced.",
                "O(1)", this::getset).keyFlags("RW access update").deprecated("6.2.0", "`SET` with the `!GET` argument"));
        t.add(string("getdel", 2, "write fast", "6.2.0", "Returns the string at a key and deletes the key.",
                "O(1)", this::getdel).keyFlags("RW access delete"));
        t.add(string("getex", -2, "write fast", "6.2.0", "Returns the string at a key and optionally sets or clears its time to live.",
                "O(1)", this::getex)
                .keySpec(KeySpec.index(1).flags("RW access update").notes("RW and UPDATE because it changes the TTL")));
        t.add(string("setnx", 3, "write denyoom fast", "1.0.0", "Stores a string at a key only if the key does not exist.",
                "O(1)", this::setnx).keyFlags("OW insert"));
        t.add(string("setex", 4, "write denyoom", "2.0.0", "Stores a string at a key with a time to live in seconds.",
                "O(1)", this::setex).keyFlags("OW update"));
        t.add(string("psetex", 4, "write denyoom", "2.6.0", "Stores a string at a key with a time to live in milliseconds.",
                "O(1)", this::psetex).keyFlags("OW update"));
        t.add(string("mset", -3, "write denyoom", "1.0.1", "Stores several strings at several keys in one step.",
                "O(N) where N is the number of keys to set.", this::mset)
                .keys(1, -1, 2).keyFlags("OW update").tips("request_policy:multi_shard", "response_policy:all_succeeded"));
        t.add(string("msetnx", -3, "write denyoom", "1.0.1", "Stores several strings at several keys in one step, only if none of the keys exists.",
                "O(N) where N is the number of keys to set.", this::msetnx)
                .keys(1, -1, 2).keyFlags("OW insert").tips("request_policy:multi_shard", "response_policy:agg_min"));
        t.add(string("mget", -2, "readonly fast", "1.0.0", "Reads the strings stored at several keys.",
                "O(N) where N is the number of keys to retrieve.", this::mget)
                .keys(1, -1, 1).tips("request_policy:multi_shard"));
        t.add(string("append", 3, "write denyoom fast", "2.0.0", "Adds bytes at the end of the string at a key.",
                "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already"
                        + " present value is of any size, since the dynamic string library used by Redis will double"
                        + " the free space available on every reallocation.", this::append).keyFlags("RW insert"));
        t.add(string("strlen", 2, "readonly fast", "2.2.0", "Returns the length in bytes of the string at a key.",
                "O(1)", this::strlen).keyFlags("RO"));
        t.add(string("setrange", 4, "write denyoom", "2.2.0", "Overwrites part of the string at a key, from an offset on.",
                "O(1), not counting the time taken to copy the new string in place. Usually, this string is very"
                        + " small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the"
                        + " length of the value argument.", this::setrange).keyFlags("RW update"));
        t.add(string("getrange", 4, "readonly", "2.4.0", "Returns a range of bytes of the string at a key.",
                RANGE_COMPLEXITY, this::getrange));
        t.add(string("substr", 4, "readonly", "1.0.0", "Returns a range of bytes of the string at a key (the old name of GETRANGE).",
                RANGE_COMPLEXITY, this::getrange).deprecated("2.0.0", "`GETRANGE`"));
        t.add(counter("incr", 2, "1.0.0", "Adds one to the integer at a key.", this::incr));
        t.add(counter("decr", 2, "1.0.0", "Subtracts one from the integer at a key.", this::decr));
        t.add(counter("incrby", 3, "1.0.0", "Adds an integer to the integer at a key.", this::incrby));
        t.add(counter("decrby", 3, "1.0.0", "Subtracts an integer from the integer at a key.", this::decrby));
        t.add(counter("incrbyfloat", 3, "2.6.0", "Adds a floating point number to the number at a key.", this::incrbyfloat));
        t.add(string("lcs", -3, "readonly", "7.0.0", "Finds the longest common subsequence of the strings at two keys.",
                "O(N*M) where N and M are the lengths of s1 and s2, respectively", this::lcs).keys(1, 2, 1));
    }

    private static final String RANGE_COMPLEXITY = "O(N) where N is the length of the returned string. The complexity"
            + " is ultimately determined by the returned length, but because creating a substring from an existing"
            + " string is very cheap, it can be considered O(1) for small strings.";

    /** A spec of this family with one key, the first argument (the most common shape). */
    private static CommandSpec string(String name, int arity, String flags, String since, String summary,
            String complexity, Handler h) {
        return command(name, arity).flags(flags).keys(1, 1, 1).acl("@string").group("string").since(since)
                .summary(summary).complexity(complexity).handler(h);
    }

    /** INCR and friends: read, change and write back the value. */
    private static CommandSpec counter(String name, int arity, String since, String summary, Handler h) {
        return string(name, arity, "write denyoom fast", since, summary, "O(1)", h).keyFlags("RW access update");
    }

    /** SET's key is read too (RW access) only with GET; otherwise it is just overwritten. */
    static int setKeyFlags(Args a) {
        for (int i = 3; i < a.count(); i++) {
            if (a.is(i, "GET")) return KeySpec.RW | KeySpec.ACCESS | KeySpec.UPDATE;
        }
        return KeySpec.OW | KeySpec.UPDATE;
    }

    // ---- shared steps ----

    /** Replies with the string in {@code e}, a null if there is none; WRONGTYPE for another type. */
    private static void replyValue(Call c, Entry e) {
        if (e == null) c.reply().nullBulk();
        else e.expect(STRING).replyString(c.reply());
    }

    /** Stores argument {@code value} at the key in argument {@code key}, replacing any value and TTL. */
    private static void put(Call c, int key, int value, long expireAt) {
        Args a = c.args();
        c.db().putString(c.stripe(key), a.buf(), a.off(key), a.len(key), a.buf(), a.off(value), a.len(value), expireAt,
                c.cursor());
        c.keyModified(key);
        c.dirty(1);
    }

    /** {@link #put} for SET and its variants: notifies "set", then "expire" if the command gave a time to live. */
    private static void store(Call c, int key, int value, long expireAt, boolean expiring) {
        put(c, key, value, expireAt);
        c.notify(Notifications.STRING, Events.SET, key);
        if (expiring) c.notify(Notifications.GENERIC, Events.EXPIRE, key);
    }

    // ---- GET, SET and their variants ----

    void get(Call c) {
        replyValue(c, c.read(1));
    }

    // Options of SET and GETEX as bits; options() returns them with the index of the expire time
    // argument in the high 32 bits.
    private static final int NX = 1, XX = 1 << 1, GET = 1 << 2, KEEPTTL = 1 << 3, PERSIST = 1 << 4,
            EX = 1 << 5, PX = 1 << 6, EXAT = 1 << 7, PXAT = 1 << 8, EXPIRE = EX | PX | EXAT | PXAT;

    /**
     * Parses the options of SET ({@code set}) or GETEX from argument {@code from} on. As in Redis
     * an option may repeat (the last expire time wins), but NX with XX, two kinds of expire time,
     * or KEEPTTL/PERSIST with an expire time is a syntax error.
     */
    private static long options(Args a, int from, boolean set) {
        int flags = 0, timeArg = 0;
        for (int i = from; i < a.count(); i++) {
            int kind;
            if (set && a.is(i, "NX") && (flags & XX) == 0) flags |= NX;
            else if (set && a.is(i, "XX") && (flags & NX) == 0) flags |= XX;
            else if (set && a.is(i, "GET")) flags |= GET;
            else if (set && a.is(i, "KEEPTTL") && (flags & EXPIRE) == 0) flags |= KEEPTTL;
            else if (!set && a.is(i, "PERSIST") && (flags & EXPIRE) == 0) flags |= PERSIST;
            else if ((kind = expireKind(a, i)) != 0 && i + 1 < a.count()
                    && (flags & (KEEPTTL | PERSIST | (EXPIRE & ~kind))) == 0) {
                flags |= kind;
                timeArg = ++i;
            } else {
                throw Errors.SYNTAX;
            }
        }
        return (long) timeArg << 32 | flags;
    }

    private static int expireKind(Args a, int i) {
        return a.is(i, "EX") ? EX : a.is(i, "PX") ? PX : a.is(i, "EXAT") ? EXAT : a.is(i, "PXAT") ? PXAT : 0;
    }

    /** The deadline (epoch ms) of the expire option in {@code opts}, as options() returned them. */
    private static long deadline(Call c, long opts, String command) {
        int flags = (int) opts;
        return deadline(c.args().longValue((int) (opts >>> 32)), (flags & (EX | EXAT)) != 0,
                (flags & (EX | PX)) != 0, command);
    }

    /**
     * A time to live or a unix time, in seconds or ms, as an absolute deadline in ms. Redis
     * refuses times that are not positive or whose conversion would overflow.
     */
    private static long deadline(long time, boolean seconds, boolean relative, String command) {
        if (time <= 0 || (seconds && time > Long.MAX_VALUE / 1000)) throw Errors.invalidExpire(command);
        if (seconds) time *= 1000;
        if (relative) {
            long now = Clock.now();
            if (time > Long.MAX_VALUE - now) throw Errors.invalidExpire(command);
            time += now;
        }
        return time;
    }

    void set(Call c) {
        if (c.argc() == 3) { // no options: no lookup at all
            store(c, 1, 2, NO_EXPIRE, false);
            c.reply().ok();
            return;
        }
        long opts = options(c.args(), 3, true);
        int flags = (int) opts;
        long expireAt = (flags & EXPIRE) != 0 ? deadline(c, opts, "set") : NO_EXPIRE;
        boolean get = (flags & GET) != 0;
        Entry e = null;
        if (get) {
            e = c.read(1);
            replyValue(c, e);
        } else if ((flags & (NX | XX | KEEPTTL)) != 0) {
            e = c.find(1);
        }
        if (((flags & NX) != 0 && e != null) || ((flags & XX) != 0 && e == null)) {
            if (!get) c.reply().nullBulk();
            return;
        }
        if ((flags & KEEPTTL) != 0 && e != null) expireAt = e.expireAt();
        store(c, 1, 2, expireAt, (flags & EXPIRE) != 0);
        if (!get) c.reply().ok();
    }

    void getset(Call c) {
        replyValue(c, c.read(1));
        store(c, 1, 2, NO_EXPIRE, false);
    }

    void getdel(Call c) {
        Entry e = c.read(1);
        replyValue(c, e);
        if (e != null) {
            e.remove();
            c.keyModified(1);
            c.notify(Notifications.GENERIC, Events.DEL, 1);
            c.dirty(1);
        }
    }

    void getex(Call c) {
        long opts = options(c.args(), 2, false);
        int flags = (int) opts;
        Entry e = c.read(1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        e.expect(STRING);
        long expireAt = (flags & EXPIRE) != 0 ? deadline(c, opts, "getex") : NO_EXPIRE;
        e.replyString(c.reply());
        if ((flags & (EXAT | PXAT)) != 0 && expireAt <= Clock.now()) {
            e.remove(); // a deadline already past deletes the key now
            c.keyModified(1);
            c.notify(Notifications.GENERIC, Events.DEL, 1);
            c.dirty(1);
        } else if ((flags & EXPIRE) != 0 || ((flags & PERSIST) != 0 && e.expireAt() != NO_EXPIRE)) {
            e.expireAt(expireAt);
            c.keyModified(1);
            c.notify(Notifications.GENERIC, (flags & PERSIST) != 0 ? Events.PERSIST : Events.EXPIRE, 1);
            c.dirty(1);
        }
    }

    void setnx(Call c) {
        if (c.find(1) != null) {
            c.reply().integer(0);
            return;
        }
        store(c, 1, 2, NO_EXPIRE, false);
        c.reply().integer(1);
    }

    void setex(Call c) {
        store(c, 1, 3, deadline(c.args().longValue(2), true, true, "setex"), true);
        c.reply().ok();
    }

    void psetex(Call c) {
        store(c, 1, 3, deadline(c.args().longValue(2), false, true, "psetex"), true);
        c.reply().ok();
    }

    // ---- several keys (the dispatcher holds all their stripes, so each runs atomically) ----

    void mset(Call c) {
        int n = c.argc();
        if (n % 2 == 0) throw Errors.wrongArgs("mset");
        for (int i = 1; i < n; i += 2) store(c, i, i + 1, NO_EXPIRE, false);
        c.reply().ok();
    }

    void msetnx(Call c) {
        int n = c.argc();
        if (n % 2 == 0) throw Errors.wrongArgs("msetnx");
        for (int i = 1; i < n; i += 2) {
            if (c.find(i) != null) {
                c.reply().integer(0);
                return;
            }
        }
        for (int i = 1; i < n; i += 2) store(c, i, i + 1, NO_EXPIRE, false);
        c.reply().integer(1);
    }

    void mget(Call c) {
        int n = c.argc();
        Reply r = c.reply();
        r.array(n - 1);
        for (int i = 1; i < n; i++) {
            Entry e = c.read(i);
            if (e == null || e.type() != STRING) r.nullBulk(); // MGET answers nil for other types
            else e.replyString(r);
        }
    }

    // ---- in-place edits ----

    void append(Call c) {
        Args a = c.args();
        int add = a.len(2);
        Entry e = c.find(1);
        if (e == null) {
            put(c, 1, 2, NO_EXPIRE);
            c.notify(Notifications.STRING, Events.APPEND, 1);
            c.reply().integer(add);
            return;
        }
        int old = e.expect(STRING).stringLength();
        checkLength(c, old, add);
        e.table().append(e.slot(), a.buf(), a.off(2), add); // grows with room to spare: amortized O(1)
        markRaw(e);
        c.keyModified(1); // even for "", as Redis
        c.notify(Notifications.STRING, Events.APPEND, 1);
        c.dirty(1);
        c.reply().integer(old + add);
    }

    void setrange(Call c) {
        Args a = c.args();
        long offset = a.longValue(2);
        if (offset < 0) throw OFFSET_RANGE;
        int len = a.len(3);
        Entry e = c.find(1);
        if (e == null) {
            if (len == 0) { // nothing to write: no key is created
                c.reply().integer(0);
                return;
            }
            checkLength(c, offset, len);
            byte[] v = new byte[(int) offset + len];
            System.arraycopy(a.buf(), a.off(3), v, (int) offset, len);
            e = c.cursor();
            c.db().putBytes(a.buf(), a.off(1), a.len(1), v, NO_EXPIRE, e);
        } else {
            int old = e.expect(STRING).stringLength();
            if (len == 0) {
                c.reply().integer(old);
                return;
            }
            checkLength(c, offset, len);
            Table t = e.table();
            t.resizeString(e.slot(), (int) Math.max(old, offset + len)); // also turns "int" into bytes
            System.arraycopy(a.buf(), a.off(3), t.stringArray(e.slot()), t.stringOffset(e.slot()) + (int) offset, len);
        }
        markRaw(e);
        c.keyModified(1);
        c.notify(Notifications.STRING, Events.SETRANGE, 1);
        c.dirty(1);
        c.reply().integer(e.stringLength());
    }

    /** Refuses a string of {@code offset + len} bytes past proto-max-bulk-len (or a Java array). */
    private static void checkLength(Call c, long offset, long len) {
        long total = offset + len; // both non-negative: a negative sum is an overflow
        if (total < 0 || total > c.server().config().getLong("proto-max-bulk-len") || total > MAX_ARRAY) {
            throw TOO_LONG;
        }
    }

    /** Redis edits such strings in a growable buffer, which OBJECT ENCODING reports as "raw". */
    private static void markRaw(Entry e) {
        e.table().flag(e.slot(), Table.RAW_STRING, true);
    }

    // ---- reads ----

    void strlen(Call c) {
        Entry e = c.read(1);
        c.reply().integer(e == null ? 0 : e.expect(STRING).stringLength());
    }

    /** GETRANGE and SUBSTR: negative indexes count from the end; out of range ones are clamped. */
    void getrange(Call c) {
        Args a = c.args();
        long start = a.longValue(2), end = a.longValue(3);
        Entry e = c.read(1);
        if (e == null) {
            c.reply().bulk(EMPTY);
            return;
        }
        long len = e.expect(STRING).stringLength();
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(EMPTY);
            return;
        }
        if (start < 0) start = Math.max(0, start + len);
        if (end < 0) end = Math.max(0, end + len);
        if (end >= len) end = len - 1;
        if (start > end) {
            c.reply().bulk(EMPTY);
            return;
        }
        int from = (int) start, n = (int) (end - start + 1);
        if (e.isLong()) {
            c.reply().bulk(Numbers.longBytes(e.longValue()), from, n);
        } else {
            Table t = e.table();
            c.reply().bulk(t.stringArray(e.slot()), t.stringOffset(e.slot()) + from, n);
        }
    }

    // ---- counters ----

    void incr(Call c) { incrBy(c, 1); }

    void decr(Call c) { incrBy(c, -1); }

    void incrby(Call c) { incrBy(c, c.args().longValue(2)); }

    void decrby(Call c) {
        long d = c.args().longValue(2);
        if (d == Long.MIN_VALUE) throw DECREMENT_OVERFLOW; // -d does not exist
        incrBy(c, -d);
    }

    private static void incrBy(Call c, long delta) {
        Entry e = c.find(1);
        long v = e == null ? 0 : longValue(e.expect(STRING));
        if (delta > 0 ? v > Long.MAX_VALUE - delta : v < Long.MIN_VALUE - delta) throw Errors.OVERFLOW;
        v += delta;
        if (e != null) {
            e.setLong(v); // keeps the TTL
        } else {
            Args a = c.args();
            c.db().putLong(a.buf(), a.off(1), a.len(1), v, NO_EXPIRE, c.cursor());
        }
        c.keyModified(1);
        c.notify(Notifications.STRING, Events.INCRBY, 1);
        c.dirty(1);
        c.reply().integer(v);
    }

    /** The string value as an integer, with Redis's strict syntax. */
    private static long longValue(Entry e) {
        if (e.isLong()) return e.longValue();
        Table t = e.table();
        return Numbers.parseLong(t.stringArray(e.slot()), t.stringOffset(e.slot()), e.stringLength());
    }

    /**
     * Redis adds in C long double precision and stores the result as text, never int-encoded
     * (so "1" + "2" stores "3" with encoding embstr).
     */
    void incrbyfloat(Call c) {
        Args a = c.args();
        Entry e = c.find(1);
        BigDecimal value = BigDecimal.ZERO;
        if (e != null) {
            e.expect(STRING);
            Table t = e.table();
            value = e.isLong() ? BigDecimal.valueOf(e.longValue())
                    : LongDouble.parse(t.stringArray(e.slot()), t.stringOffset(e.slot()), e.stringLength());
        }
        BigDecimal increment = LongDouble.parse(a.buf(), a.off(2), a.len(2));
        // null stands for an infinity (in the key or the increment)
        BigDecimal sum = value == null || increment == null ? null : LongDouble.add(value, increment);
        if (sum == null) throw NAN_OR_INFINITY;
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        if (e != null) e.setString(text);
        else c.db().putBytes(a.buf(), a.off(1), a.len(1), text, NO_EXPIRE, c.cursor());
        c.keyModified(1);
        c.notify(Notifications.STRING, Events.INCRBYFLOAT, 1);
        c.dirty(1);
        c.reply().bulk(text);
    }

    // ---- LCS ----

    void lcs(Call c) {
        Entry e = c.read(1);
        boolean wrongType = e != null && e.type() != STRING;
        byte[] x = e == null || wrongType ? EMPTY : e.stringBytes();
        e = c.read(2);
        wrongType |= e != null && e.type() != STRING;
        byte[] y = e == null || wrongType ? EMPTY : e.stringBytes();
        if (wrongType) throw LCS_NOT_STRINGS;

        Args a = c.args();
        boolean len = false, idx = false, withMatchLen = false;
        long minMatchLen = 0;
        for (int i = 3; i < a.count(); i++) {
            if (a.is(i, "IDX")) idx = true;
            else if (a.is(i, "LEN")) len = true;
            else if (a.is(i, "WITHMATCHLEN")) withMatchLen = true;
            else if (a.is(i, "MINMATCHLEN") && i + 1 < a.count()) minMatchLen = a.longValue(++i);
            else throw Errors.SYNTAX;
        }
        if (len && idx) throw LCS_LEN_AND_IDX;
        // Redis sizes its table at 4 bytes per cell and refuses tables past proto-max-bulk-len.
        long cells = (long) (x.length + 1) * (y.length + 1);
        if (cells > c.server().config().getLong("proto-max-bulk-len") / 4) throw LCS_TOO_BIG;

        Lcs lcs = new Lcs(x, y, idx || !len);
        Reply r = c.reply();
        if (len) {
            r.integer(lcs.length);
        } else if (!idx) {
            r.bulk(lcs.sequence());
        } else {
            List<Lcs.Run> runs = lcs.runs();
            long minLength = minMatchLen;
            runs.removeIf(run -> run.length() < minLength);
            r.map(2);
            r.bulk(MATCHES);
            r.array(runs.size());
            for (Lcs.Run run : runs) {
                r.array(withMatchLen ? 3 : 2);
                r.array(2);
                r.integer(run.aStart());
                r.integer(run.aEnd());
                r.array(2);
                r.integer(run.bStart());
                r.integer(run.bEnd());
                if (withMatchLen) r.integer(run.length());
            }
            r.bulk(LEN);
            r.integer(lcs.length);
        }
    }
}
