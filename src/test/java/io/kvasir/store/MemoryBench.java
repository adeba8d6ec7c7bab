package io.kvasir.store;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap growth per key after loading 1M string keys {@code key:%012d} through {@link Db}, measured
 * after full GCs (not a test; run by hand):
 * {@code java -Xmx4g -cp target/classes:target/test-classes io.kvasir.store.MemoryBench [keys]}.
 */
public final class MemoryBench {
    private MemoryBench() {}

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.printf("java %s, %s%n", System.getProperty("java.version"),
                ManagementFactory.getGarbageCollectorMXBeans().getFirst().getName());
        for (int valueLength : new int[] {16, 100}) run(keys, valueLength);
    }

    private static void run(int keys, int valueLength) {
        long before = usedAfterGc();
        Keyspace keyspace = new Keyspace(16);
        Db db = keyspace.db(0);
        Entry e = new Entry();
        byte[] key = new byte[16];
        byte[] value = new byte[valueLength];
        for (int i = 0; i < valueLength; i++) value[i] = (byte) ('a' + i % 26); // not an integer
        for (int i = 0; i < keys; i++) {
            format("key:", i, key);
            format("v:", i, value);
            db.putString(key, 0, key.length, value, 0, value.length, Table.NO_EXPIRE, e);
        }
        long after = usedAfterGc();
        long packed = 0;
        long slots = 0;
        for (int i = 0; i < Keyspace.STRIPES; i++) {
            Table t = keyspace.stripe(i).table(0);
            packed += t.liveBytes();
            slots += t.capacity();
        }
        if (db.size() != keys) throw new IllegalStateException("lost keys");
        System.out.printf("%,d keys, %d-byte values: %.1f heap bytes/key (entries %.1f, index %.1f at load %.2f)%n",
                keys, valueLength, (double) (after - before) / keys, (double) packed / keys,
                8.0 * slots / keys, (double) keys / slots);
        java.lang.ref.Reference.reachabilityFence(keyspace);
    }

    /** Writes {@code prefix} then {@code i} zero-padded to fill the first 16 bytes of {@code out}. */
    private static void format(String prefix, int i, byte[] out) {
        for (int j = 0; j < prefix.length(); j++) out[j] = (byte) prefix.charAt(j);
        for (int j = 15; j >= prefix.length(); j--, i /= 10) out[j] = (byte) ('0' + i % 10);
    }

    static long usedAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
