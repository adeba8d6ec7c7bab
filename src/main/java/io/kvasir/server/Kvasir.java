package io.kvasir.server;

import io.kvasir.command.CommandTable;
import io.kvasir.command.Commands;
import io.kvasir.command.Dispatcher;
import io.kvasir.net.NetServer;
import io.kvasir.store.Keyspace;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
            ActiveExpiry.cycle(this);
        } catch (RuntimeException e) {
            log.warn("cron failed", e);
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

    public void register(Client c) { clients.put(c.id(), c); }
    public void unregister(Client c) { clients.remove(c.id()); }

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
