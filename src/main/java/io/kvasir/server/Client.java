package io.kvasir.server;

import io.kvasir.pubsub.Subscriptions;
import io.kvasir.tracking.Tracker;
import io.kvasir.txn.Watcher;

/** The state Redis keeps per client: identity, selected database, protocol, authentication. */
public final class Client {
    private final long id;
    private final String addr;
    private final String laddr;
    private final ClientChannel channel;
    private final long createdMs = System.currentTimeMillis();
    private volatile long lastInteractionMs = createdMs;
    private volatile String name;
    private volatile String libName;
    private volatile String libVer;
    private volatile int db;
    private volatile int resp = 2;
    private volatile boolean authenticated;
    private volatile String user = "default";
    private String lastCommand = "NULL"; // written per command by its own thread; CLIENT LIST reads it racily
    private volatile boolean replyOff;
    private volatile boolean skipReply;
    private volatile boolean skipNextReply;
    private volatile boolean noEvict;
    private volatile boolean closing;
    private volatile boolean monitor;
    private volatile boolean postponed;
    private volatile boolean blocked;
    private volatile Subscriptions subscriptions;
    private volatile int multi = -1;
    private volatile long multiMemory;
    private boolean repliesFiltered; // this thread's only
    private final Watcher watcher = new Watcher();
    private volatile Tracker tracker;

    public Client(long id, String addr, String laddr, ClientChannel channel) {
        this.id = id;
        this.addr = addr;
        this.laddr = laddr;
        this.channel = channel;
    }

    public long id() { return id; }
    public String addr() { return addr; }
    public String laddr() { return laddr; }
    public ClientChannel channel() { return channel; }
    public long createdMs() { return createdMs; }
    public long lastInteractionMs() { return lastInteractionMs; }
    public void touch(long nowMs) { lastInteractionMs = nowMs; }
    public String name() { return name; }
    public void name(String n) { name = n; }
    public String libName() { return libName; }
    public void libName(String n) { libName = n; }
    public String libVer() { return libVer; }
    public void libVer(String v) { libVer = v; }
    public int db() { return db; }
    public void db(int d) { db = d; }
    public int resp() { return resp; }
    public void resp(int r) { resp = r; }
    public boolean authenticated() { return authenticated; }
    public void authenticated(boolean a) { authenticated = a; }
    public String user() { return user; }
    public void user(String u) { user = u; }
    public String lastCommand() { return lastCommand; }
    public void lastCommand(String c) { lastCommand = c; }
    public boolean replyOff() { return replyOff; }
    public void replyOff(boolean v) { replyOff = v; }

    /**
     * CLIENT REPLY SKIP: the request after the one that asked has its replies dropped. The
     * current request's replies are dropped if, once it ran, replies are off or skipped.
     */
    public boolean skipReply() { return skipReply; }
    public void skipReply(boolean v) { skipReply = v; }
    public boolean skipNextReply() { return skipNextReply; }
    public void skipNextReply(boolean v) { skipNextReply = v; }

    /** After each request: a skip asked for by this one applies to the next. */
    public void requestDone() {
        skipReply = skipNextReply;
        skipNextReply = false;
        repliesFiltered = false;
    }

    /**
     * True if the request running now dropped its own replies as they were written, under CLIENT
     * REPLY OFF or SKIP, as EXEC does for the commands it runs (one may turn replies off or on):
     * then the connection keeps what is left instead of judging the request's output as a whole.
     */
    public boolean repliesFiltered() { return repliesFiltered; }
    public void repliesFiltered(boolean v) { repliesFiltered = v; }
    public boolean noEvict() { return noEvict; }
    public void noEvict(boolean v) { noEvict = v; }
    public boolean closing() { return closing; }
    public void closing(boolean v) { closing = v; }

    /** True while the client receives the MONITOR feed (CLIENT LIST flag O). */
    public boolean monitor() { return monitor; }
    public void monitor(boolean v) { monitor = v; }

    /** True while a request of this client waits for a CLIENT PAUSE to end (CLIENT LIST flag b). */
    public boolean postponed() { return postponed; }
    public void postponed(boolean v) { postponed = v; }

    /** Commands queued since MULTI, -1 outside a transaction (CLIENT LIST multi=, flag x). */
    public int multi() { return multi; }

    /** Bytes the queued commands take as Redis counts them (CLIENT LIST multi-mem=). */
    public long multiMemory() { return multiMemory; }

    public void multi(int queued, long memory) {
        multi = queued;
        multiMemory = memory;
    }

    /** The keys the client WATCHes. */
    public Watcher watcher() { return watcher; }

    /** The client's CLIENT TRACKING state; null until it first turns tracking on. Set on its own thread. */
    public Tracker tracker() { return tracker; }
    public void tracker(Tracker t) { tracker = t; }

    /** True while the client waits in a blocking command such as BLPOP (CLIENT LIST flag b). */
    public boolean blocked() { return blocked; }
    public void blocked(boolean v) { blocked = v; }

    /** The client's pub/sub subscriptions; null until it first subscribes. Set on its own thread. */
    public Subscriptions subscriptions() { return subscriptions; }
    public void subscriptions(Subscriptions s) { subscriptions = s; }

    /** True while subscribed to any channel, pattern or shard channel (the pub/sub context). */
    public boolean subscribed() {
        Subscriptions s = subscriptions;
        return s != null && s.active();
    }
}
