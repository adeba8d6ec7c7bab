package io.kvasir.store;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Rough cost of the large encoding's hot operations (not a test; run by hand, on a quiet machine):
 * {@code java -cp target/classes:target/test-classes io.kvasir.store.ZSetPutBench [members] [rounds]}.
 *
 * <p>Loads {@code members} members {@code element:N} with random scores, then times score updates of
 * random existing members (what {@code redis-benchmark ZADD myzset __rand_int__ element:__rand_int__}
 * does once its key is full), ZRANK-style lookups, removal plus re-insertion of random members, and
 * ZSCORE-style lookups (the member hash alone).
 */
public final class ZSetPutBench {
    private ZSetPutBench() {}

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        byte[][] names = new byte[members][];
        for (int i = 0; i < members; i++) names[i] = ("element:" + i).getBytes(StandardCharsets.US_ASCII);
        SplittableRandom r = new SplittableRandom(42);
        ZSet z = new ZSetSkiplist();
        for (byte[] m : names) z.put(m, 0, m.length, r.nextInt(members));
        // thread CPU time, not wall time: other processes on a shared machine inflate the latter
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            int ops = 1_000_000;
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                byte[] m = names[r.nextInt(members)];
                z.put(m, 0, m.length, r.nextInt(members));
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                byte[] m = names[r.nextInt(members)];
                sink += z.rank(m, 0, m.length);
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops / 2; i++) {
                byte[] m = names[r.nextInt(members)];
                if (z.remove(m, 0, m.length)) sink++;
                z.put(m, 0, m.length, r.nextInt(members));
            }
            long t3 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < ops; i++) {
                byte[] m = names[r.nextInt(members)];
                sink += (long) z.score(m, 0, m.length);
            }
            long t4 = cpu.getCurrentThreadCpuTime();
            System.out.printf("round %d: update %.0f ns/op, rank %.0f ns/op, remove+add %.0f ns/pair, score %.0f ns/op%n",
                    round, (t1 - t0) / (double) ops, (t2 - t1) / (double) ops, (t3 - t2) / (ops / 2.0),
                    (t4 - t3) / (double) ops);
        }
        System.out.println("size " + z.size() + " (" + sink + ")");
    }
}
