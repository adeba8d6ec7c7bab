package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Reply;
import io.kvasir.pubsub.Notifications;
import io.kvasir.server.Client;
import io.kvasir.server.Kvasir;
import io.kvasir.store.Db;
import io.kvasir.store.Entry;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Stripe;

/**
 * The context of one command execution: the server, the client, the arguments, the reply
 * writer. One per connection, reused for every command it runs.
 */
public final class Call {
    final Kvasir server;
    final Client client;
    private final Notifications notifications;
    Args args;
    Reply reply;
    CommandSpec spec;
    private final Entry entry = new Entry();
    private final Entry entry2 = new Entry();
    int[] keyPositions = new int[16];
    int[] stripes = new int[16];
    /** For a one-key command: that key's argument and stripe, found while locking (else -1). */
    int lockedKeyArg = -1, lockedKeyStripe;
    int[] redacted = new int[4];
    int redactedCount;
    /**
     * Keys this command filled that blocked clients wait on, served once it is over (see {@link Blocking});
     * inside EXEC, once the whole transaction is over.
     */
    java.util.ArrayList<Blocking.Key> ready;
    /** True between MULTI and EXEC/DISCARD: commands are queued in {@link #txn}. */
    boolean multi;
    /** The MULTI queue, made on the connection's first MULTI. */
    Transaction txn;
    /** True while EXEC runs the queued commands: they may not block (Redis's CLIENT_DENY_BLOCKING). */
    boolean inExec;

    public Call(Kvasir server, Client client) {
        this.server = server;
        this.client = client;
        this.notifications = server.notifications();
    }

    public Kvasir server() { return server; }
    public Client client() { return client; }
    public Args args() { return args; }
    public Reply reply() { return reply; }

    /**
     * The writer for what Redis pushes rather than replies (pub/sub confirmations): the reply stream,
     * except that CLIENT REPLY OFF or SKIP does not suppress it.
     */
    public Reply push() { return client.channel().pushWriter(); }
    public CommandSpec spec() { return spec; }
    public int argc() { return args.count(); }

    /** The client's selected database. */
    public Db db() { return server.keyspace().db(client.db()); }

    /**
     * Looks up the key in argument {@code i} for reading: counts a keyspace hit or miss and
     * refreshes the key's LRU clock. Returns null when the key does not exist.
     */
    public Entry read(int i) {
        Entry e = peek(i);
        return e == null ? null : touched(e);
    }

    /**
     * Like {@link #read} but leaves the key's access time alone, for commands that inspect a key
     * without using it (EXISTS, TYPE, TTL, OBJECT: Redis's LOOKUP_NOTOUCH).
     */
    public Entry peek(int i) {
        return peek(i, true);
    }

    /** Like {@link #peek} without the "keymiss" notification, for OBJECT and MEMORY USAGE (Redis's LOOKUP_NONOTIFY). */
    public Entry inspect(int i) {
        return peek(i, false);
    }

    private Entry peek(int i, boolean notifyMiss) {
        if (!db().lookup(stripe(i), args.buf(), args.off(i), args.len(i), entry)) {
            server.stats().keyspaceMisses.increment();
            if (notifyMiss) keyMiss(args.buf(), args.off(i), args.len(i));
            return null;
        }
        server.stats().keyspaceHits.increment();
        return entry;
    }

    /** A lookup for reading of this key, in the client's database, found nothing: the "keymiss" notification. */
    public void keyMiss(byte[] k, int off, int len) {
        if (notifications.wants(Notifications.KEY_MISS)) notifications.keyMiss(client.db(), k, off, len);
    }

    /**
     * Publishes keyspace notification {@code event} of class {@code type} (a {@link Notifications}
     * constant) on the key in argument {@code i}, in the client's database, if that class is enabled.
     * Call it where Redis notifies, relative to the reply too: a RESP3 client subscribed to its own
     * events gets them at that point of its reply stream (before, after or within the reply).
     */
    public void notify(int type, byte[] event, int i) {
        if (notifications.wants(type)) notifications.notify(type, event, client.db(), args.buf(), args.off(i), args.len(i));
    }

    /** Like {@link #notify(int, byte[], int)} for a key given by its bytes, in database {@code db}. */
    public void notify(int type, byte[] event, int db, byte[] k, int off, int len) {
        if (notifications.wants(type)) notifications.notify(type, event, db, k, off, len);
    }

    /** Looks up the key in argument {@code i} for writing (no hit/miss counting). */
    public Entry find(int i) {
        return db().lookup(stripe(i), args.buf(), args.off(i), args.len(i), entry) ? touched(entry) : null;
    }

    /** Like {@link #find} but into a second cursor, for commands that hold two keys at once. */
    public Entry find2(int i) {
        return db().lookup(stripe(i), args.buf(), args.off(i), args.len(i), entry2) ? touched(entry2) : null;
    }

    /**
     * The key in argument {@code i}, found before, looked up again into {@link #cursor} without
     * counting an access: a lookup of another key since (a destination's) may have deleted an
     * expired key and so moved this one in its table. Null if its own deadline has passed since.
     */
    public Entry again(int i) {
        return db().lookup(stripe(i), args.buf(), args.off(i), args.len(i), entry) ? entry : null;
    }

    /**
     * The stripe of the key in argument {@code i}: the one the dispatcher locked for a one-key
     * command (no second CRC16 of the key), else computed.
     */
    public Stripe stripe(int i) {
        Keyspace ks = server.keyspace();
        if (i == lockedKeyArg) return ks.stripe(lockedKeyStripe);
        return ks.stripe(Keyspace.stripeOf(args.buf(), args.off(i), args.len(i)));
    }

    private static Entry touched(Entry e) {
        e.touch();
        return e;
    }

    /** A cursor for {@code Db.put*} calls made by the command. */
    public Entry cursor() { return entry; }

    /** Hides argument {@code i} (a password) from MONITOR, which shows "(redacted)" instead. */
    public void redact(int i) {
        if (redactedCount == redacted.length) redacted = java.util.Arrays.copyOf(redacted, redactedCount * 2);
        redacted[redactedCount++] = i;
    }

    /** True if argument {@code i} was hidden by {@link #redact}. */
    public boolean redacted(int i) {
        for (int k = 0; k < redactedCount; k++) if (redacted[k] == i) return true;
        return false;
    }

    /**
     * Notes that the key in argument {@code i}, of the client's database, may now hold a value that
     * blocked clients wait for; they are served once this command is over. Call with the key locked.
     */
    public void signalReady(int i) {
        server.blocking().signal(this, client.db(), args.buf(), args.off(i), args.len(i));
    }

    /**
     * Signals that the command changed the key in argument {@code i} of the client's database:
     * its value, its existence or its time to live (Redis's signalModifiedKey). Watchers of the
     * key (WATCH) are marked dirty; see {@link io.kvasir.store.KeyEvents} for where Redis signals
     * and where it does not. Call with the key locked.
     */
    public void keyModified(int i) {
        server.keyspace().events().modified(client.db(), args.buf(), args.off(i), args.len(i));
    }

    /** Like {@link #keyModified(int)} for a key given by its bytes, in database {@code db}. */
    public void keyModified(int db, byte[] k, int off, int len) {
        server.keyspace().events().modified(db, k, off, len);
    }

    /** Like {@link #keyModified(int)} for the key {@code e} points at, in its database; call it before removing the key. */
    public void keyModified(Entry e) {
        io.kvasir.store.Table t = e.table();
        int s = e.slot();
        server.keyspace().events().modified(e.db().index(), t.keyArray(s), t.keyOffset(s), t.keyLength(s));
    }

    /** Records {@code n} changes to the dataset (INFO rdb_changes_since_last_save). */
    public void dirty(long n) { server.stats().dirty.add(n); }
}
