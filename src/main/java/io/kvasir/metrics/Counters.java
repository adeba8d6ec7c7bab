package io.kvasir.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
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
    /**
     * Each thread's block at slot (thread id mod length), found with one array read. A thread
     * whose slot another thread holds finds its block in {@code byThreadId} instead (rare: thread
     * ids are small and sequential). Netty's FastThreadLocal costs more than this in Netty 4.2.
     */
    private final Block[] slots = new Block[1024];
    private final Map<Long, Block> byThreadId = new HashMap<>();

    /** One thread's counts; the array is replaced (by its owner only) when counters are added later. */
    private static final class Block {
        final long threadId;
        volatile long[] values;

        Block(long threadId, int size) {
            this.threadId = threadId;
            values = new long[size];
        }
    }

    /** A new counter of this family, starting at zero. */
    public Counter counter() {
        return new Counter(this, allocated.getAndIncrement());
    }

    void add(int index, long n) {
        long id = Thread.currentThread().threadId();
        Block b = slots[(int) id & (slots.length - 1)];
        if (b == null || b.threadId != id) b = block(id);
        long[] v = b.values;
        if (index >= v.length) b.values = v = Arrays.copyOf(v, Math.max(index + 1, allocated.get()));
        LONGS.setOpaque(v, index, v[index] + n);
    }

    private synchronized Block block(long id) {
        Block b = byThreadId.get(id);
        if (b == null) {
            b = new Block(id, Math.max(16, allocated.get()));
            byThreadId.put(id, b);
            blocks.add(b);
            int slot = (int) id & (slots.length - 1);
            if (slots[slot] == null) slots[slot] = b;
        }
        return b;
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
