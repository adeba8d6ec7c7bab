package io.kvasir.server;

import io.kvasir.command.CommandTable;
import io.kvasir.command.Commands;
import io.kvasir.command.Dispatcher;
import io.kvasir.net.NetServer;
import io.kvasir.store.Keyspace;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server: configuration, keyspace, command table, clients and the network
 * listener. Several may run in one JVM.
 */
public final class Kvasir implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Kvasir.class);

    /** The Redis version Kvasir is compatible with; clients read it to decide what to send. */
    public static final String REDIS_VERSION = "7.0.15";

    private final Config config;
    private final Keyspace keyspace;
    private final CommandTable commands;
    private final Dispatcher dispatcher;
    private final Stats stats = new Stats();
    private final Map<Long, Client> clients = new ConcurrentHashMap<>();
    private final AtomicLong clientIds = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private volatile Client[] monitors = new Client[0];
    private final ClientPause pause = new ClientPause();
    private long lastTimeoutCheckMs;
    private final String runId;
    private final long startMs = System.currentTimeMillis();
    private final ScheduledExecutorService cron;
    private final NetServer net;
    private volatile boolean closed;
    private final java.util.concurrent.CountDownLatch closeLatch = new java.util.concurrent.CountDownLatch(1);

    private Kvasir(Config config) {
        this.config = config;
        this.keyspace = new Keyspace(config.getInt("databases"));
        applyAccessPolicy();
        for (String d : new String[] {"maxmemory-policy", "lfu-log-factor", "lfu-decay-time"}) {
            config.onChange(d, v -> applyAccessPolicy());
        }
        this.commands = Commands.standard();
        this.dispatcher = new Dispatcher(this, commands);
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        this.cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kvasir-cron");
            t.setDaemon(true);
            return t;
        });
        this.net = new NetServer(this);
    }

    /** Starts a server with this configuration and binds its port. */
    public static Kvasir start(Config config) throws InterruptedException {
        Kvasir k = new Kvasir(config);
        k.net.start();
        int hz = Math.max(1, config.getInt("hz"));
        k.cron.scheduleAtFixedRate(k::cron, 1000 / hz, 1000 / hz, TimeUnit.MILLISECONDS);
        return k;
    }

    /** Keys track an LFU counter instead of an LRU clock under the *-lfu maxmemory policies. */
    private void applyAccessPolicy() {
        keyspace.accessPolicy(config.get("maxmemory-policy").endsWith("-lfu"),
                config.getInt("lfu-log-factor"), config.getInt("lfu-decay-time"));
    }

    /** Periodic work, as Redis's serverCron: active expiry, client timeouts. */
    private void cron() {
        try {
            if (!pause.active()) ActiveExpiry.cycle(this); // a paused dataset must not change
            closeIdleClients();
        } catch (RuntimeException e) {
            log.warn("cron failed", e);
        }
    }

    /**
     * Closes clients idle for more than {@code timeout} seconds, once a second. As in Redis,
     * monitors and clients waiting on a CLIENT PAUSE are exempt.
     */
    private void closeIdleClients() {
        long timeoutMs = config.getLong("timeout") * 1000;
        long now = System.currentTimeMillis();
        if (timeoutMs <= 0 || now - lastTimeoutCheckMs < 1000) return;
        lastTimeoutCheckMs = now;
        for (Client c : clients.values()) {
            if (c.monitor() || c.postponed() || now - c.lastInteractionMs() <= timeoutMs) continue;
            log.debug("Closing idle client {}", c.addr());
            c.channel().kill();
        }
    }

    public Config config() { return config; }
    public Keyspace keyspace() { return keyspace; }
    public CommandTable commands() { return commands; }
    public Dispatcher dispatcher() { return dispatcher; }
    public Stats stats() { return stats; }
    public String runId() { return runId; }
    public long startMs() { return startMs; }
    public int port() { return net.port(); }
    public NetServer net() { return net; }

    public Map<Long, Client> clients() { return clients; }

    /** The id of the next connection: 1, 2, 3... per server, as CLIENT ID and HELLO report it. */
    public long nextClientId() { return clientIds.incrementAndGet(); }

    /**
     * Adds a connected client unless {@code maxclients} are already connected; the count is
     * reserved atomically so that concurrent accepts on several event loops cannot overshoot.
     */
    public boolean register(Client c) {
        int max = config.getInt("maxclients");
        if (connected.incrementAndGet() > max) {
            connected.decrementAndGet();
            return false;
        }
        clients.put(c.id(), c);
        return true;
    }

    public void unregister(Client c) {
        if (clients.remove(c.id()) != null) connected.decrementAndGet();
        monitor(c, false);
    }

    /** Clients receiving the MONITOR feed; an empty array (one volatile read) when none. */
    public Client[] monitors() { return monitors; }

    /** Adds or removes a client from the MONITOR feed. */
    public synchronized void monitor(Client c, boolean on) {
        c.monitor(on);
        List<Client> list = new ArrayList<>(List.of(monitors));
        list.remove(c);
        if (on) list.add(c);
        monitors = list.toArray(new Client[0]);
    }

    public ClientPause pause() { return pause; }

    /**
     * Redis's protected mode: with protected-mode on and no password set, only loopback clients
     * may connect.
     */
    public boolean deniedByProtectedMode(InetAddress remote) {
        if (!config.getBool("protected-mode") || authRequired() || remote == null) return false;
        boolean loopback = remote instanceof Inet6Address ? remote.isLoopbackAddress()
                : remote.getHostAddress().equals("127.0.0.1"); // Redis accepts exactly 127.0.0.1 and ::1
        return !loopback;
    }

    /** True while a password is set (requirepass): new clients must AUTH first. */
    public boolean authRequired() {
        return !config.get("requirepass").isEmpty();
    }

    public boolean closed() { return closed; }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        cron.shutdownNow();
        net.stop();
        closeLatch.countDown();
    }

    /** Blocks until the server is closed (SHUTDOWN, a signal, or {@link #close()}). */
    public void awaitClose() throws InterruptedException {
        closeLatch.await();
    }
}
