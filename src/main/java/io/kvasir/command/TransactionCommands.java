package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.store.Keyspace;
import io.kvasir.txn.Watcher;
import io.kvasir.txn.Watches;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
 *
 * <p><b>Queueing.</b> After MULTI the dispatcher queues every command (copying its arguments) and
 * replies +QUEUED, except those that run at once ({@link CommandSpec#notQueued}). A command it
 * refuses meanwhile (unknown, wrong arity, no-multi, ...) marks the transaction, and EXEC then
 * discards it with EXECABORT.
 *
 * <p><b>Atomicity.</b> Commands run on many threads, so EXEC locks, in ascending order, the stripes
 * of every key of every queued command and of every watched key, checks the watch, runs the queue
 * and only then unlocks: nobody sees a transaction half done, and no watched key changes between
 * the check and the run. If a queued command locks stripes of its own choosing (KEYS, FLUSHALL,
 * ...), EXEC locks the whole keyspace instead; the locks are reentrant, so the command's own
 * locking inside is harmless. Keys filled for blocked clients are served once EXEC is over, and
 * blocking commands inside it reply as if they timed out at once.
 *
 * <p><b>Watching.</b> {@link Watches} marks a watcher dirty when a watched key changes; EXEC then
 * replies a null array and runs nothing. EXEC, DISCARD, UNWATCH, RESET and disconnecting forget
 * the watched keys.
 */
final class TransactionCommands implements CommandFamily {
    private static final RedisError NESTED = new RedisError("ERR MULTI calls can not be nested");
    private static final RedisError EXEC_WITHOUT_MULTI = new RedisError("ERR EXEC without MULTI");
    private static final RedisError DISCARD_WITHOUT_MULTI = new RedisError("ERR DISCARD without MULTI");
    private static final RedisError WATCH_IN_MULTI = new RedisError("ERR WATCH inside MULTI is not allowed");
    private static final RedisError ABORTED =
            new RedisError("EXECABORT Transaction discarded because of previous errors.");
    private static final String FLAGS = "noscript loading stale fast allow_busy";

    @Override
    public void register(CommandTable t) {
        t.add(command("multi", 1).flags(FLAGS).acl("@transaction").group("transactions").since("1.2.0")
                .summary("Starts a transaction: the commands that follow are queued until EXEC.").complexity("O(1)")
                .notQueued().handler(this::multi));
        t.add(command("exec", 1).flags("noscript loading stale skip_slowlog").acl("@transaction")
                .group("transactions").since("1.2.0")
                .summary("Runs the queued commands of a transaction as one step, unless a watched key changed.")
                .complexity("Depends on commands in the transaction").runsQueue().handler(this::exec));
        t.add(command("discard", 1).flags(FLAGS).acl("@transaction").group("transactions").since("2.0.0")
                .summary("Drops the queued commands of a transaction and forgets the watched keys.")
                .complexity("O(N), when N is the number of queued commands").notQueued().handler(this::discard));
        t.add(command("watch", -2).flags(FLAGS).keys(1, -1, 1).keyFlags("RO").acl("@transaction")
                .group("transactions").since("2.2.0")
                .summary("Watches keys: the next EXEC runs nothing if one of them changes before it.")
                .complexity("O(1) for every key.").notQueued().handler(this::watch));
        t.add(command("unwatch", 1).flags(FLAGS).acl("@transaction").group("transactions").since("2.2.0")
                .summary("Forgets every watched key.").complexity("O(1)").handler(this::unwatch));
    }

    void multi(Call c) {
        if (c.multi) throw NESTED;
        if (c.txn == null) c.txn = new Transaction();
        c.multi = true;
        c.client().multi(0, 0);
        c.reply().ok();
    }

    void discard(Call c) {
        if (!c.multi) throw DISCARD_WITHOUT_MULTI;
        end(c);
        c.reply().ok();
    }

    void watch(Call c) {
        if (c.multi) throw WATCH_IN_MULTI;
        Args a = c.args();
        Watches watches = c.server().watches();
        Watcher w = c.client().watcher();
        int db = c.client().db();
        for (int i = 1; i < c.argc(); i++) watches.watch(w, db, a.buf(), a.off(i), a.len(i));
        c.reply().ok();
    }

    void unwatch(Call c) {
        unwatchAll(c);
        c.reply().ok();
    }

    /** Leaves MULTI, dropping the queue, and forgets the watched keys (DISCARD, EXEC, RESET). */
    static void end(Call c) {
        c.multi = false;
        if (c.txn != null) c.txn.clear();
        c.client().multi(-1, 0);
        unwatchAll(c);
    }

    private static void unwatchAll(Call c) {
        Watcher w = c.client().watcher();
        if (w.watching() || w.dirty()) c.server().watches().unwatchAll(w);
    }

    /**
     * The error for EXEC refused by the dispatcher (EXEC with arguments), as Redis words it in or
     * out of MULTI: the transaction, if any, is discarded, the watched keys forgotten.
     */
    static String refused(Call c, String message) {
        end(c);
        return "EXECABORT Transaction discarded because of: " + (message.startsWith("ERR ") ? message.substring(4) : message);
    }

    void exec(Call c) {
        if (!c.multi) throw EXEC_WITHOUT_MULTI;
        Transaction t = c.txn;
        if (t.refused) {
            end(c);
            throw ABORTED;
        }
        Keyspace ks = c.server().keyspace();
        int locked = t.locksKeyspace() ? -1 : stripes(c, t);
        if (locked < 0) ks.lockAll();
        else for (int i = 0; i < locked; i++) ks.stripe(t.stripes[i]).lock();
        try {
            Watcher w = c.client().watcher();
            if (w.dirty() || (w.watching() && c.server().watches().expiredSinceWatched(w))) c.reply().nullArray();
            else runQueue(c, t);
            end(c); // still locked: unwatching takes no lock we do not hold
        } finally {
            if (locked < 0) ks.unlockAll();
            else for (int i = locked - 1; i >= 0; i--) ks.stripe(t.stripes[i]).unlock();
        }
    }

    /**
     * Fills {@code t.stripes} with the distinct stripes, ascending, of the queued commands' keys
     * and the watched keys; returns how many, or -1 if a queued call needs the whole keyspace.
     */
    private static int stripes(Call c, Transaction t) {
        Watcher w = c.client().watcher();
        int n = 0;
        int[] s = t.stripes;
        for (int q = 0; q < t.size(); q++) {
            Args a = t.args(q);
            int keys = Dispatcher.keyPositions(c, t.spec(q), a, true);
            if (keys == KeyFinder.ALL) return -1; // known only as it runs (SORT BY): everything
            if (n + Math.max(keys, 0) > s.length) s = Arrays.copyOf(s, Math.max(2 * s.length, n + keys));
            for (int k = 0; k < keys; k++) {
                int p = c.keyPositions[k];
                s[n++] = Keyspace.stripeOf(a.buf(), a.off(p), a.len(p));
            }
        }
        if (n + w.count() > s.length) s = Arrays.copyOf(s, n + w.count());
        for (int i = 0; i < w.count(); i++) s[n++] = w.stripe(i);
        t.stripes = s;
        Arrays.sort(s, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) if (distinct == 0 || s[distinct - 1] != s[i]) s[distinct++] = s[i];
        return distinct;
    }

    /**
     * Runs the queue, replying an array of the replies. CLIENT REPLY OFF or SKIP drop replies as
     * they are written (a queued CLIENT REPLY may change them midway): the array's header if they
     * were in force when EXEC began, each command's reply if they are once it ran.
     */
    private static void runQueue(Call c, Transaction t) {
        Client client = c.client();
        Dispatcher dispatcher = c.server().dispatcher();
        Reply r = c.reply();
        ByteBuf out = r.target();
        Args args = c.args;
        CommandSpec spec = c.spec;
        int mark = out.writerIndex();
        r.array(t.size());
        if (client.replyOff() || client.skipReply()) out.writerIndex(mark);
        client.repliesFiltered(true);
        c.inExec = true;
        try {
            for (int i = 0; i < t.size(); i++) {
                mark = out.writerIndex();
                dispatcher.runQueued(c, t.spec(i), t.args(i));
                if (client.replyOff() || client.skipReply()) out.writerIndex(mark);
            }
        } finally {
            c.inExec = false;
            c.args = args;
            c.spec = spec;
            c.redactedCount = 0;
        }
    }
}
