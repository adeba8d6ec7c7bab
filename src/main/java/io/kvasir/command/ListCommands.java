package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.pubsub.Notifications;
import io.kvasir.store.Db;
import io.kvasir.store.Entry;
import io.kvasir.store.ListValue;
import io.kvasir.store.Table;
import io.kvasir.store.ValueType;
import java.util.Arrays;

/**
 * The list family: pushes and pops at both ends, indexed access, ranges, searches, moves between
 * lists, and the blocking pops and moves, which wait through {@link Blocking} when every list
 * they name is empty. Values are {@link ListValue}s; a list that becomes empty is deleted, so an
 * existing key never holds an empty list. Every command that may fill a key signals it, so that
 * clients blocked on it are served once the command is over.
 */
final class ListCommands implements CommandFamily {
    private static final RedisError NOT_POSITIVE = new RedisError("ERR value is out of range, must be positive");
    private static final RedisError INDEX_RANGE = new RedisError("ERR index out of range");
    private static final RedisError RANK_ZERO = new RedisError("ERR RANK can't be zero: use 1 to start from the first"
            + " match, 2 from the second ... or use negative to start from the end of the list");
    private static final RedisError COUNT_NEGATIVE = new RedisError("ERR COUNT can't be negative");
    private static final RedisError MAXLEN_NEGATIVE = new RedisError("ERR MAXLEN can't be negative");
    private static final RedisError NUMKEYS = new RedisError("ERR numkeys should be greater than 0");
    private static final RedisError COUNT_ZERO = new RedisError("ERR count should be greater than 0");

    private static final String PUSH_COMPLEXITY = "O(1) for each element added, so O(N) to add N elements when the"
            + " command is called with multiple arguments.";
    private static final String MPOP_COMPLEXITY = "O(N+M) where N is the number of provided keys and M is the number"
            + " of elements returned.";
    private static final String DOUBLE_TIMEOUT = "`timeout` is interpreted as a double instead of an integer.";

    @Override
    public void register(CommandTable t) {
        t.add(list("lpush", -3, "write denyoom fast").keys(1, 1, 1).keyFlags("RW insert").since("1.0.0")
                .summary("Adds elements at the head of a list, creating it if needed; replies with the new length.")
                .complexity(PUSH_COMPLEXITY).history("2.4.0", "Accepts multiple `element` arguments.")
                .handler(c -> push(c, true, false)));
        t.add(list("rpush", -3, "write denyoom fast").keys(1, 1, 1).keyFlags("RW insert").since("1.0.0")
                .summary("Adds elements at the tail of a list, creating it if needed; replies with the new length.")
                .complexity(PUSH_COMPLEXITY).history("2.4.0", "Accepts multiple `element` arguments.")
                .handler(c -> push(c, false, false)));
        t.add(list("lpushx", -3, "write denyoom fast").keys(1, 1, 1).keyFlags("RW insert").since("2.2.0")
                .summary("Adds elements at the head of a list that already exists.")
                .complexity(PUSH_COMPLEXITY).history("4.0.0", "Accepts multiple `element` arguments.")
                .handler(c -> push(c, true, true)));
        t.add(list("rpushx", -3, "write denyoom fast").keys(1, 1, 1).keyFlags("RW insert").since("2.2.0")
                .summary("Adds elements at the tail of a list that already exists.")
                .complexity(PUSH_COMPLEXITY).history("4.0.0", "Accepts multiple `element` arguments.")
                .handler(c -> push(c, false, true)));
        t.add(list("linsert", 5, "write denyoom").keys(1, 1, 1).keyFlags("RW insert").since("2.2.0")
                .summary("Inserts an element just before or after the first occurrence of another.")
                .complexity("O(N) where N is the number of elements to traverse before seeing the value pivot. This"
                        + " means that inserting somewhere on the left end on the list (head) can be considered O(1)"
                        + " and inserting somewhere on the right end (tail) is O(N).")
                .handler(this::linsert));
        t.add(list("lindex", 3, "readonly").keys(1, 1, 1).keyFlags("RO access").since("1.0.0")
                .summary("Returns the element at an index of a list (negative indexes count from the tail).")
                .complexity("O(N) where N is the number of elements to traverse to get to the element at index. This"
                        + " makes asking for the first or the last element of the list O(1).")
                .handler(this::lindex));
        t.add(list("lset", 4, "write denyoom").keys(1, 1, 1).keyFlags("RW update").since("1.0.0")
                .summary("Replaces the element at an index of a list.")
                .complexity("O(N) where N is the length of the list. Setting either the first or the last element of"
                        + " the list is O(1).")
                .handler(this::lset));
        t.add(list("llen", 2, "readonly fast").keys(1, 1, 1).keyFlags("RO").since("1.0.0")
                .summary("Returns the number of elements of a list.").complexity("O(1)").handler(this::llen));
        t.add(list("lrange", 4, "readonly").keys(1, 1, 1).keyFlags("RO access").since("1.0.0")
                .summary("Returns the elements of a list between two indexes, both included.")
                .complexity("O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest"
                        + " end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.")
                .handler(this::lrange));
        t.add(list("lrem", 4, "write").keys(1, 1, 1).keyFlags("RW delete").since("1.0.0")
                .summary("Removes occurrences of an element, from the head or the tail; replies with how many.")
                .complexity("O(N+M) where N is the length of the list and M is the number of elements removed.")
                .handler(this::lrem));
        t.add(list("ltrim", 4, "write").keys(1, 1, 1).keyFlags("RW delete").since("1.0.0")
                .summary("Keeps only the elements of a list between two indexes.")
                .complexity("O(N) where N is the number of elements to be removed by the operation.")
                .handler(this::ltrim));
        t.add(list("lpop", -2, "write fast").keys(1, 1, 1).keyFlags("RW access delete").since("1.0.0")
                .summary("Removes and returns the first element of a list, or the first few.")
                .complexity("O(N) where N is the number of elements returned")
                .history("6.2.0", "Added the `count` argument.").handler(c -> pop(c, true)));
        t.add(list("rpop", -2, "write fast").keys(1, 1, 1).keyFlags("RW access delete").since("1.0.0")
                .summary("Removes and returns the last element of a list, or the last few.")
                .complexity("O(N) where N is the number of elements returned")
                .history("6.2.0", "Added the `count` argument.").handler(c -> pop(c, false)));
        t.add(list("lpos", -3, "readonly").keys(1, 1, 1).keyFlags("RO access").since("6.0.6")
                .summary("Returns the index of an element in a list, or of several matches.")
                .complexity("O(N) where N is the number of elements in the list, for the average case. When searching"
                        + " for elements near the head or the tail of the list, or when the MAXLEN option is provided,"
                        + " the command may run in constant time.")
                .handler(this::lpos));
        t.add(list("lmove", 5, "write denyoom").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RW access delete")).keySpec(KeySpec.index(2).flags("RW insert"))
                .since("6.2.0").summary("Pops an element from one end of a list and pushes it onto an end of another.")
                .complexity("O(1)").handler(this::lmove));
        t.add(list("rpoplpush", 3, "write denyoom").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RW access delete")).keySpec(KeySpec.index(2).flags("RW insert"))
                .since("1.2.0").summary("Pops the last element of a list and pushes it at the head of another.")
                .complexity("O(1)").deprecated("6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments")
                .handler(c -> move(c, false, true)));
        t.add(list("lmpop", -4, "write").keys(numkeysFinder(1))
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RW access delete")).since("7.0.0")
                .summary("Pops elements from the first non-empty list of several.").complexity(MPOP_COMPLEXITY)
                .handler(this::lmpop));
        t.add(list("blpop", -3, "write noscript blocking").keys(1, -2, 1).keyFlags("RW access delete")
                .since("2.0.0").summary("Pops the first element of the first non-empty list, waiting for one if needed.")
                .complexity("O(N) where N is the number of provided keys.").history("6.0.0", DOUBLE_TIMEOUT)
                .handler(c -> bpop(c, true)));
        t.add(list("brpop", -3, "write noscript blocking").keys(1, -2, 1).keyFlags("RW access delete")
                .since("2.0.0").summary("Pops the last element of the first non-empty list, waiting for one if needed.")
                .complexity("O(N) where N is the number of provided keys.").history("6.0.0", DOUBLE_TIMEOUT)
                .handler(c -> bpop(c, false)));
        t.add(list("blmove", 6, "write denyoom noscript blocking").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RW access delete")).keySpec(KeySpec.index(2).flags("RW insert"))
                .since("6.2.0").summary("Moves an element between lists as LMOVE does, waiting for one if needed.")
                .complexity("O(1)").handler(this::blmove));
        t.add(list("brpoplpush", 4, "write denyoom noscript blocking").keys(1, 2, 1)
                .keySpec(KeySpec.index(1).flags("RW access delete")).keySpec(KeySpec.index(2).flags("RW insert"))
                .since("2.2.0").summary("Moves an element between lists as RPOPLPUSH does, waiting for one if needed.")
                .complexity("O(1)").deprecated("6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments")
                .history("6.0.0", DOUBLE_TIMEOUT).handler(c -> blockingMove(c, false, true, 3)));
        t.add(list("blmpop", -5, "write blocking").keys(numkeysFinder(2))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access delete")).since("7.0.0")
                .summary("Pops elements from the first non-empty list of several, waiting for one if needed.")
                .complexity(MPOP_COMPLEXITY).handler(this::blmpop));
    }

    private static CommandSpec list(String name, int arity, String flags) {
        return command(name, arity).flags(flags).acl("@list").group("list");
    }

    /** LMPOP's keys: {@code numkeys} at argument {@code at}, then the keys; -1 if the count is not usable. */
    private static int numkeys(Args a, int at, int[] out) {
        long n;
        try {
            n = a.longValue(at);
        } catch (RedisError e) {
            return -1;
        }
        if (n <= 0 || n > a.count() - at - 2) return -1;
        for (int i = 0; i < n; i++) out[i] = at + 1 + i;
        return (int) n;
    }

    private static KeyFinder numkeysFinder(int at) {
        return (a, out) -> numkeys(a, at, out);
    }

    // ---- pushes ----

    void push(Call c, boolean head, boolean onlyExisting) {
        Args a = c.args();
        Entry e = c.find(1);
        ListValue list;
        if (e != null) {
            list = (ListValue) e.expect(ValueType.LIST).value();
        } else if (onlyExisting) {
            c.reply().integer(0);
            return;
        } else {
            list = new ListValue();
            c.db().putObject(a.buf(), a.off(1), a.len(1), list, Table.NO_EXPIRE, c.cursor());
        }
        int fill = fill(c);
        for (int i = 2; i < c.argc(); i++) list.push(head, a.buf(), a.off(i), a.len(i), fill);
        c.signalReady(1);
        c.keyModified(1);
        c.dirty(c.argc() - 2);
        c.reply().integer(list.size());
        c.notify(Notifications.LIST, head ? Events.LPUSH : Events.RPUSH, 1); // after the reply, as Redis
    }

    void linsert(Call c) {
        Args a = c.args();
        boolean after;
        if (a.is(2, "AFTER")) after = true;
        else if (a.is(2, "BEFORE")) after = false;
        else throw Errors.SYNTAX;
        Entry e = c.find(1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        ListValue list = (ListValue) e.expect(ValueType.LIST).value();
        ListValue.Needle pivot = new ListValue.Needle(a.buf(), a.off(3), a.len(3));
        ListValue.Cursor at = list.cursor();
        for (boolean more = at.seek(0); more; more = at.next()) {
            if (!at.matches(pivot)) continue;
            at.insert(after, a.buf(), a.off(4), a.len(4), fill(c));
            c.keyModified(1);
            c.notify(Notifications.LIST, Events.LINSERT, 1);
            c.dirty(1);
            c.reply().integer(list.size());
            return;
        }
        c.reply().integer(-1);
    }

    // ---- reads ----

    void llen(Call c) {
        Entry e = c.read(1);
        c.reply().integer(e == null ? 0 : list(e).size());
    }

    void lindex(Call c) {
        Entry e = c.read(1);
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        ListValue list = list(e);
        long index = c.args().longValue(2);
        ListValue.Cursor at = list.cursor();
        if (at.seek(index < 0 ? list.size() + index : index)) at.reply(c.reply());
        else c.reply().nullBulk();
    }

    void lrange(Call c) {
        Args a = c.args();
        long start = a.longValue(2), stop = a.longValue(3);
        Entry e = c.read(1);
        if (e == null) {
            c.reply().array(0);
            return;
        }
        ListValue list = list(e);
        long size = list.size();
        if (start < 0) start += size;
        if (stop < 0) stop += size;
        if (start < 0) start = 0;
        if (start > stop || start >= size) {
            c.reply().array(0);
            return;
        }
        if (stop >= size) stop = size - 1;
        long n = stop - start + 1;
        Reply r = c.reply();
        r.array((int) n);
        ListValue.Cursor at = list.cursor();
        at.seek(start);
        for (long i = 0; i < n; i++) {
            at.reply(r);
            at.next();
        }
    }

    void lpos(Call c) {
        Args a = c.args();
        long rank = 1, count = -1, maxlen = 0;
        for (int i = 3; i < c.argc(); i++) {
            boolean more = i + 1 < c.argc();
            if (more && a.is(i, "RANK")) {
                rank = a.longValue(++i);
                if (rank == 0) throw RANK_ZERO;
            } else if (more && a.is(i, "COUNT")) {
                count = nonNegative(a, ++i, COUNT_NEGATIVE);
            } else if (more && a.is(i, "MAXLEN")) {
                maxlen = nonNegative(a, ++i, MAXLEN_NEGATIVE);
            } else {
                throw Errors.SYNTAX;
            }
        }
        Entry e = c.read(1);
        if (e == null) {
            if (count >= 0) c.reply().array(0);
            else c.reply().nullBulk();
            return;
        }
        ListValue list = list(e);
        boolean fromTail = rank < 0;
        if (fromTail) rank = -rank; // Long.MIN_VALUE stays negative and so matches from the first, as in Redis
        ListValue.Needle needle = new ListValue.Needle(a.buf(), a.off(2), a.len(2));
        long size = list.size(), index = 0, matches = 0;
        long[] found = count >= 0 ? new long[(int) Math.min(16, size)] : null;
        int nfound = 0;
        ListValue.Cursor at = list.cursor();
        for (boolean more = at.seek(fromTail ? size - 1 : 0); more && (maxlen == 0 || index < maxlen);
                more = fromTail ? at.prev() : at.next(), index++) {
            if (!at.matches(needle) || ++matches < rank) continue;
            long position = fromTail ? size - index - 1 : index;
            if (found == null) {
                c.reply().integer(position);
                return;
            }
            if (nfound == found.length) found = Arrays.copyOf(found, nfound * 2);
            found[nfound++] = position;
            if (count != 0 && matches - rank + 1 >= count) break; // never, for a rank of Long.MIN_VALUE
        }
        if (found == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().array(nfound);
        for (int i = 0; i < nfound; i++) c.reply().integer(found[i]);
    }

    /** A count that may not be negative, with Redis's message for a negative or unparsable one. */
    private static long nonNegative(Args a, int i, RedisError error) {
        long v;
        try {
            v = a.longValue(i);
        } catch (RedisError e) {
            throw error;
        }
        if (v < 0) throw error;
        return v;
    }

    // ---- changes in place ----

    void lset(Call c) {
        Args a = c.args();
        Entry e = c.find(1);
        if (e == null) throw Errors.NO_SUCH_KEY;
        ListValue list = list(e);
        long index = a.longValue(2);
        ListValue.Cursor at = list.cursor();
        if (!at.seek(index < 0 ? list.size() + index : index)) throw INDEX_RANGE;
        at.set(a.buf(), a.off(3), a.len(3));
        c.keyModified(1); // even to the same value, as Redis
        c.dirty(1);
        c.reply().ok();
        c.notify(Notifications.LIST, Events.LSET, 1); // after the reply, as Redis
    }

    void lrem(Call c) {
        Args a = c.args();
        long toRemove = a.longValue(2);
        Entry e = c.find(1);
        if (e == null) {
            c.reply().integer(0);
            return;
        }
        ListValue list = list(e);
        boolean fromTail = toRemove < 0;
        if (fromTail) toRemove = -toRemove; // Long.MIN_VALUE stays negative: no limit, as in Redis
        ListValue.Needle needle = new ListValue.Needle(a.buf(), a.off(3), a.len(3));
        long removed = 0;
        ListValue.Cursor at = list.cursor();
        boolean more = at.seek(fromTail ? list.size() - 1 : 0);
        while (more) {
            if (at.matches(needle)) {
                more = at.remove(!fromTail);
                if (++removed == toRemove) break;
            } else {
                more = fromTail ? at.prev() : at.next();
            }
        }
        if (removed > 0) {
            c.keyModified(1);
            c.notify(Notifications.LIST, Events.LREM, 1);
        }
        if (list.size() == 0) removeEmpty(c, e, 1);
        c.dirty(removed);
        c.reply().integer(removed);
    }

    void ltrim(Call c) {
        Args a = c.args();
        long start = a.longValue(2), stop = a.longValue(3);
        Entry e = c.find(1);
        if (e == null) {
            c.reply().ok();
            return;
        }
        ListValue list = list(e);
        long size = list.size();
        if (start < 0) start += size;
        if (stop < 0) stop += size;
        if (start < 0) start = 0;
        long head, tail;
        if (start > stop || start >= size) {
            head = size;
            tail = 0;
        } else {
            if (stop >= size) stop = size - 1;
            head = start;
            tail = size - stop - 1;
        }
        list.trim(head, tail);
        c.notify(Notifications.LIST, Events.LTRIM, 1); // even when nothing was trimmed, as Redis
        if (list.size() == 0) removeEmpty(c, e, 1);
        c.keyModified(1);
        c.dirty(head + tail);
        c.reply().ok();
    }

    // ---- pops ----

    void pop(Call c, boolean head) {
        if (c.argc() > 3) throw Errors.wrongArgs(c.spec().fullName());
        long count = -1;
        if (c.argc() == 3) count = nonNegative(c.args(), 2, NOT_POSITIVE);
        Entry e = c.find(1);
        if (e == null) {
            if (count >= 0) c.reply().nullArray();
            else c.reply().nullBulk();
            return;
        }
        ListValue list = list(e);
        if (count < 0) {
            list.pop(head, c.reply());
            count = 1;
        } else {
            count = Math.min(count, list.size());
            popInto(c.reply(), list, head, count);
        }
        if (count > 0) {
            c.keyModified(1);
            c.notify(Notifications.LIST, head ? Events.LPOP : Events.RPOP, 1);
        }
        if (list.size() == 0) removeEmpty(c, e, 1);
        c.dirty(count);
    }

    /** Deletes the key in argument {@code i}, whose list {@code e} a command emptied, notifying "del". */
    private static void removeEmpty(Call c, Entry e, int i) {
        e.remove();
        c.notify(Notifications.GENERIC, Events.DEL, i);
    }

    /** Deletes the key {@code e} points at, whose list a command emptied, notifying "del" (with its bytes, as it is gone). */
    private static void removeEmpty(Call c, Entry e, int db, byte[] key, int off, int len) {
        e.remove();
        c.notify(Notifications.GENERIC, Events.DEL, db, key, off, len);
    }

    /** Pops {@code n} elements (no more than the list has) as an array reply. */
    private static void popInto(Reply r, ListValue list, boolean head, long n) {
        r.array((int) n);
        for (long i = 0; i < n; i++) list.pop(head, r);
    }

    /** The reply of LMPOP and BLMPOP: the key, then up to {@code count} elements popped from it. */
    private static void mpopReply(Call c, Entry e, byte[] key, int off, int len, boolean head, long count, Reply r) {
        ListValue list = list(e);
        long n = Math.min(count, list.size());
        r.array(2);
        r.bulk(key, off, len);
        popInto(r, list, head, n);
        int db = e.db().index();
        c.keyModified(db, key, off, len);
        c.notify(Notifications.LIST, head ? Events.LPOP : Events.RPOP, db, key, off, len);
        if (list.size() == 0) removeEmpty(c, e, db, key, off, len);
        c.dirty(n);
    }

    /** The arguments of LMPOP and BLMPOP after the timeout: numkeys, the keys, LEFT|RIGHT, [COUNT count]. */
    private record Mpop(int firstKey, int lastKey, boolean head, long count) {}

    private static Mpop mpopArgs(Call c, int numkeysAt) {
        Args a = c.args();
        long numkeys;
        try {
            numkeys = a.longValue(numkeysAt);
        } catch (RedisError e) {
            throw NUMKEYS;
        }
        if (numkeys <= 0) throw NUMKEYS;
        if (numkeys > c.argc() - numkeysAt - 2) throw Errors.SYNTAX; // no room left for LEFT|RIGHT
        int whereAt = numkeysAt + (int) numkeys + 1;
        boolean head = where(a, whereAt);
        long count = -1;
        for (int i = whereAt + 1; i < c.argc(); i++) {
            if (count == -1 && i + 1 < c.argc() && a.is(i, "COUNT")) {
                try {
                    count = a.longValue(++i);
                } catch (RedisError e) {
                    throw COUNT_ZERO;
                }
                if (count <= 0) throw COUNT_ZERO;
            } else {
                throw Errors.SYNTAX;
            }
        }
        return new Mpop(numkeysAt + 1, whereAt - 1, head, count == -1 ? 1 : count);
    }

    void lmpop(Call c) {
        Mpop m = mpopArgs(c, 1);
        if (!popFirst(c, m)) c.reply().nullArray();
    }

    /** Pops from the first of the keys that holds a list; false if none does. */
    private static boolean popFirst(Call c, Mpop m) {
        Args a = c.args();
        for (int i = m.firstKey(); i <= m.lastKey(); i++) {
            Entry e = c.find(i);
            if (e == null) continue;
            mpopReply(c, e, a.buf(), a.off(i), a.len(i), m.head(), m.count(), c.reply());
            return true;
        }
        return false;
    }

    /** LEFT or RIGHT: true for the head. */
    private static boolean where(Args a, int i) {
        if (a.is(i, "LEFT")) return true;
        if (a.is(i, "RIGHT")) return false;
        throw Errors.SYNTAX;
    }

    private static int fill(Call c) {
        return c.server().keyspace().limits().listFill();
    }

    private static ListValue list(Entry e) {
        return (ListValue) e.expect(ValueType.LIST).value();
    }

    // ---- moves ----

    void lmove(Call c) {
        boolean fromHead = where(c.args(), 3), toHead = where(c.args(), 4);
        move(c, fromHead, toHead);
    }

    /** LMOVE: a null reply if the source is missing; WRONGTYPE if either key holds something else. */
    void move(Call c, boolean fromHead, boolean toHead) {
        Args a = c.args();
        Entry src = c.find(1);
        if (src == null) {
            c.reply().nullBulk();
            return;
        }
        ListValue from = list(src);
        Entry dst = c.find2(2);
        moveOne(c, c.db(), src, from, a.buf(), a.off(1), a.len(1), dst == null ? null : list(dst), a.buf(), a.off(2),
                a.len(2), fromHead, toHead, c.reply());
    }

    /**
     * Pops from {@code from} (the list of key {@code sk}) and pushes onto {@code to} (null: a new list
     * at the destination key of {@code db}), replying with the element. The source may be the
     * destination. Notifies as Redis does, which pushes first: the push, the reply, then the pop and
     * "del" of an emptied source. The source is deleted by name: its entry {@code src} may have moved
     * since it was found (the destination's lookup deletes an expired destination), so {@code src}
     * serves only as the cursor of a new destination.
     */
    private static void moveOne(Call c, Db db, Entry src, ListValue from, byte[] sk, int soff, int slen, ListValue to,
            byte[] dk, int doff, int dlen, boolean fromHead, boolean toHead, Reply r) {
        byte[] v = from.pop(fromHead);
        c.keyModified(db.index(), sk, soff, slen);
        int fill = fill(c);
        boolean emptied;
        if (to != null) {
            to.push(toHead, v, 0, v.length, fill);
            emptied = from.size() == 0; // not if the source is the destination
            if (emptied) db.delete(sk, soff, slen);
        } else {
            emptied = from.size() == 0;
            if (emptied) db.delete(sk, soff, slen); // before the insert below, which may move table slots
            to = new ListValue();
            to.push(toHead, v, 0, v.length, fill);
            db.putObject(dk, doff, dlen, to, Table.NO_EXPIRE, src);
        }
        c.server().blocking().signal(c, db.index(), dk, doff, dlen);
        c.keyModified(db.index(), dk, doff, dlen);
        c.dirty(2);
        c.notify(Notifications.LIST, toHead ? Events.LPUSH : Events.RPUSH, db.index(), dk, doff, dlen);
        r.bulk(v);
        c.notify(Notifications.LIST, fromHead ? Events.LPOP : Events.RPOP, db.index(), sk, soff, slen);
        if (emptied) c.notify(Notifications.GENERIC, Events.DEL, db.index(), sk, soff, slen);
    }

    // ---- blocking ----

    void bpop(Call c, boolean head) {
        Args a = c.args();
        long timeout = Blocking.timeout(a, c.argc() - 1);
        for (int i = 1; i < c.argc() - 1; i++) {
            Entry e = c.find(i);
            if (e == null) continue;
            ListValue list = list(e);
            Reply r = c.reply();
            r.array(2);
            r.bulk(a, i);
            list.pop(head, r);
            c.keyModified(i);
            c.notify(Notifications.LIST, head ? Events.LPOP : Events.RPOP, i);
            if (list.size() == 0) removeEmpty(c, e, i);
            c.dirty(1);
            return;
        }
        c.server().blocking().block(c, new PopWaiter(Blocking.keys(a, 1, c.argc() - 2), head, -1), timeout);
    }

    void blmpop(Call c) {
        Mpop m = mpopArgs(c, 2);
        long timeout = Blocking.timeout(c.args(), 1);
        if (popFirst(c, m)) return;
        c.server().blocking().block(c,
                new PopWaiter(Blocking.keys(c.args(), m.firstKey(), m.lastKey()), m.head(), m.count()), timeout);
    }

    void blmove(Call c) {
        boolean fromHead = where(c.args(), 3), toHead = where(c.args(), 4);
        blockingMove(c, fromHead, toHead, 5);
    }

    void blockingMove(Call c, boolean fromHead, boolean toHead, int timeoutAt) {
        long timeout = Blocking.timeout(c.args(), timeoutAt);
        if (c.find(1) != null) {
            move(c, fromHead, toHead);
            return;
        }
        Args a = c.args();
        c.server().blocking().block(c, new MoveWaiter(a.bytes(1), a.bytes(2), fromHead, toHead), timeout);
    }

    /** A client in BLPOP, BRPOP ({@code count} -1: one element, replied with its key) or BLMPOP. */
    private static final class PopWaiter extends Blocking.Waiter {
        private final boolean head;
        private final long count;

        PopWaiter(byte[][] keys, boolean head, long count) {
            super(ValueType.LIST, keys, null);
            this.head = head;
            this.count = count;
        }

        @Override
        protected void serve(Call c, Db db, Entry e, byte[] key, Reply r) {
            if (count > 0) {
                mpopReply(c, e, key, 0, key.length, head, count, r);
                return;
            }
            ListValue list = list(e);
            r.array(2);
            r.bulk(key);
            list.pop(head, r);
            c.keyModified(db.index(), key, 0, key.length);
            c.notify(Notifications.LIST, head ? Events.LPOP : Events.RPOP, db.index(), key, 0, key.length);
            if (list.size() == 0) removeEmpty(c, e, db.index(), key, 0, key.length);
            c.dirty(1);
        }
    }

    /** A client in BLMOVE or BRPOPLPUSH, waiting on its source. */
    private static final class MoveWaiter extends Blocking.Waiter {
        private final boolean fromHead, toHead;

        MoveWaiter(byte[] source, byte[] destination, boolean fromHead, boolean toHead) {
            super(ValueType.LIST, new byte[][] {source}, destination);
            this.fromHead = fromHead;
            this.toHead = toHead;
        }

        /** As Redis: BLMOVE that may not block replies a null bulk string, though its timeout replies a null array. */
        @Override
        protected void mayNotBlock(Reply r) {
            r.nullBulk();
        }

        @Override
        protected void serve(Call c, Db db, Entry e, byte[] key, Reply r) {
            ListValue from = list(e); // before the destination's lookup, which may move the source's entry
            Entry dst = new Entry();
            ListValue to = db.lookup(target, 0, target.length, dst) ? list(dst) : null;
            moveOne(c, db, e, from, key, 0, key.length, to, target, 0, target.length, fromHead, toHead, r);
        }
    }
}
