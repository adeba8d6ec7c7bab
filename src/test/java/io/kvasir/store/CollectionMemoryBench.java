package io.kvasir.store;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Heap growth per key after loading small collections through {@link Db}, measured after full
 * GCs (not a test; run by hand):
 * {@code java -Xmx2g -cp target/classes:target/test-classes io.kvasir.store.CollectionMemoryBench [keys]}.
 *
 * <ul>
 *   <li>hashes {@code hash:%08d} of 10 fields {@code field0..field9} with 8-byte values {@code v%07d}
 *       (listpack); Redis 7.0.15 grows {@code used_memory} by 266 bytes per such key;</li>
 *   <li>sets {@code set:%08d} of the integers 1..10 (intset); Redis: 106 bytes per key;</li>
 *   <li>sorted sets {@code zset:%08d} of the members {@code member:0..member:9} scoring 0..9 (listpack);
 *       Redis: 203 bytes per key.</li>
 * </ul>
 */
public final class CollectionMemoryBench {
    private CollectionMemoryBench() {}

    public static void main(String[] args) {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        System.out.printf("java %s, %s%n", System.getProperty("java.version"),
                ManagementFactory.getGarbageCollectorMXBeans().getFirst().getName());
        EncodingLimits limits = new EncodingLimits();
        report("10-field hash", keys, run(keys, i -> {
            HashValue h = new HashValue();
            for (int f = 0; f < 10; f++) {
                byte[] field = ascii("field" + f), value = ascii(String.format("v%07d", f));
                h.set(field, 0, field.length, value, 0, value.length, limits);
            }
            return new Keyed(ascii(String.format("hash:%08d", i)), h);
        }));
        report("10-member intset", keys, run(keys, i -> {
            SetValue s = SetValue.empty();
            for (int m = 1; m <= 10; m++) {
                byte[] member = ascii(Integer.toString(m));
                s.add(member, 0, member.length, limits);
            }
            return new Keyed(ascii(String.format("set:%08d", i)), s);
        }));
        report("10-member zset", keys, run(keys, i -> {
            ZSet z = ZSet.create();
            for (int m = 0; m < 10; m++) {
                byte[] member = ascii("member:" + m);
                z.put(member, 0, member.length, m);
            }
            return new Keyed(ascii(String.format("zset:%08d", i)), z);
        }));
    }

    private record Keyed(byte[] key, StoredValue value) {}

    private record Result(long heapBytes, long valueBytes, String encoding) {}

    private static Result run(int keys, java.util.function.IntFunction<Keyed> make) {
        long before = MemoryBench.usedAfterGc();
        Keyspace keyspace = new Keyspace(16);
        Db db = keyspace.db(0);
        Entry e = new Entry();
        long values = 0;
        String encoding = null;
        for (int i = 0; i < keys; i++) {
            Keyed k = make.apply(i);
            db.putObject(k.key, 0, k.key.length, k.value, Table.NO_EXPIRE, e);
            values += k.value.memoryUsage();
            encoding = k.value.encoding();
        }
        long after = MemoryBench.usedAfterGc();
        if (db.size() != keys) throw new IllegalStateException("lost keys");
        java.lang.ref.Reference.reachabilityFence(keyspace);
        return new Result(after - before, values, encoding);
    }

    private static void report(String what, int keys, Result r) {
        System.out.printf("%,d keys, %s (%s): %.1f heap bytes/key (the value alone: %.1f by memoryUsage)%n",
                keys, what, r.encoding, (double) r.heapBytes / keys, (double) r.valueBytes / keys);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
