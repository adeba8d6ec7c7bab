package io.kvasir.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Pre-encoded request batches in one direct buffer. Connections send slices of it as they are
 * (zero copy, shared by all threads: the bytes never change while a test runs), so sending costs
 * the generator no encoding. Request {@code i} (counting from the first request encoded) runs
 * {@code cycle[i % cycle.length]}: one op, or a GET/SET mix.
 */
final class Batches implements AutoCloseable {
    final Op[] cycle;
    final int pipeline;
    final int count;
    private final ByteBuf bytes;
    private final int[] ends;       // ends[i]: offset just past request i
    private final byte[] chunk;     // requests are encoded here, then copied over in one go
    private long firstIndex;

    /** Largest size one batch may have: it must fit in one buffer with room to rotate. */
    static final long MAX_BATCH_BYTES = 1L << 30;

    private Batches(Op[] cycle, int pipeline, int count) {
        this.cycle = cycle;
        this.pipeline = pipeline;
        this.count = count;
        long capacity = batchBytes(cycle, pipeline) * count;
        if (capacity > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("batches too large: " + capacity + " bytes");
        this.bytes = Unpooled.directBuffer((int) capacity);
        this.ends = new int[pipeline * count];
        this.chunk = new byte[(int) Math.min(capacity, 64 * 1024 + batchBytes(cycle, 1))];
    }

    /** {@code count} batches of {@code pipeline} requests: the rotating set of a test. */
    static Batches encode(Op[] cycle, int pipeline, int count, Keys keys) {
        Batches b = new Batches(cycle, pipeline, count);
        b.fill(0, pipeline * count, keys);
        return b;
    }

    /** One batch to refill with {@link #fill} (the fill mode, where every key goes out once). */
    static Batches single(Op[] cycle, int pipeline) {
        return new Batches(cycle, pipeline, 1);
    }

    /** Buffer space for one batch of {@code pipeline} requests (of the longest op, for a mix). */
    static long batchBytes(Op[] cycle, int pipeline) {
        int longest = 0;
        for (Op op : cycle) longest = Math.max(longest, op.length());
        return (long) longest * pipeline;
    }

    /** Re-encodes the whole buffer as requests {@code first .. first+n-1} of the cycle. */
    void fill(long first, int n, Keys keys) {
        bytes.clear();
        firstIndex = first;
        int used = 0;
        int c = (int) (first % cycle.length);
        for (int i = 0; i < n; i++) {
            Op op = cycle[c];
            if (++c == cycle.length) c = 0;
            if (used + op.length() > chunk.length) {
                bytes.writeBytes(chunk, 0, used);
                used = 0;
            }
            used = op.write(chunk, used, keys);
            ends[i] = bytes.writerIndex() + used;
        }
        bytes.writeBytes(chunk, 0, used);
    }

    /** The first {@code n} requests of batch {@code batch}, to write (released by the write). */
    ByteBuf slice(int batch, int n) {
        int start = batch == 0 ? 0 : ends[batch * pipeline - 1];
        return bytes.retainedSlice(start, ends[batch * pipeline + n - 1] - start);
    }

    /** The op of request {@code i} of batch {@code batch}, for checking its reply. */
    Op op(int batch, int i) {
        return cycle[(int) ((firstIndex + (long) batch * pipeline + i) % cycle.length)];
    }

    @Override
    public void close() {
        bytes.release();
    }
}
