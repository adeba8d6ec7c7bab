package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.server.Kvasir;
import io.kvasir.store.Keyspace;
import io.kvasir.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs one request: finds its spec in the command table, applies the checks Redis applies in
 * the same order (unknown command, arity, authentication), locks the stripes of the command's
 * keys in ascending order, runs the handler and turns a {@link RedisError} into an error reply.
 */
public final class Dispatcher {
    private final Kvasir server;
    private final CommandTable table;

    public Dispatcher(Kvasir server, CommandTable table) {
        this.server = server;
        this.table = table;
    }

    public CommandTable table() { return table; }

    /**
     * Executes the request in {@code args}, writing its reply to {@code reply}. Returns false,
     * having written nothing, when a CLIENT PAUSE holds the command back: the caller runs it again
     * once the pause ends.
     */
    public boolean execute(Call call, Args args, Reply reply) {
        boolean done = dispatch(call, args, reply);
        Tracker tracker = call.client.tracker();
        if (tracker != null && done) tracker.requestDone(call.multi || (call.spec != null && call.spec.keepsTrackingCaching()));
        return done;
    }

    private boolean dispatch(Call call, Args args, Reply reply) {
        call.args = args;
        call.reply = reply;
        call.redactedCount = 0;
        CommandSpec spec = resolve(call, args, reply);
        if (spec == null) return true;
        if (!call.client.authenticated() && !spec.has(CommandSpec.NO_AUTH) && server.authRequired()) {
            reject(call, spec, Errors.NOAUTH.getMessage());
            return true;
        }
        if (call.multi && spec.has(CommandSpec.NO_MULTI)) {
            reject(call, spec, "ERR Command not allowed inside a transaction");
            return true;
        }
        // RESP2 has no way to tell a reply from a message: a subscribed client may only (un)subscribe.
        if (call.client.resp() == 2 && !spec.isAllowedWhileSubscribed() && call.client.subscribed()) {
            reject(call, spec, "ERR Can't execute '" + spec.fullName() + "': only (P|S)SUBSCRIBE / "
                    + "(P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
            return true;
        }
        // A monitor is a replica to Redis: it may not touch the keyspace.
        if (call.client.monitor() && spec.has(CommandSpec.WRITE | CommandSpec.READONLY | CommandSpec.MAY_REPLICATE)) {
            reject(call, spec, "ERR Replica can't interact with the keyspace");
            return true;
        }
        if (server.pause().blocks(writes(call, spec))) return false;
        if (call.multi && !spec.isNotQueued()) {
            call.txn.queue(spec, args);
            call.client.multi(call.txn.size(), call.txn.memory());
            reply.queued();
            return true;
        }
        server.stats().commandsProcessed.increment();
        run(call, spec, true);
        if (call.ready != null && !call.ready.isEmpty()) server.blocking().serveReady(call);
        feedMonitors(call, spec);
        return true;
    }

    /** True if CLIENT PAUSE WRITE holds the command back: it writes, or it is EXEC and a queued command does. */
    private static boolean writes(Call call, CommandSpec spec) {
        int flags = spec.flags();
        if (spec.isQueueRunner() && call.multi) flags |= call.txn.flags();
        return (flags & (CommandSpec.WRITE | CommandSpec.MAY_REPLICATE)) != 0;
    }

    /**
     * Runs a command queued in a transaction, for EXEC, which holds every lock it needs and has
     * done every check: counted, timed and logged like any command, fed to monitors; keys it fills
     * for blocked clients are served when EXEC is over.
     */
    void runQueued(Call call, CommandSpec spec, Args args) {
        call.args = args;
        call.spec = spec;
        call.redactedCount = 0;
        server.stats().commandsProcessed.increment();
        run(call, spec, false);
        feedMonitors(call, spec);
    }

    /** Runs the handler on {@code call.args}, locking the keys first if {@code lock}; counts and logs it. */
    private void run(Call call, CommandSpec spec, boolean lock) {
        Args args = call.args;
        long start = System.nanoTime();
        int locked = lock ? lockKeys(call, spec, args) : 0;
        try {
            spec.handler().run(call);
        } catch (RedisError e) {
            spec.stats().failedCalls.increment();
            errorReply(call.reply, e.getMessage());
        } finally {
            // while the keys are still locked, so that no change can come between the read and this
            if (call.client.tracker() != null && spec.has(CommandSpec.READONLY)) remember(call, spec, args);
            unlock(call, locked);
            long usec = (System.nanoTime() - start) / 1000;
            spec.stats().calls.increment();
            spec.stats().usec.add(usec);
            long slower = server.slowlogSlowerThan();
            if (slower >= 0 && usec >= slower && !spec.has(CommandSpec.SKIP_SLOWLOG)) {
                server.slowLog().add(args, call::redacted, usec, call.client, server.config().getLong("slowlog-max-len"));
            }
        }
    }

    /** CLIENT TRACKING: the keys a read-only command of a tracking client read (Redis's key specs, not the locks). */
    private void remember(Call call, CommandSpec spec, Args args) {
        if (spec.keysAreNotKeys() || spec.has(CommandSpec.PUBSUB)) return;
        int n = keyPositions(call, spec, args, false);
        if (n > 0) server.tracking().remember(call.client, args, call.keyPositions, n);
    }

    private void feedMonitors(Call call, CommandSpec spec) {
        Client[] monitors = server.monitors();
        if (monitors.length > 0 && !spec.has(CommandSpec.ADMIN | CommandSpec.SKIP_MONITOR)) {
            MonitorFeed.feed(call, monitors);
        }
    }

    /**
     * Finds the spec (and subcommand spec), replying with Redis's error when there is none. A container
     * named alone is checked against its own arity (CONFIG: an arity error; COMMAND: runs). The
     * client's last command (CLIENT LIST cmd) and {@code call.spec} are what was found, even if a check
     * then fails (null if nothing was).
     */
    private CommandSpec resolve(Call call, Args args, Reply reply) {
        CommandSpec spec = table.lookup(args, 0);
        call.spec = null;
        if (spec == null) {
            call.client.lastCommand("NULL");
            if (call.multi) call.txn.refused = true;
            errorReply(reply, unknownCommand(args), true);
            return null;
        }
        if (!spec.subcommands().isEmpty() && args.count() > 1) {
            CommandSpec sub = spec.subcommands().get(args.lower(1));
            if (sub == null) {
                call.client.lastCommand("NULL");
                if (call.multi) call.txn.refused = true;
                errorReply(reply, "ERR unknown subcommand '" + latin1(args, 1, 128) + "'. Try "
                        + spec.name().toUpperCase(Locale.ROOT) + " HELP.", true);
                return null;
            }
            spec = sub;
        }
        call.client.lastCommand(spec.fullName());
        call.spec = spec;
        if (!spec.arityOk(args.count())) {
            reject(call, spec, Errors.wrongArgs(spec.fullName()).getMessage());
            return null;
        }
        return spec;
    }

    /**
     * Refuses the command before it runs. Inside MULTI this dooms the transaction; refusing EXEC
     * itself, in MULTI or not, discards it (and the watched keys) at once, saying why.
     */
    private void reject(Call call, CommandSpec spec, String message) {
        spec.stats().rejectedCalls.increment();
        if (spec.isQueueRunner()) message = TransactionCommands.refused(call, message);
        else if (call.multi) call.txn.refused = true;
        errorReply(call.reply, message, false);
    }

    /** Counts and sends an error; {@code raw} when the message holds request bytes one per char. */
    private void errorReply(Reply reply, String message, boolean raw) {
        int sp = message.indexOf(' ');
        server.stats().error(sp < 0 ? message : message.substring(0, sp));
        if (raw) reply.errorBytes(message);
        else reply.error(message);
    }

    private void errorReply(Reply reply, String message) {
        errorReply(reply, message, false);
    }

    /**
     * At most {@code max} bytes of argument {@code i}, one char per byte, as Redis quotes arguments with
     * {@code %.128s}: a NUL byte ends the text.
     */
    private static String latin1(Args args, int i, int max) {
        byte[] b = args.buf();
        int off = args.off(i), n = 0, limit = Math.min(args.len(i), max);
        while (n < limit && b[off + n] != 0) n++;
        return new String(b, off, n, StandardCharsets.ISO_8859_1);
    }

    /** Redis's unknown-command error, quoting the request's bytes as they came (as raw bytes, one per char). */
    static String unknownCommand(Args args) {
        StringBuilder list = new StringBuilder();
        for (int i = 1; i < args.count() && list.length() < 128; i++) {
            list.append('\'').append(latin1(args, i, 128 - list.length())).append("' ");
        }
        return "ERR unknown command '" + latin1(args, 0, 128) + "', with args beginning with: " + list;
    }

    // ---- key locking ----

    /**
     * Locks the stripes of the command's keys in ascending order; returns how many were locked, or
     * {@link KeyFinder#ALL} when the call needs (and got) every stripe.
     */
    private int lockKeys(Call call, CommandSpec spec, Args args) {
        if (spec.keysAreNotKeys()) return 0;
        int n = keyPositions(call, spec, args, true);
        call.lockedKeyArg = n == 1 ? call.keyPositions[0] : -1;
        if (n == KeyFinder.ALL) {
            server.keyspace().lockAll();
            return KeyFinder.ALL;
        }
        if (n <= 0) return 0;
        int[] stripes = call.stripes;
        if (stripes.length < n) stripes = call.stripes = new int[Math.max(n, stripes.length * 2)];
        int[] pos = call.keyPositions;
        for (int i = 0; i < n; i++) stripes[i] = Keyspace.stripeOf(args.buf(), args.off(pos[i]), args.len(pos[i]));
        call.lockedKeyStripe = stripes[0];
        if (n > 1) Arrays.sort(stripes, 0, n);
        int distinct = 0;
        Keyspace ks = server.keyspace();
        for (int i = 0; i < n; i++) {
            if (distinct > 0 && stripes[distinct - 1] == stripes[i]) continue;
            stripes[distinct++] = stripes[i];
            ks.stripe(stripes[i]).lock();
        }
        return distinct;
    }

    private void unlock(Call call, int locked) {
        call.lockedKeyArg = -1; // the hint holds only while the command runs under its lock
        Keyspace ks = server.keyspace();
        if (locked == KeyFinder.ALL) {
            ks.unlockAll();
            return;
        }
        for (int i = locked - 1; i >= 0; i--) ks.stripe(call.stripes[i]).unlock();
    }

    /**
     * Fills call.keyPositions with the argument indexes of the command's keys: those to lock
     * ({@code forLocking}; {@link KeyFinder#ALL} from a lock finder), or those Redis reports.
     * Returns the count.
     */
    static int keyPositions(Call call, CommandSpec spec, Args args, boolean forLocking) {
        int argc = args.count();
        if (call.keyPositions.length < argc) call.keyPositions = new int[Math.max(argc, call.keyPositions.length * 2)];
        if (forLocking && spec.lockFinder() != null) return spec.lockFinder().find(args, call.keyPositions);
        if (spec.keyFinder() != null) return spec.keyFinder().find(args, call.keyPositions);
        if (spec.firstKey() <= 0) return 0;
        int last = spec.lastKey() < 0 ? argc + spec.lastKey() : spec.lastKey();
        int n = 0;
        int[] out = call.keyPositions;
        for (int i = spec.firstKey(); i <= last && i < argc; i += spec.keyStep()) out[n++] = i;
        return n;
    }
}
