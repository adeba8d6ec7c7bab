package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.pubsub.Notifications;
import io.kvasir.server.Kvasir;
import io.kvasir.store.Clock;
import io.kvasir.store.Db;
import io.kvasir.store.Entry;
import io.kvasir.store.Glob;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The generic keyspace family: deleting, inspecting, renaming, copying and moving keys, their
 * time to live, iteration (KEYS, SCAN, RANDOMKEY) and whole-database operations (DBSIZE,
 * SWAPDB, FLUSHDB, FLUSHALL).
 *
 * <p>Locking: the dispatcher locks the stripes of the keys named in a command. Stripes are shared
 * by all databases, so a key and its namesake in another database (MOVE, COPY ... DB) are under
 * the same lock. Commands without keys lock what they walk: the whole keyspace for KEYS,
 * RANDOMKEY, SWAPDB and the flushes; one stripe at a time for SCAN.
 */
final class KeyCommands implements CommandFamily {
    private static final RedisError INVALID_CURSOR = new RedisError("ERR invalid cursor");
    private static final RedisError NX_XX_GT_LT =
            new RedisError("ERR NX and XX, GT or LT options at the same time are not compatible");
    private static final RedisError GT_LT = new RedisError("ERR GT and LT options at the same time are not compatible");
    private static final String POLICY_NOTE = " Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
    private static final RedisError NO_LFU =
            new RedisError("ERR An LFU maxmemory policy is not selected, access frequency not tracked." + POLICY_NOTE);
    private static final RedisError LFU =
            new RedisError("ERR An LFU maxmemory policy is selected, idle time not tracked." + POLICY_NOTE);
    /** Redis shares one object for the integers 0..9999 and reports this count for it. */
    private static final int SHARED_REFCOUNT = Integer.MAX_VALUE;
    private static final long SHARED_INTEGERS = 10_000;

    /** Units and bases of the four EXPIRE commands. */
    private enum Deadline { RELATIVE_SECONDS, RELATIVE_MILLIS, UNIX_SECONDS, UNIX_MILLIS }

    @Override
    public void register(CommandTable t) {
        // Complexity and history are reported verbatim by COMMAND DOCS; summaries are our own.
        String multiShardSum = "request_policy:multi_shard response_policy:agg_sum";
        String newOptions = "Added options: `NX`, `XX`, `GT` and `LT`.";
        t.add(command("del", -2).flags("write").keys(1, -1, 1).keyFlags("RM delete").acl("@keyspace").since("1.0.0")
                .tips(tips(multiShardSum)).summary("Deletes keys; replies with how many existed.")
                .complexity("O(N) where N is the number of keys that will be removed. When a key to remove holds a "
                        + "value other than a string, the individual complexity for this key is O(M) where M is the "
                        + "number of elements in the list, set, sorted set or hash. Removing a single key that holds "
                        + "a string value is O(1).")
                .handler(this::del));
        t.add(command("unlink", -2).flags("write fast").keys(1, -1, 1).keyFlags("RM delete").acl("@keyspace")
                .since("4.0.0").tips(tips(multiShardSum)).summary("Deletes keys, reclaiming their memory in the background.")
                .complexity("O(1) for each key removed regardless of its size. Then the command does O(N) work in a "
                        + "different thread in order to reclaim memory, where N is the number of allocations the "
                        + "deleted objects where composed of.")
                .handler(this::del));
        t.add(command("exists", -2).flags("readonly fast").keys(1, -1, 1).keyFlags("RO").acl("@keyspace")
                .since("1.0.0").tips(tips(multiShardSum)).summary("Counts how many of the given keys exist.")
                .complexity("O(N) where N is the number of keys to check.")
                .history("3.0.3", "Accepts multiple `key` arguments.").handler(this::exists));
        t.add(command("type", 2).flags("readonly fast").keys(1, 1, 1).keyFlags("RO").acl("@keyspace").since("1.0.0")
                .summary("Names the type of the value at a key.").complexity("O(1)").handler(this::type));
        t.add(command("keys", 2).flags("readonly").acl("@keyspace @dangerous").since("1.0.0")
                .tips("request_policy:all_shards", "nondeterministic_output_order")
                .summary("Lists every key that matches a glob-style pattern.")
                .complexity("O(N) with N being the number of keys in the database, under the assumption that the "
                        + "key names in the database and the given pattern have limited length.")
                .handler(this::keys));
        t.add(command("scan", -2).flags("readonly").acl("@keyspace").since("2.8.0")
                .tips("nondeterministic_output", "request_policy:special")
                .summary("Walks the keys of the database a few at a time with a cursor.")
                .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for "
                        + "the cursor to return back to 0. N is the number of elements inside the collection.")
                .history("6.0.0", "Added the `TYPE` subcommand.").handler(this::scan));
        t.add(command("randomkey", 1).flags("readonly").acl("@keyspace").since("1.0.0")
                .tips("request_policy:all_shards", "nondeterministic_output")
                .summary("Returns a key picked at random.").complexity("O(1)").handler(this::randomkey));
        t.add(command("rename", 3).flags("write").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RW access delete")).keySpec(KeySpec.index(2).flags("OW update"))
                .acl("@keyspace").since("1.0.0").summary("Gives a key a new name, replacing any key that had it.")
                .complexity("O(1)").handler(c -> rename(c, false)));
        t.add(command("renamenx", 3).flags("write fast").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RW access delete")).keySpec(KeySpec.index(2).flags("OW insert"))
                .acl("@keyspace").since("1.0.0").summary("Gives a key a new name unless that name is taken.")
                .complexity("O(1)")
                .history("3.2.0", "The command no longer returns an error when source and destination names are the same.")
                .handler(c -> rename(c, true)));
        t.add(command("copy", -3).flags("write denyoom").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RO access")).keySpec(KeySpec.index(2).flags("OW update"))
                .acl("@keyspace").since("6.2.0")
                .summary("Copies the value of a key to another key, possibly in another database.")
                .complexity("O(N) worst case for collections, where N is the number of nested items. O(1) for string values.")
                .handler(this::copy));
        t.add(command("move", 3).flags("write fast").keys(1, 1, 1).keyFlags("RW access update").acl("@keyspace")
                .since("1.0.0").summary("Moves a key to another database.").complexity("O(1)").handler(this::move));
        t.add(command("expire", -3).flags("write fast").keys(1, 1, 1).keyFlags("RW update").acl("@keyspace")
                .since("1.0.0").summary("Sets a key's time to live in seconds.").complexity("O(1)")
                .history("7.0.0", newOptions).handler(c -> expire(c, Deadline.RELATIVE_SECONDS)));
        t.add(command("pexpire", -3).flags("write fast").keys(1, 1, 1).keyFlags("RW update").acl("@keyspace")
                .since("2.6.0").summary("Sets a key's time to live in milliseconds.").complexity("O(1)")
                .history("7.0.0", newOptions).handler(c -> expire(c, Deadline.RELATIVE_MILLIS)));
        t.add(command("expireat", -3).flags("write fast").keys(1, 1, 1).keyFlags("RW update").acl("@keyspace")
                .since("1.2.0").summary("Sets the Unix time, in seconds, at which a key expires.").complexity("O(1)")
                .history("7.0.0", newOptions).handler(c -> expire(c, Deadline.UNIX_SECONDS)));
        t.add(command("pexpireat", -3).flags("write fast").keys(1, 1, 1).keyFlags("RW update").acl("@keyspace")
                .since("2.6.0").summary("Sets the Unix time, in milliseconds, at which a key expires.")
                .complexity("O(1)").history("7.0.0", newOptions).handler(c -> expire(c, Deadline.UNIX_MILLIS)));
        t.add(command("ttl", 2).flags("readonly fast").keys(1, 1, 1).acl("@keyspace").since("1.0.0")
                .tips("nondeterministic_output").summary("Returns a key's remaining time to live in seconds.")
                .complexity("O(1)").history("2.8.0", "Added the -2 reply.").handler(c -> ttl(c, false, false)));
        t.add(command("pttl", 2).flags("readonly fast").keys(1, 1, 1).acl("@keyspace").since("2.6.0")
                .tips("nondeterministic_output").summary("Returns a key's remaining time to live in milliseconds.")
                .complexity("O(1)").history("2.8.0", "Added the -2 reply.").handler(c -> ttl(c, true, false)));
        t.add(command("expiretime", 2).flags("readonly fast").keys(1, 1, 1).acl("@keyspace").since("7.0.0")
                .summary("Returns the Unix time, in seconds, at which a key expires.").complexity("O(1)")
                .handler(c -> ttl(c, false, true)));
        t.add(command("pexpiretime", 2).flags("readonly fast").keys(1, 1, 1).acl("@keyspace").since("7.0.0")
                .summary("Returns the Unix time, in milliseconds, at which a key expires.").complexity("O(1)")
                .handler(c -> ttl(c, true, true)));
        t.add(command("persist", 2).flags("write fast").keys(1, 1, 1).keyFlags("RW update").acl("@keyspace")
                .since("2.2.0").summary("Makes a key permanent by removing its time to live.").complexity("O(1)")
                .handler(this::persist));
        t.add(command("touch", -2).flags("readonly fast").keys(1, -1, 1).keyFlags("RO").acl("@keyspace")
                .since("3.2.1").tips(tips(multiShardSum)).summary("Marks keys as just accessed; replies with how many exist.")
                .complexity("O(N) where N is the number of keys that will be touched.").handler(this::touch));
        t.add(command("object", -2).since("2.2.3").summary("Inspects how the value of a key is stored.")
                .complexity("Depends on subcommand.")
                .sub(objectSub("encoding", "2.2.3", "Names the internal representation of a key's value.",
                        this::objectEncoding))
                .sub(command("object|help", 2).flags("loading stale").acl("@keyspace").since("6.2.0")
                        .summary("Describes the OBJECT subcommands.").complexity("O(1)").handler(this::objectHelp))
                .sub(objectSub("idletime", "2.2.3", "Returns the seconds since a key was last accessed.",
                        this::objectIdletime))
                .sub(objectSub("freq", "4.0.0", "Returns the logarithmic access-frequency counter of a key.",
                        this::objectFreq))
                .sub(objectSub("refcount", "2.2.3", "Returns how many references the value of a key has.",
                        this::objectRefcount)));
        t.add(command("dbsize", 1).flags("readonly fast").acl("@keyspace").group("server").since("1.0.0")
                .tips("request_policy:all_shards", "response_policy:agg_sum")
                .summary("Returns the number of keys in the selected database.").complexity("O(1)")
                .handler(this::dbsize));
        t.add(command("swapdb", 3).flags("write fast").acl("@keyspace @dangerous").group("server").since("4.0.0")
                .summary("Exchanges the contents of two databases.")
                .complexity("O(N) where N is the count of clients watching or blocking on keys from both databases.")
                .handler(this::swapdb));
        t.add(command("flushdb", -1).flags("write").acl("@keyspace @dangerous").group("server").since("1.0.0")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .summary("Deletes every key of the selected database.")
                .complexity("O(N) where N is the number of keys in the selected database")
                .history("4.0.0", "Added the `ASYNC` flushing mode modifier.")
                .history("6.2.0", "Added the `SYNC` flushing mode modifier.").handler(this::flushdb));
        t.add(command("flushall", -1).flags("write").acl("@keyspace @dangerous").group("server").since("1.0.0")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .summary("Deletes every key of every database.")
                .complexity("O(N) where N is the total number of keys in all databases")
                .history("4.0.0", "Added the `ASYNC` flushing mode modifier.")
                .history("6.2.0", "Added the `SYNC` flushing mode modifier.").handler(this::flushall));
    }

    private static String[] tips(String spaceSeparated) {
        return spaceSeparated.split(" ");
    }

    private static CommandSpec objectSub(String name, String since, String summary, Handler h) {
        return command("object|" + name, 3).flags("readonly").keys(2, 2, 1).keyFlags("RO").acl("@keyspace").since(since)
                .tips("nondeterministic_output").summary(summary).complexity("O(1)").handler(h);
    }

    // ---- existence ----

    void del(Call c) {
        Args a = c.args();
        Db db = c.db();
        int removed = 0;
        for (int i = 1; i < c.argc(); i++) {
            if (db.delete(a.buf(), a.off(i), a.len(i))) {
                c.keyModified(i);
                c.notify(Notifications.GENERIC, Events.DEL, i);
                removed++;
            }
        }
        c.dirty(removed);
        c.reply().integer(removed);
    }

    void exists(Call c) {
        int n = 0;
        for (int i = 1; i < c.argc(); i++) if (c.peek(i) != null) n++;
        c.reply().integer(n);
    }

    void touch(Call c) {
        int n = 0;
        for (int i = 1; i < c.argc(); i++) if (c.read(i) != null) n++;
        c.reply().integer(n);
    }

    void type(Call c) {
        Entry e = c.peek(1);
        c.reply().simple(e == null ? "none" : ValueType.name(e.type()));
    }

    // ---- iteration ----

    void keys(Call c) {
        Args a = c.args();
        byte[] p = a.buf();
        int poff = a.off(1), plen = a.len(1);
        boolean all = Glob.matchesAll(p, poff, plen);
        Keyspace ks = c.server().keyspace();
        int db = c.client().db();
        long now = Clock.now();
        List<byte[]> found = new ArrayList<>();
        ks.lockAll();
        try {
            for (int i = 0; i < Keyspace.STRIPES; i++) {
                Table t = ks.stripe(i).table(db);
                if (t == null || t.size() == 0) continue;
                t.forEach((tb, s) -> {
                    if (expired(tb, s, now)) return;
                    if (all || Glob.match(p, poff, plen, tb.keyArray(s), tb.keyOffset(s), tb.keyLength(s))) {
                        found.add(key(tb, s));
                    }
                });
            }
        } finally {
            ks.unlockAll();
        }
        replyKeys(c.reply(), found);
    }

    void scan(Call c) {
        Args a = c.args();
        long cursor = cursor(a, 1);
        long count = 10;
        int pi = -1;
        byte type = 0;
        boolean typed = false;
        for (int i = 2; i < c.argc(); i++) {
            boolean more = i + 1 < c.argc();
            if (more && a.is(i, "COUNT")) {
                count = a.longValue(++i);
                if (count < 1) throw Errors.SYNTAX;
            } else if (more && a.is(i, "MATCH")) {
                pi = ++i;
            } else if (more && a.is(i, "TYPE")) {
                type = ValueType.byName(a.str(++i)); // an unknown name matches nothing
                typed = true;
            } else {
                throw Errors.SYNTAX;
            }
        }
        byte[] p = a.buf();
        int poff = pi < 0 ? 0 : a.off(pi), plen = pi < 0 ? 0 : a.len(pi);
        boolean all = pi < 0 || Glob.matchesAll(p, poff, plen);
        byte wanted = type;
        boolean filterType = typed;
        List<byte[]> found = new ArrayList<>();
        List<byte[]> expired = new ArrayList<>();
        Keyspace ks = c.server().keyspace();
        int db = c.client().db();
        // cursor = stripe << 32 | position in the stripe table's hash space (see Table.scan)
        int stripe = (int) Math.min(Keyspace.STRIPES, cursor >>> 32);
        long pos = cursor & 0xFFFF_FFFFL;
        int[] visited = {0};
        long now = Clock.now();
        while (stripe < Keyspace.STRIPES && visited[0] < count) {
            ks.stripe(stripe).lock();
            try {
                Table t = ks.stripe(stripe).table(db);
                int budget = (int) Math.min(Integer.MAX_VALUE, count - visited[0]);
                pos = t == null ? Table.SCAN_DONE : t.scan(pos, budget, (tb, s) -> {
                    visited[0]++;
                    if (expired(tb, s, now)) expired.add(key(tb, s));
                    else if (filterType && tb.type(s) != wanted) return;
                    else if (all || Glob.match(p, poff, plen, tb.keyArray(s), tb.keyOffset(s), tb.keyLength(s))) {
                        found.add(key(tb, s));
                    }
                });
                // the walk must not change the table: expired keys found go after it
                Db d = ks.db(db);
                for (byte[] k : expired) d.delete(k, 0, k.length);
                expired.clear();
            } finally {
                ks.stripe(stripe).unlock();
            }
            if (pos >= Table.SCAN_DONE) {
                stripe++;
                pos = 0;
            }
        }
        long next = stripe >= Keyspace.STRIPES ? 0 : ((long) stripe << 32) | pos;
        Reply r = c.reply();
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        replyKeys(r, found);
    }

    /**
     * Parses a SCAN cursor as Redis does (strtoull): an unsigned 64-bit decimal with an optional
     * sign, read up to the first NUL byte; empty means 0; leading spaces are refused.
     */
    static long cursor(Args a, int i) {
        byte[] b = a.buf();
        int p = a.off(i), end = p + a.len(i);
        for (int j = p; j < end; j++) {
            if (b[j] == 0) {
                end = j;
                break;
            }
        }
        if (p == end) return 0;
        if (b[p] == ' ' || (b[p] >= '\t' && b[p] <= '\r')) throw INVALID_CURSOR;
        boolean negative = b[p] == '-';
        if (negative || b[p] == '+') p++;
        if (p == end) throw INVALID_CURSOR;
        long v = 0;
        for (; p < end; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) throw INVALID_CURSOR;
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) throw INVALID_CURSOR;
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    void randomkey(Call c) {
        Keyspace ks = c.server().keyspace();
        Db db = c.db();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] key = null;
        ks.lockAll();
        try {
            long now = Clock.now();
            int expiredDraws = 0;
            for (long size = db.size(); size > 0 && key == null; size = db.size()) {
                long pick = random.nextLong(size);
                Table t = null;
                for (int i = 0; i < Keyspace.STRIPES; i++) {
                    t = ks.stripe(i).table(db.index());
                    if (t == null) continue;
                    if (pick < t.size()) break;
                    pick -= t.size();
                }
                int s = t.randomSlot(random);
                if (!expired(t, s, now)) {
                    key = key(t, s);
                } else if (!ks.expiryHeld()) {
                    ks.removeExpired(db.index(), t, s); // reclaim it and draw again, as Redis does
                } else if (++expiredDraws == RANDOMKEY_PAUSED_TRIES) {
                    // paused: expired keys stay. Redis 7.0 draws forever when all have expired; later
                    // versions give up and return one, as this does
                    key = key(t, s);
                }
            }
        } finally {
            ks.unlockAll();
        }
        if (key == null) c.reply().nullBulk();
        else c.reply().bulk(key);
    }

    private static final int RANDOMKEY_PAUSED_TRIES = 100;

    private static boolean expired(Table t, int s, long now) {
        long at = t.expireAt(s);
        return at != Table.NO_EXPIRE && at <= now;
    }

    private static byte[] key(Table t, int s) {
        int off = t.keyOffset(s);
        return Arrays.copyOfRange(t.keyArray(s), off, off + t.keyLength(s));
    }

    private static void replyKeys(Reply r, List<byte[]> keys) {
        r.array(keys.size());
        for (byte[] k : keys) r.bulk(k);
    }

    // ---- renaming, copying, moving ----

    void rename(Call c, boolean nx) {
        Args a = c.args();
        Entry src = c.find(1);
        if (src == null) throw Errors.NO_SUCH_KEY;
        if (a.equalBytes(1, 2)) {
            if (nx) c.reply().integer(0);
            else c.reply().ok();
            return;
        }
        Entry dst = c.find2(2); // deletes a destination past its deadline, as expired
        if (nx && dst != null) {
            c.reply().integer(0);
            return;
        }
        src = c.again(1);
        if (src == null) throw Errors.NO_SUCH_KEY;
        Db db = c.db();
        db.putFrom(a.buf(), a.off(2), a.len(2), src, false, c.cursor());
        db.delete(a.buf(), a.off(1), a.len(1));
        c.signalReady(2);
        c.keyModified(1);
        c.keyModified(2);
        c.notify(Notifications.GENERIC, Events.RENAME_FROM, 1);
        c.notify(Notifications.GENERIC, Events.RENAME_TO, 2);
        c.dirty(1);
        if (nx) c.reply().integer(1);
        else c.reply().ok();
    }

    void copy(Call c) {
        Args a = c.args();
        Db to = c.db();
        boolean replace = false;
        for (int i = 3; i < c.argc(); i++) {
            if (a.is(i, "REPLACE")) {
                replace = true;
            } else if (a.is(i, "DB") && i + 1 < c.argc()) {
                to = database(c, ++i);
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (to == c.db() && a.equalBytes(1, 2)) throw Errors.SAME_OBJECT;
        Entry src = c.read(1);
        if (src == null) {
            c.reply().integer(0);
            return;
        }
        Entry dst = new Entry();
        if (to.lookup(a.buf(), a.off(2), a.len(2), dst) && !replace) {
            c.reply().integer(0);
            return;
        }
        if (to == c.db()) src = c.again(1);
        if (src == null) { // its deadline passed just now
            c.reply().integer(0);
            return;
        }
        to.putFrom(a.buf(), a.off(2), a.len(2), src, true, dst);
        c.server().blocking().signal(c, to.index(), a.buf(), a.off(2), a.len(2));
        c.keyModified(to.index(), a.buf(), a.off(2), a.len(2));
        c.notify(Notifications.GENERIC, Events.COPY_TO, to.index(), a.buf(), a.off(2), a.len(2));
        c.dirty(1);
        c.reply().integer(1);
    }

    void move(Call c) {
        Args a = c.args();
        Db to = database(c, 2);
        if (to == c.db()) throw Errors.SAME_OBJECT;
        Entry src = c.find(1);
        if (src == null) {
            c.reply().integer(0);
            return;
        }
        Entry dst = new Entry();
        if (to.lookup(a.buf(), a.off(1), a.len(1), dst)) {
            c.reply().integer(0);
            return;
        }
        to.putFrom(a.buf(), a.off(1), a.len(1), src, false, dst);
        c.db().delete(a.buf(), a.off(1), a.len(1));
        c.server().blocking().signal(c, to.index(), a.buf(), a.off(1), a.len(1));
        c.keyModified(1);
        c.keyModified(to.index(), a.buf(), a.off(1), a.len(1));
        c.notify(Notifications.GENERIC, Events.MOVE_FROM, 1);
        c.notify(Notifications.GENERIC, Events.MOVE_TO, to.index(), a.buf(), a.off(1), a.len(1));
        c.dirty(1);
        c.reply().integer(1);
    }

    /** The database numbered by argument {@code i}, with Redis's errors for a bad number. */
    private static Db database(Call c, int i) {
        int n = c.args().intValue(i);
        Keyspace ks = c.server().keyspace();
        if (n < 0 || n >= ks.databases()) throw Errors.DB_INDEX;
        return ks.db(n);
    }

    // ---- time to live ----

    void expire(Call c, Deadline unit) {
        Args a = c.args();
        boolean nx = false, xx = false, gt = false, lt = false;
        for (int i = 3; i < c.argc(); i++) {
            if (a.is(i, "NX")) nx = true;
            else if (a.is(i, "XX")) xx = true;
            else if (a.is(i, "GT")) gt = true;
            else if (a.is(i, "LT")) lt = true;
            else throw new RedisError("ERR Unsupported option " + a.str(i));
        }
        if (nx && (xx || gt || lt)) throw NX_XX_GT_LT;
        if (gt && lt) throw GT_LT;
        long when = deadline(c, a.longValue(2), unit);
        Entry e = c.find(1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        long current = e.expireAt();
        boolean persistent = current == Table.NO_EXPIRE;
        // a key without a deadline counts as living forever for GT and LT
        if ((nx && !persistent) || (xx && persistent) || (gt && (persistent || when <= current))
                || (lt && !persistent && when >= current)) {
            c.reply().integer(0);
            return;
        }
        boolean past = when <= Clock.now();
        if (past) {
            e.remove();
            c.notify(Notifications.GENERIC, Events.DEL, 1);
        } else {
            e.expireAt(when);
        }
        c.keyModified(1);
        c.dirty(1);
        c.reply().integer(1);
        if (!past) c.notify(Notifications.GENERIC, Events.EXPIRE, 1); // after the reply, as Redis
    }

    /** The absolute deadline in milliseconds, refusing values whose arithmetic overflows. */
    private static long deadline(Call c, long when, Deadline unit) {
        boolean seconds = unit == Deadline.RELATIVE_SECONDS || unit == Deadline.UNIX_SECONDS;
        long base = unit == Deadline.RELATIVE_SECONDS || unit == Deadline.RELATIVE_MILLIS ? Clock.now() : 0;
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) throw Errors.invalidExpire(c.spec().fullName());
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) throw Errors.invalidExpire(c.spec().fullName());
        return when + base;
    }

    void ttl(Call c, boolean millis, boolean absolute) {
        Entry e = c.peek(1);
        if (e == null) {
            c.reply().integer(-2);
            return;
        }
        long at = e.expireAt();
        if (at == Table.NO_EXPIRE) {
            c.reply().integer(-1);
            return;
        }
        long v = absolute ? at : Math.max(0, at - Clock.now());
        c.reply().integer(millis ? v : v / 1000 + (v % 1000 >= 500 ? 1 : 0)); // rounded, even near Long.MAX_VALUE
    }

    void persist(Call c) {
        Entry e = c.find(1);
        if (e == null || e.expireAt() == Table.NO_EXPIRE) {
            c.reply().integer(0);
            return;
        }
        e.expireAt(Table.NO_EXPIRE);
        c.keyModified(1);
        c.notify(Notifications.GENERIC, Events.PERSIST, 1);
        c.dirty(1);
        c.reply().integer(1);
    }

    // ---- OBJECT ----

    void objectEncoding(Call c) {
        Entry e = c.inspect(2);
        if (e == null) c.reply().nullBulk();
        else c.reply().bulk(e.encoding());
    }

    void objectRefcount(Call c) {
        Entry e = c.inspect(2);
        if (e == null) c.reply().nullBulk();
        else c.reply().integer(shared(c.server(), e) ? SHARED_REFCOUNT : 1);
    }

    /**
     * True for the small integers Redis keeps as one shared object, which it does unless
     * maxmemory is set with an LRU or LFU policy (those need a clock per key).
     */
    private static boolean shared(Kvasir server, Entry e) {
        if (e.type() != ValueType.STRING || !e.isLong() || e.table().flag(e.slot(), Table.RAW_STRING)) return false;
        long v = e.longValue();
        String policy = server.config().get("maxmemory-policy");
        boolean perKeyClock = policy.endsWith("-lru") || policy.endsWith("-lfu");
        return v >= 0 && v < SHARED_INTEGERS && (server.config().getLong("maxmemory") == 0 || !perKeyClock);
    }

    void objectIdletime(Call c) {
        Entry e = c.inspect(2);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        if (c.server().keyspace().lfu()) throw LFU;
        int now = Clock.lruClock(), then = e.lru();
        c.reply().integer(now >= then ? now - then : now + (0xFFFFFF - then));
    }

    void objectFreq(Call c) {
        Entry e = c.inspect(2);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        Keyspace ks = c.server().keyspace();
        if (!ks.lfu()) throw NO_LFU;
        c.reply().integer(ks.frequency(e.lru()));
    }

    void objectHelp(Call c) {
        Help.reply(c,
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.");
    }

    // ---- databases ----

    void dbsize(Call c) {
        c.reply().integer(c.db().size());
    }

    void swapdb(Call c) {
        Args a = c.args();
        int first = dbIndex(a, 1, "ERR invalid first DB index");
        int second = dbIndex(a, 2, "ERR invalid second DB index");
        Keyspace ks = c.server().keyspace();
        if (first < 0 || first >= ks.databases() || second < 0 || second >= ks.databases()) throw Errors.DB_INDEX;
        if (first != second) {
            ks.lockAll();
            try {
                ks.swap(first, second);
                c.server().blocking().signalDatabases(c, first, second); // their waiters may find values now
            } finally {
                ks.unlockAll();
            }
        }
        c.dirty(1);
        c.reply().ok();
    }

    private static int dbIndex(Args a, int i, String error) {
        try {
            return a.intValue(i);
        } catch (RedisError e) {
            throw new RedisError(error);
        }
    }

    void flushdb(Call c) {
        flush(c, c.db().index(), c.db().index());
    }

    void flushall(Call c) {
        flush(c, 0, c.server().keyspace().databases() - 1);
    }

    /** Empties databases {@code first..last}. ASYNC frees nothing later than SYNC here: the reply is the same. */
    private static void flush(Call c, int first, int last) {
        if (c.argc() > 2 || (c.argc() == 2 && !c.args().is(1, "SYNC") && !c.args().is(1, "ASYNC"))) {
            throw Errors.SYNTAX;
        }
        Keyspace ks = c.server().keyspace();
        long removed = 0;
        ks.lockAll();
        try {
            for (int i = first; i <= last; i++) {
                removed += ks.db(i).size();
                ks.db(i).clear();
            }
            ks.events().flushed();
        } finally {
            ks.unlockAll();
        }
        c.dirty(removed);
        c.reply().ok();
    }
}
