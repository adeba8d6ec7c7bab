package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.pubsub.Notifications;
import io.kvasir.store.Db;
import io.kvasir.store.EncodingLimits;
import io.kvasir.store.Entry;
import io.kvasir.store.SetValue;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * The set family: members under one key ({@link SetValue}, "intset" while all members are
 * integers and few, else "hashtable"), and the algebra across keys (SINTER, SUNION, SDIFF and
 * their STORE forms, SINTERCARD, SMOVE). A set whose last member is removed is deleted.
 */
final class SetCommands implements CommandFamily {
    private static final RedisError MUST_BE_POSITIVE = new RedisError("ERR value is out of range, must be positive");
    private static final RedisError NUMKEYS = new RedisError("ERR numkeys should be greater than 0");
    private static final RedisError TOO_MANY_KEYS = new RedisError("ERR Number of keys can't be greater than number of args");
    private static final RedisError NEGATIVE_LIMIT = new RedisError("ERR LIMIT can't be negative");

    private enum Op { UNION, DIFF }

    @Override
    public void register(CommandTable t) {
        // Complexity and history are reported verbatim by COMMAND DOCS; summaries are our own.
        String intersection = "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
        String total = "O(N) where N is the total number of elements in all given sets.";
        String scanned = "O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                + "cursor to return back to 0. N is the number of elements inside the collection..";
        t.add(set("sadd", -3, "write denyoom fast", "RW insert")
                .summary("Adds members to a set, creating it if needed; replies with how many were new.")
                .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with "
                        + "multiple arguments.")
                .history("2.4.0", "Accepts multiple `member` arguments.").handler(this::sadd));
        t.add(set("srem", -3, "write fast", "RW delete")
                .summary("Removes members from a set; replies with how many were there.")
                .complexity("O(N) where N is the number of members to be removed.")
                .history("2.4.0", "Accepts multiple `member` arguments.").handler(this::srem));
        t.add(set("sismember", 3, "readonly fast", "RO").summary("Tells whether a value is a member of a set.")
                .complexity("O(1)").handler(this::sismember));
        t.add(set("smismember", -3, "readonly fast", "RO access").since("6.2.0")
                .summary("Tells for each of several values whether it is a member of a set.")
                .complexity("O(N) where N is the number of elements being checked for membership")
                .handler(this::smismember));
        t.add(set("scard", 2, "readonly fast", "RO").summary("Counts the members of a set.").complexity("O(1)")
                .handler(this::scard));
        t.add(set("smembers", 2, "readonly", "RO access").tips("nondeterministic_output_order")
                .summary("Lists the members of a set.").complexity("O(N) where N is the set cardinality.")
                .handler(this::smembers));
        t.add(set("srandmember", -2, "readonly", "RO access").tips("nondeterministic_output")
                .summary("Returns random members of a set without removing them.")
                .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value of the "
                        + "passed count.")
                .history("2.6.0", "Added the optional `count` argument.").handler(this::srandmember));
        t.add(set("spop", -2, "write fast", "RW access delete").tips("nondeterministic_output")
                .summary("Removes random members of a set and returns them.")
                .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the passed count.")
                .history("3.2.0", "Added the `count` argument.").handler(this::spop));
        t.add(command("smove", 4).flags("write fast").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RW access delete")).keySpec(KeySpec.index(2).flags("RW insert"))
                .acl("@set").group("set").since("1.0.0").summary("Moves a member from one set to another.")
                .complexity("O(1)").handler(this::smove));
        t.add(algebra("sinter", "Intersects sets.").complexity(intersection).handler(c -> combine(c, 1, null)));
        t.add(command("sintercard", -3).flags("readonly").keys(SetCommands::sintercardKeys)
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RO access")).acl("@set").group("set")
                .since("7.0.0").summary("Counts the members of the intersection of sets, up to a limit.")
                .complexity(intersection).handler(this::sintercard));
        t.add(store("sinterstore", "RW update", "Stores the intersection of sets in a key.").complexity(intersection)
                .handler(c -> combine(c, 2, null)));
        t.add(algebra("sunion", "Unites sets.").complexity(total).handler(c -> combine(c, 1, Op.UNION)));
        t.add(store("sunionstore", "OW update", "Stores the union of sets in a key.").complexity(total)
                .handler(c -> combine(c, 2, Op.UNION)));
        t.add(algebra("sdiff", "Returns the members of a set that no other given set has.").complexity(total)
                .handler(c -> combine(c, 1, Op.DIFF)));
        t.add(store("sdiffstore", "OW update", "Stores the members of a set that no other given set has in a key.")
                .complexity(total).handler(c -> combine(c, 2, Op.DIFF)));
        t.add(set("sscan", -3, "readonly", "RO access").since("2.8.0").tips("nondeterministic_output")
                .summary("Walks the members of a set a few at a time with a cursor.").complexity(scanned)
                .handler(this::sscan));
    }

    private static CommandSpec set(String name, int arity, String flags, String keyFlags) {
        return command(name, arity).flags(flags).keys(1, 1, 1).keyFlags(keyFlags).acl("@set").group("set").since("1.0.0");
    }

    private static CommandSpec algebra(String name, String summary) {
        return command(name, -2).flags("readonly").keys(1, -1, 1).keyFlags("RO access").acl("@set").group("set")
                .since("1.0.0").tips("nondeterministic_output_order").summary(summary);
    }

    /** A STORE form: the destination at 1 (with these flags), the sources from 2 on. */
    private static CommandSpec store(String name, String destinationFlags, String summary) {
        return command(name, -3).flags("write denyoom").keys(1, -1, 1)
                .keySpec(KeySpec.index(1).flags(destinationFlags))
                .keySpec(KeySpec.index(2).range(-1, 1, 0).flags("RO access")).acl("@set").group("set").since("1.0.0")
                .summary(summary);
    }

    /** SINTERCARD's keys: numkeys of them from argument 2; -1 (no locks) when numkeys is bad, the command says why. */
    static int sintercardKeys(Args a, int[] out) {
        long n;
        try {
            n = a.longValue(1);
        } catch (RedisError e) {
            return -1;
        }
        if (n < 1 || n > a.count() - 2) return -1;
        for (int i = 0; i < n; i++) out[i] = 2 + i;
        return (int) n;
    }

    // ---- lookups ----

    private static SetValue setOf(Entry e) {
        return (SetValue) e.expect(ValueType.SET).value();
    }

    /** The set at argument {@code i} for reading, or null when absent; WRONGTYPE for another type. */
    private static SetValue read(Call c, int i) {
        Entry e = c.read(i);
        return e == null ? null : setOf(e);
    }

    private static void store(Call c, int i, SetValue s) {
        Args a = c.args();
        c.db().putObject(a.buf(), a.off(i), a.len(i), s, Table.NO_EXPIRE, c.cursor());
    }

    /** A count that must be a non-negative integer; {@code error} for anything else. */
    private static long nonNegative(Args a, int i, RedisError error) {
        long n;
        try {
            n = a.longValue(i);
        } catch (RedisError e) {
            throw error;
        }
        if (n < 0) throw error;
        return n;
    }

    // ---- one set ----

    void sadd(Call c) {
        Args a = c.args();
        Entry e = c.find(1);
        SetValue s = e == null ? SetValue.forMember(a.buf(), a.off(2), a.len(2)) : setOf(e);
        int added = 0;
        for (int i = 2; i < c.argc(); i++) {
            if (s.add(a.buf(), a.off(i), a.len(i), c.server().keyspace().limits())) added++;
        }
        if (e == null) store(c, 1, s);
        if (added > 0) {
            c.keyModified(1);
            c.notify(Notifications.SET, Events.SADD, 1);
        }
        c.dirty(added);
        c.reply().integer(added);
    }

    void srem(Call c) {
        Args a = c.args();
        Entry e = c.find(1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        SetValue s = setOf(e);
        int removed = 0;
        boolean emptied = false;
        for (int i = 2; i < c.argc() && !emptied; i++) {
            if (s.remove(a.buf(), a.off(i), a.len(i))) removed++;
            emptied = s.size() == 0;
        }
        if (emptied) e.remove();
        if (removed > 0) {
            c.keyModified(1);
            c.notify(Notifications.SET, Events.SREM, 1);
            if (emptied) c.notify(Notifications.GENERIC, Events.DEL, 1);
        }
        c.dirty(removed);
        c.reply().integer(removed);
    }

    void sismember(Call c) {
        Args a = c.args();
        SetValue s = read(c, 1);
        c.reply().integer(s != null && s.contains(a.buf(), a.off(2), a.len(2)) ? 1 : 0);
    }

    void smismember(Call c) {
        Args a = c.args();
        SetValue s = read(c, 1);
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) r.integer(s != null && s.contains(a.buf(), a.off(i), a.len(i)) ? 1 : 0);
    }

    void scard(Call c) {
        SetValue s = read(c, 1);
        c.reply().integer(s == null ? 0 : s.size());
    }

    void smembers(Call c) {
        SetValue s = read(c, 1);
        Reply r = c.reply();
        r.set(s == null ? 0 : s.size());
        if (s != null) s.forEach(r::bulk);
    }

    void srandmember(Call c) {
        if (c.argc() > 3) throw Errors.SYNTAX;
        if (c.argc() == 3) {
            randomMembers(c, RandomPicks.count(c.args(), 2));
            return;
        }
        SetValue s = read(c, 1);
        if (s == null) c.reply().nullBulk();
        else s.member(s.sampler(ThreadLocalRandom.current()).getAsInt(), c.reply()::bulk);
    }

    /**
     * SRANDMEMBER with a count: that many distinct members (all of them, in order, when the count
     * reaches the size), or with a negative count that many draws that may repeat.
     */
    private void randomMembers(Call c, long count) {
        SetValue s = read(c, 1);
        Reply r = c.reply();
        if (s == null) {
            r.array(0);
            return;
        }
        int size = s.size();
        if (count >= size) {
            r.array(size);
            s.forEach(r::bulk);
            return;
        }
        IntSupplier sampler = s.sampler(ThreadLocalRandom.current());
        if (count < 0) {
            r.array((int) -count);
            for (long i = count; i < 0; i++) s.member(sampler.getAsInt(), r::bulk);
            return;
        }
        r.array((int) count);
        for (int h : RandomPicks.distinct(size, (int) count, sampler, s::handles)) s.member(h, r::bulk);
    }

    void spop(Call c) {
        if (c.argc() > 3) throw Errors.SYNTAX;
        if (c.argc() == 3) {
            popMany(c, nonNegative(c.args(), 2, MUST_BE_POSITIVE));
            return;
        }
        Entry e = c.find(1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        SetValue s = setOf(e);
        int h = s.sampler(ThreadLocalRandom.current()).getAsInt();
        c.notify(Notifications.SET, Events.SPOP, 1); // before the reply, as Redis
        s.member(h, c.reply()::bulk);
        s.removeAt(h);
        if (s.size() == 0) {
            e.remove();
            c.notify(Notifications.GENERIC, Events.DEL, 1);
        }
        c.keyModified(1);
        c.dirty(1);
    }

    /** SPOP with a count: the whole set (in order, deleting the key) when the count reaches its size. */
    private void popMany(Call c, long count) {
        Entry e = c.find(1);
        Reply r = c.reply();
        if (e == null) {
            r.set(0);
            return;
        }
        SetValue s = setOf(e);
        int size = s.size();
        if (count > 0) c.notify(Notifications.SET, Events.SPOP, 1); // before the reply, as Redis
        if (count >= size) {
            r.set(size);
            s.forEach(r::bulk);
            e.remove();
            c.keyModified(1);
            c.notify(Notifications.GENERIC, Events.DEL, 1);
            c.dirty(size);
            return;
        }
        r.set((int) count);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (long i = 0; i < count; i++) {
            int h = s.sampler(random).getAsInt(); // handles change with every removal
            s.member(h, r::bulk);
            s.removeAt(h);
        }
        if (count > 0) c.keyModified(1);
        c.dirty(count);
    }

    void sscan(Call c) {
        Args a = c.args();
        long cursor = KeyCommands.cursor(a, 2);
        SetValue s = read(c, 1);
        List<byte[]> found = new ArrayList<>();
        long next = 0;
        if (s != null) {
            ScanOptions options = new ScanOptions(a, 3);
            next = s.scan(cursor, options.count, (b, off, len) -> {
                if (options.matches(b, off, len)) found.add(Arrays.copyOfRange(b, off, off + len));
            });
        }
        Reply r = c.reply();
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(found.size());
        for (byte[] m : found) r.bulk(m);
    }

    // ---- two sets ----

    void smove(Call c) {
        Args a = c.args();
        Entry src = c.find(1);
        if (src == null) {
            c.reply().integer(0);
            return;
        }
        src.expect(ValueType.SET); // before the destination is looked up
        Entry dst = c.find2(2);
        SetValue to = dst == null ? null : setOf(dst);
        // the destination's lookup may have deleted it as expired, moving the source in their table
        src = c.again(1);
        if (src == null) {
            c.reply().integer(0);
            return;
        }
        SetValue from = setOf(src);
        byte[] b = a.buf();
        int off = a.off(3), len = a.len(3);
        if (dst != null && dst.table() == src.table() && dst.slot() == src.slot()) { // one key
            c.reply().integer(from.contains(b, off, len) ? 1 : 0);
            return;
        }
        if (!from.remove(b, off, len)) {
            c.reply().integer(0);
            return;
        }
        // both values are read through their slots: add to an existing destination before a
        // removed or added key can move them
        boolean added = to != null && to.add(b, off, len, c.server().keyspace().limits());
        Db db = c.db();
        c.notify(Notifications.SET, Events.SREM, 1);
        if (from.size() == 0) {
            db.delete(b, a.off(1), a.len(1));
            c.notify(Notifications.GENERIC, Events.DEL, 1);
        }
        c.keyModified(1);
        if (to == null) {
            to = SetValue.forMember(b, off, len);
            to.add(b, off, len, c.server().keyspace().limits());
            store(c, 2, to);
            c.keyModified(2);
            c.notify(Notifications.SET, Events.SADD, 2);
        } else if (added) {
            c.keyModified(2); // as Redis: the destination changed only if it lacked the member
            c.notify(Notifications.SET, Events.SADD, 2);
        }
        c.dirty(1);
        c.reply().integer(1);
    }

    // ---- algebra ----

    /**
     * The sets named from argument {@code from} on (null for absent keys). Every key is type
     * checked, even after an absent one. As in Redis, the STORE forms too read them as reads: keyspace
     * hits and misses are counted, and a missing one notifies "keymiss". Each set is detached
     * ({@link io.kvasir.store.StoredValue#detach}): the next one's lookup may delete an expired key.
     */
    private static SetValue[] sources(Call c, int from, int to) {
        SetValue[] sets = new SetValue[to - from];
        for (int i = from; i < to; i++) {
            Entry e = c.read(i);
            if (e == null) continue;
            sets[i - from] = setOf(e);
            sets[i - from].detach();
        }
        return sets;
    }

    /**
     * SINTER, SUNION, SDIFF ({@code op} null for the intersection) and, with the sources from
     * argument 2, their STORE forms. Results are built as Redis builds them, so a stored result
     * is an intset when it can be; an empty result deletes the destination.
     */
    void combine(Call c, int from, Op op) {
        SetValue[] sets = sources(c, from, c.argc());
        EncodingLimits limits = c.server().keyspace().limits();
        SetValue result = SetValue.empty();
        List<byte[]> ordered = null;
        if (op == null) {
            // the intersection is replied in the order of the smallest set, as Redis walks it
            ordered = new ArrayList<>();
            List<byte[]> out = ordered;
            intersect(sets, 0, (b, off, len) -> out.add(Arrays.copyOfRange(b, off, off + len)));
            if (from == 2) for (byte[] m : out) result.add(m, 0, m.length, limits);
        } else if (op == Op.UNION) {
            for (SetValue s : sets) {
                if (s != null) s.forEach((b, off, len) -> result.add(b, off, len, limits));
            }
        } else if (sets[0] != null) {
            sets[0].forEach((b, off, len) -> {
                for (int i = 1; i < sets.length; i++) if (sets[i] != null && sets[i].contains(b, off, len)) return;
                result.add(b, off, len, limits);
            });
        }
        Reply r = c.reply();
        if (from == 2) {
            storeResult(c, op, result);
        } else if (ordered != null) {
            r.set(ordered.size());
            for (byte[] m : ordered) r.bulk(m);
        } else {
            r.set(result.size());
            result.forEach(r::bulk);
        }
    }

    /**
     * Stores the result of a STORE form at argument 1 and replies with its size; an empty result
     * deletes the key. Notified as Redis does: the store's event after the reply, and "del" before
     * the reply for SINTERSTORE but after it for SUNIONSTORE and SDIFFSTORE.
     */
    private static void storeResult(Call c, Op op, SetValue result) {
        Args a = c.args();
        c.dirty(1);
        if (result.size() > 0) {
            store(c, 1, result);
            c.keyModified(1);
            c.reply().integer(result.size());
            c.notify(Notifications.SET, op == null ? Events.SINTERSTORE
                    : op == Op.UNION ? Events.SUNIONSTORE : Events.SDIFFSTORE, 1);
            return;
        }
        boolean deleted = c.db().delete(a.buf(), a.off(1), a.len(1));
        if (deleted) c.keyModified(1);
        if (deleted && op == null) c.notify(Notifications.GENERIC, Events.DEL, 1);
        c.reply().integer(0);
        if (deleted && op != null) c.notify(Notifications.GENERIC, Events.DEL, 1);
    }

    /**
     * Visits the members of the smallest set that every other set has, at most {@code limit}
     * (0: no limit). Nothing when a set is absent.
     */
    private static int intersect(SetValue[] sets, long limit, SetValue.MemberVisitor out) {
        for (SetValue s : sets) if (s == null) return 0;
        SetValue[] bySize = sets.clone();
        Arrays.sort(bySize, Comparator.comparingInt(SetValue::size)); // stable: equal sizes keep their order
        int[] n = {0};
        bySize[0].forEach((b, off, len) -> {
            if (limit > 0 && n[0] >= limit) return;
            for (int i = 1; i < bySize.length; i++) if (!bySize[i].contains(b, off, len)) return;
            n[0]++;
            out.member(b, off, len);
        });
        return n[0];
    }

    void sintercard(Call c) {
        Args a = c.args();
        long numkeys = nonNegative(a, 1, NUMKEYS);
        if (numkeys == 0) throw NUMKEYS;
        if (numkeys > c.argc() - 2) throw TOO_MANY_KEYS;
        int end = (int) (2 + numkeys);
        long limit = 0;
        for (int i = end; i < c.argc(); i++) {
            if (a.is(i, "LIMIT") && i + 1 < c.argc()) limit = nonNegative(a, ++i, NEGATIVE_LIMIT);
            else throw Errors.SYNTAX;
        }
        c.reply().integer(intersect(sources(c, 2, end), limit, (b, off, len) -> { }));
    }
}
