package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.LongDouble;
import io.kvasir.protocol.Numbers;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.pubsub.Notifications;
import io.kvasir.store.EncodingLimits;
import io.kvasir.store.Entry;
import io.kvasir.store.HashValue;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

/**
 * The hash family: fields and values under one key ({@link HashValue}, "listpack" while small,
 * "hashtable" past {@code hash-max-listpack-*}). A hash whose last field is deleted is deleted.
 */
final class HashCommands implements CommandFamily {
    private static final RedisError NOT_INTEGER = new RedisError("ERR hash value is not an integer");
    private static final RedisError NOT_FLOAT = new RedisError("ERR hash value is not a float");
    private static final RedisError INFINITE_INCREMENT = new RedisError("ERR value is NaN or Infinity");
    private static final RedisError INFINITE_RESULT = new RedisError("ERR increment would produce NaN or Infinity");
    private static final RedisError OUT_OF_RANGE = new RedisError("ERR value is out of range");

    @Override
    public void register(CommandTable t) {
        // Complexity and history are reported verbatim by COMMAND DOCS; summaries are our own.
        String scanned = "O(1) for every call. O(N) for a complete iteration, including enough command calls for the "
                + "cursor to return back to 0. N is the number of elements inside the collection..";
        t.add(hash("hset", -4, "write denyoom fast", "RW update", "2.0.0")
                .summary("Sets fields of a hash, creating the hash if needed; replies with how many fields are new.")
                .complexity("O(1) for each field/value pair added, so O(N) to add N field/value pairs when the "
                        + "command is called with multiple field/value pairs.")
                .history("4.0.0", "Accepts multiple `field` and `value` arguments.").handler(c -> hset(c, false)));
        t.add(hash("hsetnx", 4, "write denyoom fast", "RW insert", "2.0.0")
                .summary("Sets a field of a hash only if the field is absent.").complexity("O(1)").handler(this::hsetnx));
        t.add(hash("hget", 3, "readonly fast", "RO access", "2.0.0").summary("Returns the value of a field of a hash.")
                .complexity("O(1)").handler(this::hget));
        t.add(hash("hmget", -3, "readonly fast", "RO access", "2.0.0")
                .summary("Returns the values of several fields of a hash.")
                .complexity("O(N) where N is the number of fields being requested.").handler(this::hmget));
        t.add(hash("hmset", -4, "write denyoom fast", "RW update", "2.0.0")
                .summary("Sets several fields of a hash; replies OK.")
                .complexity("O(N) where N is the number of fields being set.")
                .deprecated("4.0.0", "`HSET` with multiple field-value pairs").handler(c -> hset(c, true)));
        t.add(hash("hdel", -3, "write fast", "RW delete", "2.0.0")
                .summary("Deletes fields of a hash; replies with how many existed.")
                .complexity("O(N) where N is the number of fields to be removed.")
                .history("2.4.0", "Accepts multiple `field` arguments.").handler(this::hdel));
        t.add(hash("hlen", 2, "readonly fast", "RO", "2.0.0").summary("Counts the fields of a hash.")
                .complexity("O(1)").handler(this::hlen));
        t.add(hash("hstrlen", 3, "readonly fast", "RO", "3.2.0")
                .summary("Returns the length in bytes of the value of a field of a hash.").complexity("O(1)")
                .handler(this::hstrlen));
        t.add(hash("hexists", 3, "readonly fast", "RO", "2.0.0").summary("Tells whether a hash has a field.")
                .complexity("O(1)").handler(this::hexists));
        t.add(hash("hincrby", 4, "write denyoom fast", "RW access update", "2.0.0")
                .summary("Adds an integer to the integer value of a field of a hash.").complexity("O(1)")
                .handler(this::hincrby));
        t.add(hash("hincrbyfloat", 4, "write denyoom fast", "RW access update", "2.6.0")
                .summary("Adds a decimal number to the numeric value of a field of a hash.").complexity("O(1)")
                .handler(this::hincrbyfloat));
        t.add(hash("hkeys", 2, "readonly", "RO access", "2.0.0").tips("nondeterministic_output_order")
                .summary("Lists the fields of a hash.").complexity("O(N) where N is the size of the hash.")
                .handler(c -> all(c, true, false)));
        t.add(hash("hvals", 2, "readonly", "RO access", "2.0.0").tips("nondeterministic_output_order")
                .summary("Lists the values of a hash.").complexity("O(N) where N is the size of the hash.")
                .handler(c -> all(c, false, true)));
        t.add(hash("hgetall", 2, "readonly", "RO access", "2.0.0").tips("nondeterministic_output_order")
                .summary("Returns every field of a hash with its value.")
                .complexity("O(N) where N is the size of the hash.").handler(c -> all(c, true, true)));
        t.add(hash("hrandfield", -2, "readonly", "RO access", "6.2.0").tips("nondeterministic_output")
                .summary("Returns random fields of a hash, optionally with their values.")
                .complexity("O(N) where N is the number of fields returned").handler(this::hrandfield));
        t.add(hash("hscan", -3, "readonly", "RO access", "2.8.0").tips("nondeterministic_output")
                .summary("Walks the fields and values of a hash a few at a time with a cursor.").complexity(scanned)
                .handler(this::hscan));
    }

    private static CommandSpec hash(String name, int arity, String flags, String keyFlags, String since) {
        return command(name, arity).flags(flags).keys(1, 1, 1).keyFlags(keyFlags).acl("@hash").group("hash").since(since);
    }

    // ---- lookups ----

    private static HashValue hashOf(Entry e) {
        return (HashValue) e.expect(ValueType.HASH).value();
    }

    /** The hash at argument 1 for reading, or null when absent; WRONGTYPE for another type. */
    private static HashValue read(Call c) {
        Entry e = c.read(1);
        return e == null ? null : hashOf(e);
    }

    /** Stores a hash just created under the key at argument 1. */
    private static void store(Call c, HashValue h) {
        Args a = c.args();
        c.db().putObject(a.buf(), a.off(1), a.len(1), h, Table.NO_EXPIRE, c.cursor());
    }

    private static EncodingLimits limits(Call c) {
        return c.server().keyspace().limits();
    }

    // ---- writes ----

    void hset(Call c, boolean okReply) {
        Args a = c.args();
        if (c.argc() % 2 != 0) throw Errors.wrongArgs(c.spec().fullName());
        Entry e = c.find(1);
        HashValue h = e == null ? new HashValue() : hashOf(e);
        EncodingLimits limits = limits(c);
        int added = 0;
        byte[] b = a.buf();
        for (int i = 2; i < c.argc(); i += 2) {
            if (h.set(b, a.off(i), a.len(i), b, a.off(i + 1), a.len(i + 1), limits)) added++;
        }
        if (e == null) store(c, h);
        c.keyModified(1); // even when no field changed, as Redis
        c.dirty((c.argc() - 2) / 2);
        if (okReply) c.reply().ok();
        else c.reply().integer(added);
        c.notify(Notifications.HASH, Events.HSET, 1); // after the reply, as Redis
    }

    void hsetnx(Call c) {
        Args a = c.args();
        Entry e = c.find(1);
        HashValue h = e == null ? new HashValue() : hashOf(e);
        if (h.find(a.buf(), a.off(2), a.len(2)) != HashValue.NONE) {
            c.reply().integer(0);
            return;
        }
        h.set(a.buf(), a.off(2), a.len(2), a.buf(), a.off(3), a.len(3), limits(c));
        if (e == null) store(c, h);
        c.keyModified(1);
        c.dirty(1);
        c.reply().integer(1);
        c.notify(Notifications.HASH, Events.HSET, 1);
    }

    void hdel(Call c) {
        Args a = c.args();
        Entry e = c.find(1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        HashValue h = hashOf(e);
        int removed = 0;
        boolean emptied = false;
        for (int i = 2; i < c.argc() && !emptied; i++) {
            if (h.remove(a.buf(), a.off(i), a.len(i))) removed++;
            emptied = h.size() == 0;
        }
        if (emptied) e.remove();
        if (removed > 0) {
            c.keyModified(1);
            c.notify(Notifications.HASH, Events.HDEL, 1);
            if (emptied) c.notify(Notifications.GENERIC, Events.DEL, 1);
        }
        c.dirty(removed);
        c.reply().integer(removed);
    }

    void hincrby(Call c) {
        Args a = c.args();
        long increment = a.longValue(3);
        Entry e = c.find(1);
        HashValue h = e == null ? new HashValue() : hashOf(e);
        long value = 0;
        int f = h.find(a.buf(), a.off(2), a.len(2));
        if (f != HashValue.NONE) {
            byte[] b = h.array(f);
            int off = h.valueOffset(f), len = h.valueLength(f);
            if (!Numbers.isLong(b, off, len)) throw NOT_INTEGER;
            value = Numbers.parseLong(b, off, len);
        }
        if (increment > 0 ? value > Long.MAX_VALUE - increment : value < Long.MIN_VALUE - increment) {
            throw Errors.OVERFLOW;
        }
        value += increment;
        byte[] digits = Numbers.longBytes(value);
        h.set(a.buf(), a.off(2), a.len(2), digits, 0, digits.length, limits(c));
        if (e == null) store(c, h);
        c.keyModified(1);
        c.dirty(1);
        c.reply().integer(value);
        c.notify(Notifications.HASH, Events.HINCRBY, 1);
    }

    /** In C long double arithmetic, as Redis computes it (see {@link LongDouble}). */
    void hincrbyfloat(Call c) {
        Args a = c.args();
        BigDecimal increment = LongDouble.parse(a.buf(), a.off(3), a.len(3));
        if (increment == null) throw INFINITE_INCREMENT; // null stands for an infinity
        Entry e = c.find(1);
        HashValue h = e == null ? new HashValue() : hashOf(e);
        BigDecimal value = BigDecimal.ZERO;
        int f = h.find(a.buf(), a.off(2), a.len(2));
        if (f != HashValue.NONE) {
            try {
                value = LongDouble.parse(h.array(f), h.valueOffset(f), h.valueLength(f));
            } catch (RedisError notFloat) {
                throw NOT_FLOAT;
            }
        }
        BigDecimal sum = value == null ? null : LongDouble.add(value, increment);
        if (sum == null) throw INFINITE_RESULT;
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        h.set(a.buf(), a.off(2), a.len(2), text, 0, text.length, limits(c));
        if (e == null) store(c, h);
        c.keyModified(1);
        c.dirty(1);
        c.reply().bulk(text);
        c.notify(Notifications.HASH, Events.HINCRBYFLOAT, 1);
    }

    // ---- reads ----

    void hget(Call c) {
        Args a = c.args();
        HashValue h = read(c);
        int f = h == null ? HashValue.NONE : h.find(a.buf(), a.off(2), a.len(2));
        if (f == HashValue.NONE) c.reply().nullBulk();
        else c.reply().bulk(h.array(f), h.valueOffset(f), h.valueLength(f));
    }

    void hmget(Call c) {
        Args a = c.args();
        HashValue h = read(c);
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            int f = h == null ? HashValue.NONE : h.find(a.buf(), a.off(i), a.len(i));
            if (f == HashValue.NONE) r.nullBulk();
            else r.bulk(h.array(f), h.valueOffset(f), h.valueLength(f));
        }
    }

    void hlen(Call c) {
        HashValue h = read(c);
        c.reply().integer(h == null ? 0 : h.size());
    }

    void hstrlen(Call c) {
        Args a = c.args();
        HashValue h = read(c);
        int f = h == null ? HashValue.NONE : h.find(a.buf(), a.off(2), a.len(2));
        c.reply().integer(f == HashValue.NONE ? 0 : h.valueLength(f));
    }

    void hexists(Call c) {
        Args a = c.args();
        HashValue h = read(c);
        c.reply().integer(h != null && h.find(a.buf(), a.off(2), a.len(2)) != HashValue.NONE ? 1 : 0);
    }

    /** HKEYS, HVALS and HGETALL (a map of fields to values). */
    void all(Call c, boolean fields, boolean values) {
        HashValue h = read(c);
        Reply r = c.reply();
        int n = h == null ? 0 : h.size();
        if (fields && values) r.map(n);
        else r.array(n);
        if (h == null) return;
        h.forEach((b, fo, fl, vo, vl) -> {
            if (fields) r.bulk(b, fo, fl);
            if (values) r.bulk(b, vo, vl);
        });
    }

    void hrandfield(Call c) {
        Args a = c.args();
        if (c.argc() >= 3) {
            long count = RandomPicks.count(a, 2);
            if (c.argc() > 4 || (c.argc() == 4 && !a.is(3, "WITHVALUES"))) throw Errors.SYNTAX;
            boolean withValues = c.argc() == 4;
            // the reply holds two elements per field
            if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) throw OUT_OF_RANGE;
            randomFields(c, count, withValues);
            return;
        }
        HashValue h = read(c);
        if (h == null) {
            c.reply().nullBulk();
            return;
        }
        int f = h.sampler(ThreadLocalRandom.current()).getAsInt();
        c.reply().bulk(h.array(f), h.fieldOffset(f), h.fieldLength(f));
    }

    /**
     * HRANDFIELD with a count: that many distinct fields (all of them, in order, when the count
     * reaches the size), or with a negative count that many draws that may repeat.
     */
    private void randomFields(Call c, long count, boolean withValues) {
        HashValue h = read(c);
        Reply r = c.reply();
        if (h == null) {
            r.array(0);
            return;
        }
        int size = h.size();
        if (count >= size) {
            arrayOfPairs(r, size, withValues);
            h.forEach((b, fo, fl, vo, vl) -> pair(r, b, fo, fl, vo, vl, withValues));
            return;
        }
        IntSupplier sampler = h.sampler(ThreadLocalRandom.current());
        if (count < 0) {
            arrayOfPairs(r, -count, withValues);
            for (long i = count; i < 0; i++) pair(r, h, sampler.getAsInt(), withValues);
            return;
        }
        arrayOfPairs(r, count, withValues);
        for (int f : RandomPicks.distinct(size, (int) count, sampler, h::handles)) pair(r, h, f, withValues);
    }

    /** The array of n fields, or of n field-value pairs: flat in RESP2, n two-element arrays in RESP3. */
    private static void arrayOfPairs(Reply r, long n, boolean withValues) {
        r.array((int) (withValues && !r.resp3() ? 2 * n : n));
    }

    private static void pair(Reply r, HashValue h, int f, boolean withValues) {
        pair(r, h.array(f), h.fieldOffset(f), h.fieldLength(f), h.valueOffset(f), h.valueLength(f), withValues);
    }

    private static void pair(Reply r, byte[] b, int fo, int fl, int vo, int vl, boolean withValues) {
        if (withValues && r.resp3()) r.array(2);
        r.bulk(b, fo, fl);
        if (withValues) r.bulk(b, vo, vl);
    }

    void hscan(Call c) {
        Args a = c.args();
        long cursor = KeyCommands.cursor(a, 2);
        HashValue h = read(c);
        Reply r = c.reply();
        List<byte[]> found = new ArrayList<>();
        long next = 0;
        if (h != null) {
            ScanOptions options = new ScanOptions(a, 3);
            next = h.scan(cursor, options.count, (b, fo, fl, vo, vl) -> {
                if (!options.matches(b, fo, fl)) return;
                found.add(Arrays.copyOfRange(b, fo, fo + fl));
                found.add(Arrays.copyOfRange(b, vo, vo + vl));
            });
        }
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(found.size());
        for (byte[] x : found) r.bulk(x);
    }
}
