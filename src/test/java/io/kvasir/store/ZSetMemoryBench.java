package io.kvasir.store;

import io.kvasir.testing.RawClient;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Heap bytes of sorted sets, next to what Redis's MEMORY USAGE reports for the same key (not a test;
 * run by hand, optionally with the port of a running redis-server to ask):
 * {@code java -Xmx2g -cp target/classes:target/test-classes io.kvasir.store.ZSetMemoryBench [redis-port [members]]}
 * (a redis-port of -1 asks no server; with members, only the one-large-set figures, for that many).
 *
 * <p>Loads {@code KEYS} keys {@code zset:%06d} of the same shape through {@link Db} and divides the
 * heap growth (after full GCs) by the key count, so the figure includes the key's table entry.
 */
public final class ZSetMemoryBench {
    private ZSetMemoryBench() {}

    private static final int KEYS = 20_000;

    public static void main(String[] args) throws Exception {
        int redisPort = args.length > 0 ? Integer.parseInt(args[0]) : -1;
        System.out.printf("java %s, %s%n", System.getProperty("java.version"),
                ManagementFactory.getGarbageCollectorMXBeans().getFirst().getName());
        if (args.length > 1) {
            large(Integer.parseInt(args[1]), false);
            large(Integer.parseInt(args[1]), true);
            return;
        }
        run("10 members, integer scores (listpack)", 10, false, false, redisPort);
        run("10 members, fractional scores (listpack)", 10, true, false, redisPort);
        run("10 members, integer scores (skiplist)", 10, false, true, redisPort);
        run("200 members, fractional scores (skiplist)", 200, true, true, redisPort);
        large(1_000_000, false);
        large(1_000_000, true);
    }

    private static byte[] member(int i) {
        return ("member:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static double score(int i, boolean fractional) {
        return fractional ? i * 1.1 : i;
    }

    private static ZSet build(int members, boolean fractional, boolean skiplist) {
        ZSet z = skiplist ? new ZSetSkiplist() : ZSet.create();
        for (int i = 0; i < members; i++) z.put(member(i), 0, member(i).length, score(i, fractional));
        return z;
    }

    private static void run(String name, int members, boolean fractional, boolean skiplist, int redisPort) throws Exception {
        long before = MemoryBench.usedAfterGc();
        Keyspace keyspace = new Keyspace(16);
        Db db = keyspace.db(0);
        Entry e = new Entry();
        for (int k = 0; k < KEYS; k++) {
            byte[] key = String.format("zset:%06d", k).getBytes(StandardCharsets.US_ASCII);
            db.putObject(key, 0, key.length, build(members, fractional, skiplist), Table.NO_EXPIRE, e);
        }
        long after = MemoryBench.usedAfterGc();
        ZSet sample = build(members, fractional, skiplist);
        System.out.printf("%-45s kvasir %7.1f heap bytes/key (memoryUsage() says %d)", name,
                (double) (after - before) / KEYS, sample.memoryUsage());
        if (redisPort > 0) System.out.printf(", redis MEMORY USAGE %s", redisUsage(redisPort, members, fractional, skiplist));
        System.out.println();
        java.lang.ref.Reference.reachabilityFence(keyspace);
    }

    /**
     * One set of {@code members} members: heap bytes per member beyond the member's own array
     * (a 16-byte header plus its bytes, 8-aligned), inserted in ascending order or at random.
     */
    private static void large(int members, boolean random) {
        byte[][] names = new byte[members][];
        long memberBytes = 0;
        for (int i = 0; i < members; i++) {
            names[i] = member(i);
            memberBytes += ZSet.arrayBytes(names[i].length);
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        long before = MemoryBench.usedAfterGc();
        ZSet z = new ZSetSkiplist();
        for (int i = 0; i < members; i++) z.put(names[i], 0, names[i].length, random ? r.nextDouble() : i);
        long after = MemoryBench.usedAfterGc();
        System.out.printf("%,d members, %-8s scores (skiplist)    kvasir %7.1f heap bytes/member + member array"
                        + " (memoryUsage() says %.1f)%n", members, random ? "random" : "rising",
                (double) (after - before - memberBytes) / members,
                (double) (z.memoryUsage() - memberBytes) / members);
        java.lang.ref.Reference.reachabilityFence(z);
        java.lang.ref.Reference.reachabilityFence(names);
    }

    /** Builds the same key in redis-server (db 15) and returns its MEMORY USAGE reply. */
    private static String redisUsage(int port, int members, boolean fractional, boolean skiplist) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.call("SELECT", "15");
            c.call("DEL", "zset:000000");
            String entries = c.call("CONFIG", "GET", "zset-max-listpack-entries");
            c.call("CONFIG", "SET", "zset-max-listpack-entries", skiplist ? "0" : "128");
            for (int i = 0; i < members; i++) {
                c.call("ZADD", "zset:000000", Double.toString(score(i, fractional)), "member:" + i);
            }
            String usage = c.call("MEMORY", "USAGE", "zset:000000", "SAMPLES", "0").trim().substring(1);
            c.call("DEL", "zset:000000");
            c.call("CONFIG", "SET", "zset-max-listpack-entries", entries.split("\r\n")[4]);
            return usage;
        }
    }
}
