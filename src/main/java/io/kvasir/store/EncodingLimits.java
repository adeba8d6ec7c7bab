package io.kvasir.store;

/**
 * The sizes up to which collections keep their compact encodings, as configured by
 * {@code hash-max-listpack-entries}, {@code hash-max-listpack-value},
 * {@code set-max-intset-entries}, {@code zset-max-listpack-entries} and
 * {@code zset-max-listpack-value}. A collection converts once it passes them, and never back.
 * Lists take {@code list-max-listpack-size} as the size of each of their nodes.
 */
public final class EncodingLimits {
    /** Redis caps an intset at 2^30 members whatever the configuration says. */
    private static final long INTSET_CAP = 1L << 30;

    private volatile int hashMaxEntries = 512;
    private volatile int hashMaxValue = 64;
    private volatile int setMaxIntsetEntries = 512;
    private volatile int zsetMaxEntries = 128;
    private volatile int zsetMaxValue = 64;
    private volatile int listFill = -2;

    public int hashMaxEntries() { return hashMaxEntries; }
    public int hashMaxValue() { return hashMaxValue; }
    public int setMaxIntsetEntries() { return setMaxIntsetEntries; }
    public int zsetMaxEntries() { return zsetMaxEntries; }
    public int zsetMaxValue() { return zsetMaxValue; }

    /** list-max-listpack-size: negative, a node's bytes (-1 = 4 KB .. -5 = 64 KB); positive, its elements. */
    public int listFill() { return listFill; }

    public void setList(int fill) {
        this.listFill = fill;
    }

    /** Sets the limits from the configured values (any non-negative long). */
    public void set(long hashMaxEntries, long hashMaxValue, long setMaxIntsetEntries) {
        this.hashMaxEntries = clamp(hashMaxEntries, Integer.MAX_VALUE);
        this.hashMaxValue = clamp(hashMaxValue, Integer.MAX_VALUE);
        this.setMaxIntsetEntries = clamp(setMaxIntsetEntries, INTSET_CAP);
    }

    /** Sets the sorted set limits from the configured values (any non-negative long). */
    public void setZset(long maxEntries, long maxValue) {
        this.zsetMaxEntries = clamp(maxEntries, Integer.MAX_VALUE);
        this.zsetMaxValue = clamp(maxValue, Integer.MAX_VALUE);
    }

    private static int clamp(long v, long max) {
        return (int) Math.max(0, Math.min(v, max));
    }
}
