package io.kvasir.server;

import io.kvasir.command.Blocking;
import io.kvasir.command.CommandTable;
import io.kvasir.command.Commands;
import io.kvasir.command.Dispatcher;
import io.kvasir.net.NetServer;
import io.kvasir.pubsub.Notifications;
import io.kvasir.pubsub.PubSub;
import io.kvasir.store.KeyEvents;
import io.kvasir.store.Keyspace;
import io.kvasir.tracking.Tracking;
import io.kvasir.txn.Watches;
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
    private final Blocking blocking;
    private final PubSub pubsub = new PubSub();
    private final Notifications notifications = new Notifications(pubsub);
    private final OutputLimits outputLimits;
    private final Watches watches;
    private final Tracking tracking;
    private long lastTimeoutCheckMs;
    private final String runId;
    private final long startMs = System.currentTimeMillis();
    private final long startupMemory = Info.usedMemory();
    private final ScheduledExecutorService cron;
    private final NetServer net;
    private final SlowLog slowLog = new SlowLog();
    private volatile long slowlogSlowerThan;
    // read per network read: kept as fields rather than looked up by name each time
    private volatile long queryBufferLimit, protoMaxBulkLen;
    private final String replId;
    /** Estimated average time to live (ms) of the keys with one, per database (INFO keyspace). */
    final long[] avgTtl;
    private volatile long lastSaveSeconds = System.currentTimeMillis() / 1000;
    private volatile boolean closed;
    /** False after DEBUG SET-ACTIVE-EXPIRE 0: keys past their deadline are deleted only when looked up. */
    private volatile boolean activeExpire = true;
    private final java.util.concurrent.CountDownLatch closeLatch = new java.util.concurrent.CountDownLatch(1);

    private Kvasir(Config config) {
        this.config = config;
        this.keyspace = new Keyspace(config.getInt("databases"));
        keyspace.countExpiredIn(stats.expiredKeys);
        keyspace.holdExpiryWhile(pause::active);
        this.blocking = new Blocking(keyspace);
        this.outputLimits = new OutputLimits(config.get("client-output-buffer-limit"));
        config.onChange("client-output-buffer-limit", outputLimits::set);
        this.watches = new Watches(keyspace);
        this.tracking = new Tracking(keyspace, clients);
        keyspace.events(KeyEvents.both(watches, tracking));
        tracking.maxKeys(config.getLong("tracking-table-max-keys"));
        config.onChange("tracking-table-max-keys", v -> tracking.maxKeys(config.getLong("tracking-table-max-keys")));
        applyAccessPolicy();
        for (String d : new String[] {"maxmemory-policy", "lfu-log-factor", "lfu-decay-time"}) {
            config.onChange(d, v -> applyAccessPolicy());
        }
        applyNotifications();
        config.onChange("notify-keyspace-events", v -> applyNotifications());
        applyEncodingLimits();
        for (String d : new String[] {"hash-max-listpack-entries", "hash-max-listpack-value", "set-max-intset-entries",
                "zset-max-listpack-entries", "zset-max-listpack-value", "list-max-listpack-size"}) {
            config.onChange(d, v -> applyEncodingLimits());
        }
        this.commands = Commands.standard(stats.counters());
        this.dispatcher = new Dispatcher(this, commands);
        byte[] id = new byte[20];
        new SecureRandom().nextBytes(id);
        this.runId = HexFormat.of().formatHex(id);
        new SecureRandom().nextBytes(id);
        this.replId = HexFormat.of().formatHex(id);
        this.avgTtl = new long[config.getInt("databases")];
        this.cron = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kvasir-cron");
            t.setDaemon(true);
            return t;
        });
        this.net = new NetServer(this);
        watchConfig();
    }

    /** Applies the directives that take effect at once when CONFIG SET changes them. */
    private void watchConfig() {
        slowlogSlowerThan = config.getLong("slowlog-log-slower-than");
        config.onChange("slowlog-log-slower-than", v -> slowlogSlowerThan = Long.parseLong(v));
        config.onChange("slowlog-max-len", v -> slowLog.trim(Long.parseLong(v)));
        queryBufferLimit = config.getLong("client-query-buffer-limit");
        config.onChange("client-query-buffer-limit", v -> queryBufferLimit = config.getLong("client-query-buffer-limit"));
        protoMaxBulkLen = config.getLong("proto-max-bulk-len");
        config.onChange("proto-max-bulk-len", v -> protoMaxBulkLen = config.getLong("proto-max-bulk-len"));
        config.onChange("loglevel", Logging::level);
        config.onChange("port", v -> rebind("Unable to listen on this port. Check server logs."));
        config.onChange("bind", v -> rebind("Failed to bind to specified addresses."));
    }

    /** Applies CONFIG SET port/bind once listening; a failure is reported as Redis words it. */
    private void rebind(String failure) {
        if (!net.listening()) return; // still loading the configuration
        try {
            net.rebind();
        } catch (IllegalStateException e) {
            log.warn("{}", e.getMessage());
            throw new Config.ConfigException(failure);
        }
    }

    /** Starts a server with this configuration and binds its port. */
    public static Kvasir start(Config config) throws InterruptedException {
        Kvasir k = new Kvasir(config);
        k.net.start();
        k.scheduleCron();
        return k;
    }

    /** Keys track an LFU counter instead of an LRU clock under the *-lfu maxmemory policies. */
    private void applyAccessPolicy() {
        keyspace.accessPolicy(config.get("maxmemory-policy").endsWith("-lfu"),
                config.getInt("lfu-log-factor"), config.getInt("lfu-decay-time"));
    }

    /** notify-keyspace-events: the classes published, and whether the store reports keys created and expired. */
    private void applyNotifications() {
        notifications.flags(config.getInt("notify-keyspace-events"));
        keyspace.notices(notifications.keyNotices());
    }

    private void applyEncodingLimits() {
        keyspace.limits().set(config.getLong("hash-max-listpack-entries"), config.getLong("hash-max-listpack-value"),
                config.getLong("set-max-intset-entries"));
        keyspace.limits().setZset(config.getLong("zset-max-listpack-entries"), config.getLong("zset-max-listpack-value"));
        keyspace.limits().setList(config.getInt("list-max-listpack-size"));
    }

    /** Runs the cron hz times a second, reading hz each time so that CONFIG SET hz applies at once. */
    private void scheduleCron() {
        if (closed) return;
        try {
            cron.schedule(this::cron, 1000 / Math.max(1, config.getInt("hz")), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Periodic work, as Redis's serverCron: active expiry, client timeouts, rate sampling. */
    private void cron() {
        try {
            long now = System.currentTimeMillis();
            stats.sample(now);
            stats.peakMemory(Info.usedMemory());
            closeIdleClients(now);
            if (!pause.active() && activeExpire) tracking.collecting(() -> ActiveExpiry.cycle(this)); // a paused dataset must not change
            tracking.limit(); // a lowered tracking-table-max-keys applies on an idle server too
        } catch (RuntimeException e) {
            log.warn("cron failed", e);
        } finally {
            scheduleCron();
        }
    }

    /**
     * Closes clients idle for more than {@code timeout} seconds, once a second. As in Redis,
     * monitors, subscribers, blocked clients and clients waiting on a CLIENT PAUSE are exempt.
     */
    private void closeIdleClients(long now) {
        long timeoutMs = config.getLong("timeout") * 1000;
        if (timeoutMs <= 0 || now - lastTimeoutCheckMs < 1000) return;
        lastTimeoutCheckMs = now;
        for (Client c : clients.values()) {
            if (c.monitor() || c.subscribed() || c.postponed() || c.blocked() || now - c.lastInteractionMs() <= timeoutMs) continue;
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
    /** Heap in use when the server started (INFO used_memory_startup). */
    public long startupMemory() { return startupMemory; }
    public int port() { return net.port(); }
    public NetServer net() { return net; }
    public SlowLog slowLog() { return slowLog; }
    /** slowlog-log-slower-than, read on every command so kept parsed. */
    public long slowlogSlowerThan() { return slowlogSlowerThan; }
    public long queryBufferLimit() { return queryBufferLimit; }
    public long protoMaxBulkLen() { return protoMaxBulkLen; }
    public String replId() { return replId; }
    /** Unix time of the last successful save (the start time until persistence exists). */
    public long lastSaveSeconds() { return lastSaveSeconds; }

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

    /** Turns the active expiry cycle on or off (DEBUG SET-ACTIVE-EXPIRE). */
    public void activeExpire(boolean on) { activeExpire = on; }

    /** Publish/subscribe: the subscriptions, and {@link PubSub#publish} for any part of the server. */
    public PubSub pubsub() { return pubsub; }

    /** Keyspace notifications (notify-keyspace-events). */
    public Notifications notifications() { return notifications; }

    /** client-output-buffer-limit, parsed. */
    public OutputLimits outputLimits() { return outputLimits; }

    /** Clients blocked in BLPOP and the like, and the keys they wait on. */
    public Blocking blocking() { return blocking; }

    /** The keys clients WATCH. */
    public Watches watches() { return watches; }

    /** Client-side caching: what tracking clients read, and their invalidations. */
    public Tracking tracking() { return tracking; }

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

    /**
     * Stops the server as SHUTDOWN or a signal does, logging as redis-server does. Kvasir has no
     * persistence yet: where Redis would save ({@code save}), it says it is not saving rather
     * than claim to.
     */
    public void shutdown(boolean save) {
        if (closed) return;
        log.warn("User requested shutdown...");
        if (save) log.warn("Not saving the final RDB snapshot: Kvasir has no persistence yet.");
        close();
        log.warn("Kvasir is now ready to exit, bye bye...");
    }

    /**
     * What a SIGTERM or SIGINT does, per shutdown-on-sigterm / shutdown-on-sigint: "default"
     * saves if save points are set, "nosave" does not, and an explicit "save" (which Kvasir cannot
     * do) keeps the server running unless "force" is given, as Redis does when its save fails.
     */
    public void shutdownOnSignal(String directive) {
        String how = config.get(directive);
        boolean force = how.contains("force");
        if (how.contains("save") && !how.contains("nosave") && !force) {
            log.warn("Error trying to save the DB, can't exit: Kvasir has no persistence yet.");
            log.warn("Errors trying to shut down the server. Check the logs for more information.");
            return;
        }
        boolean save = !how.contains("nosave") && (how.contains("save") || !config.get("save").isEmpty());
        shutdown(save);
    }

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
