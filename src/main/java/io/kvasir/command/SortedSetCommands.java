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
import io.kvasir.store.Glob;
import io.kvasir.store.SetValue;
import io.kvasir.store.StoredValue;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;
import io.kvasir.store.ZSet;
import io.kvasir.store.ZSetOps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sorted set family (ZADD ... ZSCAN, and the blocking pops BZPOPMIN, BZPOPMAX, BZMPOP).
 * The sets themselves are {@link ZSet}s; this class parses, looks up, checks types and replies.
 *
 * <p>Every range command turns its bounds into ranks of the set (see {@link ZSet}): a score range
 * [min, max] is ranks {@code countBelow(min)} to {@code countBelow(max, inclusive)}, a LIMIT then
 * cuts that rank interval, and the members are visited in order or in reverse.
 */
final class SortedSetCommands implements CommandFamily {
    private static final RedisError NAN = new RedisError("ERR resulting score is not a number (NaN)");
    private static final RedisError XX_NX = new RedisError("ERR XX and NX options at the same time are not compatible");
    private static final RedisError GT_LT_NX =
            new RedisError("ERR GT, LT, and/or NX options at the same time are not compatible");
    private static final RedisError INCR_PAIR = new RedisError("ERR INCR option supports a single increment-element pair");
    private static final RedisError NOT_FLOAT_RANGE = new RedisError("ERR min or max is not a float");
    private static final RedisError NOT_LEX_RANGE = new RedisError("ERR min or max not valid string range item");
    private static final RedisError LIMIT_WITH_RANK = new RedisError(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    private static final RedisError WITHSCORES_WITH_LEX =
            new RedisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    private static final RedisError WEIGHT = new RedisError("ERR weight value is not a float");
    private static final RedisError LIMIT_NEGATIVE = new RedisError("ERR LIMIT can't be negative");
    private static final RedisError NUMKEYS = new RedisError("ERR numkeys should be greater than 0");
    private static final RedisError COUNT = new RedisError("ERR count should be greater than 0");
    private static final RedisError POSITIVE = new RedisError("ERR value is out of range, must be positive");
    private static final RedisError OUT_OF_RANGE = new RedisError("ERR value is out of range");
    private static final RedisError RANDOM_COUNT_RANGE = new RedisError(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");

    private static final String LOG_N = "O(log(N)) with N being the number of elements in the sorted set.";
    private static final String RANGE_M = "O(log(N)+M) with N being the number of elements in the sorted set and M the "
            + "number of elements returned.";
    private static final String RANGE_LIMIT = "O(log(N)+M) with N being the number of elements in the sorted set and M "
            + "the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements "
            + "with LIMIT), you can consider it O(log(N)).";
    private static final String REMOVE_M = "O(log(N)+M) with N being the number of elements in the sorted set and M "
            + "the number of elements removed by the operation.";
    private static final String POP = "O(log(N)*M) with N being the number of elements in the sorted set, and M being "
            + "the number of elements popped.";
    private static final String MPOP = "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number"
            + " of elements in the sorted set, and M being the number of elements popped.";
    private static final String DOUBLE_TIMEOUT = "`timeout` is interpreted as a double instead of an integer.";
    private static final String UNION = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, "
            + "and M being the number of elements in the resulting sorted set.";
    private static final String INTER = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K "
            + "being the number of input sorted sets and M being the number of elements in the resulting sorted set.";
    private static final String DIFF = "O(L + (N-K)log(N)) worst case where L is the total number of elements in all "
            + "the sets, N is the size of the first set, and K is the size of the result set.";

    /** How ZRANGE and its variants address members. */
    private enum By { AUTO, RANK, SCORE, LEX }

    @Override
    public void register(CommandTable t) {
        t.add(zset("zadd", -4, "write denyoom fast", "1.2.0").keyFlags("RW update")
                .summary("Adds members to a sorted set, or updates their scores; creates the key if needed.")
                .complexity("O(log(N)) for each item added, where N is the number of elements in the sorted set.")
                .history("2.4.0", "Accepts multiple elements.")
                .history("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options.")
                .history("6.2.0", "Added the `GT` and `LT` options.").handler(c -> add(c, false)));
        t.add(zset("zincrby", 4, "write denyoom fast", "1.2.0").keyFlags("RW access update")
                .summary("Adds an increment to the score of a member, creating it if needed.")
                .complexity("O(log(N)) where N is the number of elements in the sorted set.").handler(c -> add(c, true)));
        t.add(zset("zscore", 3, "readonly fast", "1.2.0").summary("Returns the score of a member.")
                .complexity("O(1)").handler(this::score));
        t.add(zset("zmscore", -3, "readonly fast", "6.2.0").summary("Returns the scores of several members.")
                .complexity("O(N) where N is the number of members being requested.").handler(this::mscore));
        t.add(zset("zcard", 2, "readonly fast", "1.2.0").keyFlags("RO").summary("Returns the number of members.")
                .complexity("O(1)").handler(this::card));
        t.add(zset("zcount", 4, "readonly fast", "2.0.0").summary("Counts the members whose score lies in a range.")
                .complexity(LOG_N).handler(this::count));
        t.add(zset("zlexcount", 4, "readonly fast", "2.8.9")
                .summary("Counts the members in a lexicographic range (for members of equal score).")
                .complexity(LOG_N).handler(this::lexCount));
        t.add(zset("zrange", -4, "readonly", "1.2.0").summary("Returns members by rank, score or lexicographic range.")
                .complexity(RANGE_M).history("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")
                .handler(c -> range(c, false, By.AUTO, false, true)));
        t.add(command("zrangestore", -5).flags("write denyoom").keys(1, 2, 1).acl("@sortedset").group("sorted-set")
                .keySpec(KeySpec.index(1).flags("OW update")).keySpec(KeySpec.index(2).flags("RO access"))
                .since("6.2.0").summary("Stores a range of members of a sorted set into another key.")
                .complexity("O(log(N)+M) with N being the number of elements in the sorted set and M the number of "
                        + "elements stored into the destination key.")
                .handler(c -> range(c, true, By.AUTO, false, true)));
        t.add(zset("zrangebyscore", -4, "readonly", "1.0.5").summary("Returns members whose score lies in a range.")
                .complexity(RANGE_LIMIT).deprecated("6.2.0", "`ZRANGE` with the `BYSCORE` argument")
                .history("2.0.0", "Added the `WITHSCORES` modifier.")
                .handler(c -> range(c, false, By.SCORE, false, false)));
        t.add(zset("zrevrangebyscore", -4, "readonly", "2.2.0")
                .summary("Returns members whose score lies in a range, highest first.")
                .complexity(RANGE_LIMIT).deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments")
                .history("2.1.6", "`min` and `max` can be exclusive.")
                .handler(c -> range(c, false, By.SCORE, true, false)));
        t.add(zset("zrangebylex", -4, "readonly", "2.8.9")
                .summary("Returns members in a lexicographic range (for members of equal score).")
                .complexity(RANGE_LIMIT).deprecated("6.2.0", "`ZRANGE` with the `BYLEX` argument")
                .handler(c -> range(c, false, By.LEX, false, false)));
        t.add(zset("zrevrangebylex", -4, "readonly", "2.8.9")
                .summary("Returns members in a lexicographic range, last first (for members of equal score).")
                .complexity(RANGE_LIMIT).deprecated("6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments")
                .handler(c -> range(c, false, By.LEX, true, false)));
        t.add(zset("zrevrange", -4, "readonly", "1.2.0").summary("Returns members by rank, highest score first.")
                .complexity(RANGE_M).deprecated("6.2.0", "`ZRANGE` with the `REV` argument")
                .handler(c -> range(c, false, By.RANK, true, false)));
        t.add(zset("zrank", 3, "readonly fast", "2.0.0").summary("Returns the rank of a member, lowest score first.")
                .complexity("O(log(N))").handler(c -> rank(c, false)));
        t.add(zset("zrevrank", 3, "readonly fast", "2.0.0").summary("Returns the rank of a member, highest score first.")
                .complexity("O(log(N))").handler(c -> rank(c, true)));
        t.add(zset("zrem", -3, "write fast", "1.2.0").keyFlags("RW delete")
                .summary("Removes members; deletes the key when none is left.")
                .complexity("O(M*log(N)) with N being the number of elements in the sorted set and M the number of "
                        + "elements to be removed.")
                .history("2.4.0", "Accepts multiple elements.").handler(this::rem));
        t.add(zset("zremrangebyrank", 4, "write", "2.0.0").keyFlags("RW delete")
                .summary("Removes the members in a range of ranks.").complexity(REMOVE_M)
                .handler(c -> removeRange(c, By.RANK)));
        t.add(zset("zremrangebyscore", 4, "write", "1.2.0").keyFlags("RW delete")
                .summary("Removes the members whose score lies in a range.").complexity(REMOVE_M)
                .handler(c -> removeRange(c, By.SCORE)));
        t.add(zset("zremrangebylex", 4, "write", "2.8.9").keyFlags("RW delete")
                .summary("Removes the members in a lexicographic range (for members of equal score).")
                .complexity(REMOVE_M).handler(c -> removeRange(c, By.LEX)));
        t.add(zset("zpopmin", -2, "write fast", "5.0.0").keyFlags("RW access delete")
                .summary("Removes and returns the members with the lowest scores.").complexity(POP)
                .handler(c -> pop(c, false)));
        t.add(zset("zpopmax", -2, "write fast", "5.0.0").keyFlags("RW access delete")
                .summary("Removes and returns the members with the highest scores.").complexity(POP)
                .handler(c -> pop(c, true)));
        t.add(command("zmpop", -4).flags("write").keys(SortedSetCommands::numkeysKeys).acl("@sortedset")
                .group("sorted-set").keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RW access delete"))
                .since("7.0.0").summary("Pops the lowest or highest scoring members of the first non-empty sorted set.")
                .complexity(MPOP).handler(this::mpop));
        t.add(command("bzpopmin", -3).flags("write noscript blocking fast").keys(1, -2, 1).keyFlags("RW access delete")
                .acl("@sortedset").group("sorted-set").since("5.0.0")
                .summary("Pops the member with the lowest score of the first non-empty sorted set, waiting for one if needed.")
                .complexity(LOG_N).history("6.0.0", DOUBLE_TIMEOUT).handler(c -> blockingPop(c, false)));
        t.add(command("bzpopmax", -3).flags("write noscript blocking fast").keys(1, -2, 1).keyFlags("RW access delete")
                .acl("@sortedset").group("sorted-set").since("5.0.0")
                .summary("Pops the member with the highest score of the first non-empty sorted set, waiting for one if needed.")
                .complexity(LOG_N).history("6.0.0", DOUBLE_TIMEOUT).handler(c -> blockingPop(c, true)));
        t.add(command("bzmpop", -5).flags("write blocking").keys((a, out) -> keysAfterCount(a, 2, out, 0))
                .acl("@sortedset").group("sorted-set").keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access delete"))
                .since("7.0.0").summary("Pops members of the first non-empty sorted set as ZMPOP does, waiting for one if needed.")
                .complexity(MPOP).handler(this::blockingMpop));
        t.add(zset("zrandmember", -2, "readonly", "6.2.0").tips("nondeterministic_output")
                .summary("Returns random members.").complexity("O(N) where N is the number of elements returned")
                .handler(this::randMember));
        t.add(numkeys("zunion", "6.2.0", "Returns the union of sorted sets.", UNION).handler(c -> setOp(c, Op.UNION, false)));
        t.add(numkeys("zinter", "6.2.0", "Returns the intersection of sorted sets.", INTER)
                .handler(c -> setOp(c, Op.INTER, false)));
        t.add(numkeys("zdiff", "6.2.0", "Returns the members of the first sorted set that no other has.", DIFF)
                .handler(c -> setOp(c, Op.DIFF, false)));
        t.add(numkeys("zintercard", "7.0.0", "Counts the members of the intersection of sorted sets.",
                "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.")
                .handler(c -> setOp(c, Op.INTERCARD, false)));
        t.add(storeCommand("zunionstore", "2.0.0", "Stores the union of sorted sets into a key.",
                "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number "
                        + "of elements in the resulting sorted set.")
                .handler(c -> setOp(c, Op.UNION, true)));
        t.add(storeCommand("zinterstore", "2.0.0", "Stores the intersection of sorted sets into a key.", INTER)
                .handler(c -> setOp(c, Op.INTER, true)));
        t.add(storeCommand("zdiffstore", "6.2.0",
                "Stores the members of the first sorted set that no other has into a key.", DIFF)
                .handler(c -> setOp(c, Op.DIFF, true)));
        t.add(zset("zscan", -3, "readonly", "2.8.0").tips("nondeterministic_output")
                .summary("Walks the members and scores of a sorted set a few at a time with a cursor.")
                .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for "
                        + "the cursor to return back to 0. N is the number of elements inside the collection..")
                .handler(this::scan));
    }

    /** A command on the one key at argument 1. */
    private static CommandSpec zset(String name, int arity, String flags, String since) {
        return command(name, arity).flags(flags).keys(1, 1, 1).acl("@sortedset").group("sorted-set").since(since);
    }

    /** ZUNION, ZINTER, ZDIFF, ZINTERCARD: numkeys at 1, the keys after it. */
    private static CommandSpec numkeys(String name, String since, String summary, String complexity) {
        return command(name, -3).flags("readonly").keys(SortedSetCommands::numkeysKeys).acl("@sortedset")
                .group("sorted-set").keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RO access")).since(since)
                .summary(summary).complexity(complexity);
    }

    /** ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: the destination at 1, numkeys at 2, the keys after it. */
    private static CommandSpec storeCommand(String name, String since, String summary, String complexity) {
        return command(name, -4).flags("write denyoom").keys(1, 1, 1).keys(SortedSetCommands::storeKeys)
                .acl("@sortedset").group("sorted-set").keySpec(KeySpec.index(1).flags("OW update"))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access")).since(since).summary(summary)
                .complexity(complexity);
    }

    /** Keys of "CMD numkeys key..." (ZMPOP too); -1 when numkeys is bad, which the command reports first. */
    static int numkeysKeys(Args a, int[] out) {
        return keysAfterCount(a, 1, out, 0);
    }

    /** Keys of "CMD destination numkeys key...". */
    static int storeKeys(Args a, int[] out) {
        out[0] = 1;
        return keysAfterCount(a, 2, out, 1);
    }

    private static int keysAfterCount(Args a, int at, int[] out, int n) {
        long keys;
        try {
            keys = a.longValue(at);
        } catch (RedisError e) {
            return -1;
        }
        if (keys < 1 || keys > a.count() - at - 1) return -1;
        for (int i = 0; i < keys; i++) out[n++] = at + 1 + i;
        return n;
    }

    // ---- lookups ----

    /** The sorted set at argument {@code i} for reading (hit/miss counted), or null. */
    private static ZSet read(Call c, int i) {
        Entry e = c.read(i);
        return e == null ? null : (ZSet) e.expect(ValueType.ZSET).value();
    }

    /**
     * A sorted set, or a plain set (whose members score 1), at argument {@code i} for reading; or
     * null. Detached ({@link StoredValue#detach}): the next input's lookup may delete an expired key.
     */
    private static ZSetOps.Input input(Call c, int i) {
        Entry e = c.read(i);
        if (e == null) return null;
        StoredValue v = e.type() == ValueType.SET ? e.value() : e.expect(ValueType.ZSET).value();
        v.detach();
        return v instanceof SetValue s ? ZSetOps.of(s) : (ZSet) v;
    }

    /** The key at argument {@code i} for writing, or null; WRONGTYPE unless it holds a sorted set. */
    private static Entry write(Call c, int i) {
        Entry e = c.find(i);
        return e == null ? null : e.expect(ValueType.ZSET);
    }

    private static long maxEntries(Call c) { return c.server().keyspace().limits().zsetMaxEntries(); }

    private static long maxValue(Call c) { return c.server().keyspace().limits().zsetMaxValue(); }

    /**
     * Stores a set built by a command under argument {@code i}, or deletes the key if the set is
     * empty, and replies with its size; then notifies {@code event} (or "del"), after the reply as
     * Redis does.
     */
    private static void store(Call c, int i, ZSet z, byte[] event) {
        Args a = c.args();
        if (z.size() == 0) {
            boolean deleted = c.db().delete(a.buf(), a.off(i), a.len(i));
            if (deleted) {
                c.keyModified(i);
                c.dirty(1);
            }
            c.reply().integer(0);
            if (deleted) c.notify(Notifications.GENERIC, Events.DEL, i);
            return;
        }
        c.db().putObject(a.buf(), a.off(i), a.len(i), z, Table.NO_EXPIRE, c.cursor());
        c.signalReady(i);
        c.keyModified(i);
        c.dirty(1);
        c.reply().integer(z.size());
        c.notify(Notifications.ZSET, event, i);
    }

    /** Deletes the key in argument {@code i} if its set was emptied ("del"). */
    private static void removeIfEmpty(Call c, Entry e, ZSet z, int i) {
        if (z.size() > 0) return;
        e.remove();
        c.notify(Notifications.GENERIC, Events.DEL, i);
    }

    // ---- adding ----

    /** ZADD, and ZINCRBY (ZADD INCR with the increment first: options are parsed the same way). */
    void add(Call c, boolean incrCommand) {
        Args a = c.args();
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = incrCommand;
        int i = 2;
        for (; i < c.argc(); i++) {
            if (a.is(i, "NX")) nx = true;
            else if (a.is(i, "XX")) xx = true;
            else if (a.is(i, "CH")) ch = true;
            else if (a.is(i, "INCR")) incr = true;
            else if (a.is(i, "GT")) gt = true;
            else if (a.is(i, "LT")) lt = true;
            else break;
        }
        int args = c.argc() - i;
        if (args == 0 || args % 2 != 0) throw Errors.SYNTAX;
        int pairs = args / 2;
        if (nx && xx) throw XX_NX;
        if ((gt && nx) || (lt && nx) || (gt && lt)) throw GT_LT_NX;
        if (incr && pairs > 1) throw INCR_PAIR;
        double[] scores = new double[pairs];
        for (int j = 0; j < pairs; j++) scores[j] = a.doubleValue(i + 2 * j);
        Entry e = write(c, 1);
        if (e == null && xx) {
            if (incr) c.reply().nullBulk();
            else c.reply().integer(0);
            return;
        }
        ZSet z = e == null ? ZSet.create() : (ZSet) e.value();
        ZSet before = z;
        long added = 0, updated = 0, maxEntries = maxEntries(c), maxValue = maxValue(c);
        boolean processed = false;
        double last = 0;
        byte[] b = a.buf();
        for (int j = 0; j < pairs; j++) {
            int m = i + 2 * j + 1;
            double score = scores[j];
            double current = z.score(b, a.off(m), a.len(m));
            if (!Double.isNaN(current)) {
                if (nx) continue;
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) throw NAN;
                }
                if ((lt && score >= current) || (gt && score <= current)) continue;
                processed = true;
                last = score;
                if (score != current) {
                    z.put(b, a.off(m), a.len(m), score);
                    updated++;
                }
            } else if (!xx) {
                z = z.withRoomFor(a.len(m), maxEntries, maxValue);
                z.put(b, a.off(m), a.len(m), score);
                added++;
                processed = true;
                last = score;
            }
        }
        if (e == null) {
            if (z.size() > 0) c.db().putObject(b, a.off(1), a.len(1), z, Table.NO_EXPIRE, c.cursor());
        } else if (z != before) {
            e.table().setObject(e.slot(), z);
        }
        if (added > 0) c.signalReady(1);
        if (added + updated > 0) c.keyModified(1);
        c.dirty(added + updated);
        if (!incr) c.reply().integer(ch ? added + updated : added);
        else if (processed) c.reply().dbl(last);
        else c.reply().nullBulk();
        // after the reply, as Redis
        if (added + updated > 0) c.notify(Notifications.ZSET, incr ? Events.ZINCR : Events.ZADD, 1);
    }

    // ---- single members ----

    void score(Call c) {
        ZSet z = read(c, 1);
        Args a = c.args();
        double s = z == null ? Double.NaN : z.score(a.buf(), a.off(2), a.len(2));
        if (Double.isNaN(s)) c.reply().nullBulk();
        else c.reply().dbl(s);
    }

    void mscore(Call c) {
        ZSet z = read(c, 1);
        Args a = c.args();
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            double s = z == null ? Double.NaN : z.score(a.buf(), a.off(i), a.len(i));
            if (Double.isNaN(s)) r.nullBulk();
            else r.dbl(s);
        }
    }

    void card(Call c) {
        ZSet z = read(c, 1);
        c.reply().integer(z == null ? 0 : z.size());
    }

    void rank(Call c, boolean reverse) {
        ZSet z = read(c, 1);
        Args a = c.args();
        int r = z == null ? -1 : z.rank(a.buf(), a.off(2), a.len(2));
        if (r < 0) c.reply().nullBulk();
        else c.reply().integer(reverse ? z.size() - 1 - r : r);
    }

    void rem(Call c) {
        Entry e = write(c, 1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        ZSet z = (ZSet) e.value();
        Args a = c.args();
        int removed = 0;
        for (int i = 2; i < c.argc() && z.size() > 0; i++) {
            if (z.remove(a.buf(), a.off(i), a.len(i))) removed++;
        }
        if (removed > 0) {
            c.keyModified(1);
            c.notify(Notifications.ZSET, Events.ZREM, 1);
        }
        removeIfEmpty(c, e, z, 1);
        c.dirty(removed);
        c.reply().integer(removed);
    }

    // ---- ranges ----

    /** A parsed range: score bounds, or lexicographic ones (null for "-" and "+"), with exclusivity. */
    private static final class Bounds {
        double min, max;
        byte[] buf;
        int minOff, minLen, maxOff, maxLen;
        boolean minEx, maxEx, minInf, maxInf, minNegInf, maxNegInf;

        /** The first rank in the range. */
        int from(ZSet z, By by) {
            if (by == By.SCORE) return z.countBelow(min, minEx);
            if (minNegInf) return 0;
            if (minInf) return z.size();
            return z.countBelow(buf, minOff, minLen, minEx);
        }

        /** The rank after the last one in the range. */
        int to(ZSet z, By by) {
            if (by == By.SCORE) return z.countBelow(max, !maxEx);
            if (maxInf) return z.size();
            if (maxNegInf) return 0;
            return z.countBelow(buf, maxOff, maxLen, !maxEx);
        }
    }

    /** Parses a score range as Redis does: "(" for exclusive, then what strtod reads up to the end or a NUL. */
    private static Bounds scoreBounds(Args a, int minArg, int maxArg) {
        Bounds r = new Bounds();
        Strtod s = new Strtod();
        r.minEx = exclusive(a, minArg);
        r.min = scoreBound(a, minArg, r.minEx, s);
        r.maxEx = exclusive(a, maxArg);
        r.max = scoreBound(a, maxArg, r.maxEx, s);
        return r;
    }

    private static boolean exclusive(Args a, int i) {
        return a.len(i) > 0 && a.buf()[a.off(i)] == '(';
    }

    private static double scoreBound(Args a, int i, boolean exclusive, Strtod s) {
        int off = a.off(i) + (exclusive ? 1 : 0), len = a.len(i) - (exclusive ? 1 : 0);
        s.parse(a.buf(), off, len);
        if ((s.end != off + len && a.buf()[s.end] != 0) || Double.isNaN(s.value)) throw NOT_FLOAT_RANGE;
        return s.value;
    }

    /** Parses a lexicographic range: "-", "+", or "[member" / "(member". */
    private static Bounds lexBounds(Args a, int minArg, int maxArg) {
        Bounds r = new Bounds();
        r.buf = a.buf();
        int kind = lexItem(a, minArg);
        int kind2 = lexItem(a, maxArg);
        if (kind < 0 || kind2 < 0) throw NOT_LEX_RANGE;
        r.minNegInf = kind == '-';
        r.minInf = kind == '+';
        r.minEx = kind == '(';
        r.minOff = a.off(minArg) + 1;
        r.minLen = a.len(minArg) - 1;
        r.maxNegInf = kind2 == '-';
        r.maxInf = kind2 == '+';
        r.maxEx = kind2 == '(';
        r.maxOff = a.off(maxArg) + 1;
        r.maxLen = a.len(maxArg) - 1;
        return r;
    }

    /** The kind of a lexicographic bound ('-', '+', '(', '['), or -1 for an invalid one. */
    private static int lexItem(Args a, int i) {
        if (a.len(i) == 0) return -1;
        byte[] b = a.buf();
        byte first = b[a.off(i)];
        return switch (first) {
            // Redis reads the argument as a C string: "+" may be followed by a NUL and anything
            case '+', '-' -> a.len(i) == 1 || b[a.off(i) + 1] == 0 ? first : -1;
            case '(', '[' -> first;
            default -> -1;
        };
    }

    void count(Call c) {
        Bounds r = scoreBounds(c.args(), 2, 3);
        ZSet z = read(c, 1);
        c.reply().integer(z == null ? 0 : Math.max(0, r.to(z, By.SCORE) - r.from(z, By.SCORE)));
    }

    void lexCount(Call c) {
        Bounds r = lexBounds(c.args(), 2, 3);
        ZSet z = read(c, 1);
        c.reply().integer(z == null ? 0 : Math.max(0, r.to(z, By.LEX) - r.from(z, By.LEX)));
    }

    /**
     * The ZRANGE family. {@code store}: ZRANGESTORE (destination at 1, source at 2). {@code by} and
     * {@code reverse} are fixed by the command, or left to the options when {@code options} (ZRANGE,
     * ZRANGESTORE accept BYSCORE, BYLEX and REV).
     */
    void range(Call c, boolean store, By by, boolean reverse, boolean options) {
        Args a = c.args();
        int src = store ? 2 : 1;
        boolean withScores = false, directionSet = !options;
        long offset = 0, limit = -1;
        for (int j = src + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (!store && a.is(j, "WITHSCORES")) {
                withScores = true;
            } else if (a.is(j, "LIMIT") && left >= 2) {
                offset = a.longValue(j + 1);
                limit = a.longValue(j + 2);
                j += 2;
            } else if (!directionSet && a.is(j, "REV")) {
                reverse = true;
                directionSet = true;
            } else if (by == By.AUTO && a.is(j, "BYLEX")) {
                by = By.LEX;
            } else if (by == By.AUTO && a.is(j, "BYSCORE")) {
                by = By.SCORE;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (by == By.AUTO) by = By.RANK;
        if (limit != -1 && by == By.RANK) throw LIMIT_WITH_RANK;
        if (withScores && by == By.LEX) throw WITHSCORES_WITH_LEX;
        int minArg = src + 1, maxArg = src + 2;
        if (reverse && by != By.RANK) {
            minArg = src + 2;
            maxArg = src + 1;
        }
        long start = 0, end = 0;
        Bounds bounds = null;
        switch (by) {
            case SCORE -> bounds = scoreBounds(a, minArg, maxArg);
            case LEX -> bounds = lexBounds(a, minArg, maxArg);
            default -> {
                start = a.longValue(minArg);
                end = a.longValue(maxArg);
            }
        }
        ZSet z = read(c, src);
        int from = 0, to = 0;
        if (z != null) {
            int size = z.size();
            if (by == By.RANK) {
                if (start < 0) start += size;
                if (end < 0) end += size;
                if (start < 0) start = 0;
                if (start <= end && start < size) {
                    if (end >= size) end = size - 1;
                    // a reversed rank range counts from the top
                    from = (int) (reverse ? size - 1 - end : start);
                    to = (int) (reverse ? size - start : end + 1);
                }
            } else {
                int lo = bounds.from(z, by), hi = bounds.to(z, by);
                if (offset >= 0 && lo < hi) {
                    long n = hi - lo - Math.min(offset, hi - lo);
                    if (limit >= 0) n = Math.min(n, limit);
                    // a reversed range starts at its top end
                    from = (int) (reverse ? hi - Math.min(offset, hi - lo) - n : lo + Math.min(offset, hi - lo));
                    to = (int) (from + n);
                }
            }
        }
        if (store) {
            ZSetOps.Builder builder = new ZSetOps.Builder();
            if (z != null) z.visit(from, to, reverse, builder);
            store(c, 1, builder.build(maxEntries(c), maxValue(c)), Events.ZRANGESTORE);
            return;
        }
        replyMembers(c.reply(), z, from, to, reverse, withScores);
    }

    /** The members at ranks [from, to) as an array, with scores as RESP3 pairs or RESP2 flat. */
    private static void replyMembers(Reply r, ZSet z, int from, int to, boolean reverse, boolean withScores) {
        int n = Math.max(0, to - from);
        boolean pairs = withScores && r.resp3();
        r.array(withScores && !pairs ? n * 2 : n);
        if (n == 0) return;
        z.visit(from, to, reverse, (b, off, len, s) -> {
            if (pairs) r.array(2);
            r.bulk(b, off, len);
            if (withScores) r.dbl(s);
        });
    }

    void removeRange(Call c, By by) {
        Args a = c.args();
        long start = 0, end = 0;
        Bounds bounds = null;
        switch (by) {
            case SCORE -> bounds = scoreBounds(a, 2, 3);
            case LEX -> bounds = lexBounds(a, 2, 3);
            default -> {
                start = a.longValue(2);
                end = a.longValue(3);
            }
        }
        Entry e = write(c, 1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        ZSet z = (ZSet) e.value();
        int size = z.size(), from = 0, to = 0;
        if (by == By.RANK) {
            if (start < 0) start += size;
            if (end < 0) end += size;
            if (start < 0) start = 0;
            if (start <= end && start < size) {
                from = (int) start;
                to = (int) Math.min(end, size - 1) + 1;
            }
        } else {
            from = bounds.from(z, by);
            to = Math.max(from, bounds.to(z, by));
        }
        z.removeRange(from, to);
        if (to > from) {
            c.keyModified(1);
            c.notify(Notifications.ZSET, by == By.SCORE ? Events.ZREMRANGEBYSCORE
                    : by == By.LEX ? Events.ZREMRANGEBYLEX : Events.ZREMRANGEBYRANK, 1);
        }
        removeIfEmpty(c, e, z, 1);
        c.dirty(to - from);
        c.reply().integer(to - from);
    }

    // ---- popping ----

    void pop(Call c, boolean max) {
        if (c.argc() > 3) throw Errors.SYNTAX;
        long count = -1;
        if (c.argc() == 3) {
            try {
                count = c.args().longValue(2);
            } catch (RedisError e) {
                throw POSITIVE;
            }
            if (count < 0) throw POSITIVE;
        }
        Entry e = write(c, 1);
        if (e == null || count == 0) {
            c.reply().array(0);
            return;
        }
        Reply r = c.reply();
        int n = (int) Math.min(count < 0 ? 1 : count, ((ZSet) e.value()).size());
        boolean pairs = count >= 0 && r.resp3();
        r.array(pairs ? n : 2 * n);
        Args a = c.args();
        popInto(c, e, a.buf(), a.off(1), a.len(1), max, n, pairs, r);
    }

    /**
     * Replies with and removes the {@code n} lowest (or highest) members of the set at {@code e}, key
     * {@code key}; deletes the key if emptied.
     */
    private static void popInto(Call c, Entry e, byte[] key, int off, int len, boolean max, int n, boolean pairs,
            Reply r) {
        ZSet z = (ZSet) e.value();
        int size = z.size();
        int from = max ? size - n : 0, to = max ? size : n;
        int db = e.db().index();
        // Redis notifies between the reply's header (written by the caller) and its members
        c.notify(Notifications.ZSET, max ? Events.ZPOPMAX : Events.ZPOPMIN, db, key, off, len);
        z.visit(from, to, max, (b, moff, mlen, s) -> {
            if (pairs) r.array(2);
            r.bulk(b, moff, mlen);
            r.dbl(s);
        });
        z.removeRange(from, to);
        c.keyModified(e);
        if (z.size() == 0) {
            e.remove();
            c.notify(Notifications.GENERIC, Events.DEL, db, key, off, len);
        }
        c.dirty(n);
    }

    void mpop(Call c) {
        Mpop m = mpopArgs(c, 1);
        if (!mpopFirst(c, m)) c.reply().nullArray();
    }

    /** The arguments of ZMPOP and BZMPOP from numkeys on: the keys, MIN|MAX, [COUNT count]. */
    private record Mpop(int firstKey, int lastKey, boolean max, long count) {}

    private static Mpop mpopArgs(Call c, int numkeysAt) {
        Args a = c.args();
        long keys;
        try {
            keys = a.longValue(numkeysAt);
        } catch (RedisError e) {
            throw NUMKEYS;
        }
        if (keys < 1) throw NUMKEYS;
        if (keys > c.argc() - numkeysAt - 2) throw Errors.SYNTAX;
        int where = numkeysAt + 1 + (int) keys;
        boolean max;
        if (a.is(where, "MIN")) max = false;
        else if (a.is(where, "MAX")) max = true;
        else throw Errors.SYNTAX;
        long count = -1;
        for (int j = where + 1; j < c.argc(); j++) {
            if (count == -1 && a.is(j, "COUNT") && j + 1 < c.argc()) {
                j++;
                try {
                    count = a.longValue(j);
                } catch (RedisError e) {
                    throw COUNT;
                }
                if (count < 1) throw COUNT;
            } else {
                throw Errors.SYNTAX;
            }
        }
        return new Mpop(numkeysAt + 1, where - 1, max, count == -1 ? 1 : count);
    }

    /** Pops from the first of the keys that holds a sorted set; false if none does. */
    private static boolean mpopFirst(Call c, Mpop m) {
        Args a = c.args();
        for (int k = m.firstKey(); k <= m.lastKey(); k++) {
            Entry e = write(c, k);
            if (e == null) continue;
            mpopReply(c, e, a.buf(), a.off(k), a.len(k), m.max(), m.count(), c.reply());
            return true;
        }
        return false;
    }

    /** The reply of ZMPOP and BZMPOP: the key, then up to {@code count} members popped from it with their scores. */
    private static void mpopReply(Call c, Entry e, byte[] key, int off, int len, boolean max, long count, Reply r) {
        int n = (int) Math.min(count, ((ZSet) e.value()).size());
        r.array(2);
        r.bulk(key, off, len);
        r.array(n);
        popInto(c, e, key, off, len, max, n, true, r);
    }

    // ---- blocking pops ----

    /** BZPOPMIN, BZPOPMAX: the key, the member and its score, from the first key holding a sorted set. */
    void blockingPop(Call c, boolean max) {
        Args a = c.args();
        long timeout = Blocking.timeout(a, c.argc() - 1);
        for (int k = 1; k < c.argc() - 1; k++) {
            Entry e = write(c, k);
            if (e == null) continue;
            popOne(c, e, a.buf(), a.off(k), a.len(k), max, c.reply());
            return;
        }
        c.server().blocking().block(c, new PopWaiter(Blocking.keys(a, 1, c.argc() - 2), max, -1), timeout);
    }

    private static void popOne(Call c, Entry e, byte[] key, int off, int len, boolean max, Reply r) {
        r.array(3);
        r.bulk(key, off, len);
        popInto(c, e, key, off, len, max, 1, false, r);
    }

    void blockingMpop(Call c) {
        Mpop m = mpopArgs(c, 2); // Redis checks numkeys, the side and COUNT before the timeout
        long timeout = Blocking.timeout(c.args(), 1);
        if (mpopFirst(c, m)) return;
        c.server().blocking().block(c,
                new PopWaiter(Blocking.keys(c.args(), m.firstKey(), m.lastKey()), m.max(), m.count()), timeout);
    }

    /** A client in BZPOPMIN, BZPOPMAX ({@code count} -1: one member, replied flat with its key) or BZMPOP. */
    private static final class PopWaiter extends Blocking.Waiter {
        private final boolean max;
        private final long count;

        PopWaiter(byte[][] keys, boolean max, long count) {
            super(ValueType.ZSET, keys, null);
            this.max = max;
            this.count = count;
        }

        @Override
        protected void serve(Call c, Db db, Entry e, byte[] key, Reply r) {
            if (count > 0) mpopReply(c, e, key, 0, key.length, max, count, r);
            else popOne(c, e, key, 0, key.length, max, r);
        }
    }

    // ---- random members ----

    void randMember(Call c) {
        Args a = c.args();
        if (c.argc() == 2) {
            ZSet z = read(c, 1);
            if (z == null) {
                c.reply().nullBulk();
                return;
            }
            int[] pick = {ThreadLocalRandom.current().nextInt(z.size())};
            z.visitRanks(pick, 1, (b, off, len, s) -> c.reply().bulk(b, off, len));
            return;
        }
        long count = a.longValue(2);
        if (count == Long.MIN_VALUE) throw RANDOM_COUNT_RANGE;
        boolean withScores = false;
        if (c.argc() > 4 || (c.argc() == 4 && !a.is(3, "WITHSCORES"))) throw Errors.SYNTAX;
        if (c.argc() == 4) {
            withScores = true;
            if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) throw OUT_OF_RANGE;
        }
        ZSet z = read(c, 1);
        Reply r = c.reply();
        if (z == null || count == 0) {
            r.array(0);
            return;
        }
        boolean pairs = withScores && r.resp3();
        boolean scores = withScores;
        ZSet.Visitor out = (b, off, len, s) -> {
            if (pairs) r.array(2);
            r.bulk(b, off, len);
            if (scores) r.dbl(s);
        };
        int size = z.size();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (count < 0 || count == 1) {
            // with repetitions, in random order, picked in batches so any count streams out
            long n = count < 0 ? -count : 1;
            replyLength(r, n, withScores && !pairs);
            int[] ranks = new int[(int) Math.min(n, 1024)];
            for (long done = 0; done < n; ) {
                int batch = (int) Math.min(ranks.length, n - done);
                for (int i = 0; i < batch; i++) ranks[i] = random.nextInt(size);
                z.visitRanks(ranks, batch, out);
                done += batch;
            }
            return;
        }
        if (count >= size) {
            // the whole set, highest first (Redis walks a set backwards here)
            r.array(withScores && !pairs ? 2 * size : size);
            z.visit(0, size, true, out);
            return;
        }
        int n = (int) count;
        int[] ranks = distinctRanks(size, n, random);
        r.array(withScores && !pairs ? 2 * n : n);
        z.visitRanks(ranks, n, out);
    }

    /** An array header for {@code n} elements ({@code 2n} when flat pairs); n may pass the int range. */
    private static void replyLength(Reply r, long n, boolean flatPairs) {
        long len = flatPairs ? 2 * n : n;
        if (len <= Integer.MAX_VALUE) r.array((int) len);
        else r.raw(Reply.ascii("*" + len + "\r\n"));
    }

    /** {@code n < size} distinct ranks in random order: a partial Fisher-Yates shuffle. */
    private static int[] distinctRanks(int size, int n, ThreadLocalRandom random) {
        int[] all = new int[size];
        for (int i = 0; i < size; i++) all[i] = i;
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(size - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return all;
    }

    // ---- union, intersection, difference ----

    private enum Op { UNION, INTER, DIFF, INTERCARD }

    /** ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms (destination at 1, numkeys after it). */
    void setOp(Call c, Op op, boolean store) {
        Args a = c.args();
        int numkeysArg = store ? 2 : 1;
        long n = a.longValue(numkeysArg);
        if (n < 1) {
            throw new RedisError("ERR at least 1 input key is needed for '" + c.spec().fullName() + "' command");
        }
        if (n > c.argc() - numkeysArg - 1) throw Errors.SYNTAX;
        int keys = (int) n;
        ZSetOps.Input[] in = new ZSetOps.Input[keys];
        double[] weights = new double[keys];
        for (int k = 0; k < keys; k++) {
            in[k] = input(c, numkeysArg + 1 + k);
            weights[k] = 1;
        }
        ZSetOps.Aggregate agg = ZSetOps.Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        boolean scored = op == Op.UNION || op == Op.INTER;
        for (int j = numkeysArg + 1 + keys; j < c.argc(); ) {
            int remaining = c.argc() - j;
            if (scored && remaining >= keys + 1 && a.is(j, "WEIGHTS")) {
                j++;
                for (int k = 0; k < keys; k++, j++) {
                    try {
                        weights[k] = a.doubleValue(j);
                    } catch (RedisError e) {
                        throw WEIGHT;
                    }
                }
            } else if (scored && remaining >= 2 && a.is(j, "AGGREGATE")) {
                if (a.is(j + 1, "SUM")) agg = ZSetOps.Aggregate.SUM;
                else if (a.is(j + 1, "MIN")) agg = ZSetOps.Aggregate.MIN;
                else if (a.is(j + 1, "MAX")) agg = ZSetOps.Aggregate.MAX;
                else throw Errors.SYNTAX;
                j += 2;
            } else if (!store && op != Op.INTERCARD && a.is(j, "WITHSCORES")) {
                withScores = true;
                j++;
            } else if (op == Op.INTERCARD && remaining >= 2 && a.is(j, "LIMIT")) {
                try {
                    limit = a.longValue(j + 1);
                } catch (RedisError e) {
                    throw LIMIT_NEGATIVE;
                }
                if (limit < 0) throw LIMIT_NEGATIVE;
                j += 2;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (op == Op.INTERCARD) {
            c.reply().integer(ZSetOps.interCard(in, limit));
            return;
        }
        ZSet result = switch (op) {
            case UNION -> ZSetOps.union(in, weights, agg);
            case INTER -> ZSetOps.inter(in, weights, agg);
            default -> ZSetOps.diff(in);
        };
        if (store) {
            store(c, 1, ZSetOps.compact(result, maxEntries(c), maxValue(c)),
                    op == Op.UNION ? Events.ZUNIONSTORE : op == Op.INTER ? Events.ZINTERSTORE : Events.ZDIFFSTORE);
            return;
        }
        replyMembers(c.reply(), result, 0, result.size(), false, withScores);
    }

    // ---- scanning ----

    void scan(Call c) {
        Args a = c.args();
        long cursor = KeyCommands.cursor(a, 2);
        ZSet z = read(c, 1);
        Reply r = c.reply();
        if (z == null) {
            r.array(2);
            r.bulk("0");
            r.array(0);
            return;
        }
        long count = 10;
        int pattern = -1;
        for (int i = 3; i < c.argc(); i += 2) {
            boolean more = i + 1 < c.argc();
            if (more && a.is(i, "COUNT")) {
                count = a.longValue(i + 1);
                if (count < 1) throw Errors.SYNTAX;
            } else if (more && a.is(i, "MATCH")) {
                pattern = i + 1;
            } else {
                throw Errors.SYNTAX;
            }
        }
        byte[] p = a.buf();
        int poff = pattern < 0 ? 0 : a.off(pattern), plen = pattern < 0 ? 0 : a.len(pattern);
        boolean all = pattern < 0 || (plen == 1 && p[poff] == '*');
        List<byte[]> found = new ArrayList<>();
        long next = z.scan(cursor, (int) Math.min(count, Integer.MAX_VALUE), (b, off, len, s) -> {
            if (all || Glob.match(p, poff, plen, b, off, len)) {
                found.add(java.util.Arrays.copyOfRange(b, off, off + len));
                found.add(z.scanText(s).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        });
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(found.size());
        for (byte[] x : found) r.bulk(x);
    }
}
