package io.kvasir.server;

import java.util.concurrent.atomic.AtomicLong;

/** The state Redis keeps per client: identity, selected database, protocol, authentication. */
public final class Client {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
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
    private volatile String lastCommand = "NULL";
    private volatile boolean replyOff;
    private volatile boolean skipNextReply;
    private volatile boolean noEvict;
    private volatile boolean closing;

    public Client(String addr, String laddr, ClientChannel channel) {
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
    public boolean skipNextReply() { return skipNextReply; }
    public void skipNextReply(boolean v) { skipNextReply = v; }
    public boolean noEvict() { return noEvict; }
    public void noEvict(boolean v) { noEvict = v; }
    public boolean closing() { return closing; }
    public void closing(boolean v) { closing = v; }
}
