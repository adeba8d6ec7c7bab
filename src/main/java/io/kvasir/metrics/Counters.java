package io.kvasir.metrics;

import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A family of statistics counters that the threads serving requests bump without atomic
 * instructions: each thread counts into its own array, and a reader (INFO) sums the arrays of
 * every thread that ever counted. A command bumps several counters, so a lock-free but shared
 * counter (a CAS per bump, as {@link java.util.concurrent.atomic.LongAdder} does) costs more than
 * the command's own work on the fast paths.
 *
 * <p>Only the owning thread writes its array; writes are opaque so a reader never sees a torn
 * value, and a sum is as current as the last writes it happens to see, which is what INFO needs.
 * A thread that ends leaves its array, so its counts stay in the totals.
 */
public final class Counters {
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final AtomicInteger allocated = new AtomicInteger();
    private final CopyOnWriteArrayList<Block> blocks = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Block> local = new FastThreadLocal<>() {
        @Override
        protected Block initialValue() {
            Block b = new Block(Math.max(16, allocated.get()));
            blocks.add(b);
            return b;
        }
    };

    /** One thread's counts; the array is replaced (by its owner only) when counters are added later. */
    private static final class Block {
        volatile long[] values;

        Block(int size) { values = new long[size]; }
    }

    /** A new counter of this family, starting at zero. */
    public Counter counter() {
        return new Counter(this, allocated.getAndIncrement());
    }

    void add(int index, long n) {
        Block b = local.get();
        long[] v = b.values;
        if (index >= v.length) b.values = v = Arrays.copyOf(v, Math.max(index + 1, allocated.get()));
        LONGS.setOpaque(v, index, v[index] + n);
    }

    long sum(int index) {
        long s = 0;
        for (Block b : blocks) {
            long[] v = b.values;
            if (index < v.length) s += (long) LONGS.getOpaque(v, index);
        }
        return s;
    }
}
