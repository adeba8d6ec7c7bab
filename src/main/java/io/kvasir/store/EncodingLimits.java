package io.kvasir.store;

/**
 * The sizes up to which collections keep their compact encodings, as configured by
 * {@code hash-max-listpack-entries}, {@code hash-max-listpack-value} and
 * {@code set-max-intset-entries}. A collection converts once it passes them, and never back.
 */
public final class EncodingLimits {
    /** Redis caps an intset at 2^30 members whatever the configuration says. */
    private static final long INTSET_CAP = 1L << 30;

    private volatile int hashMaxEntries = 512;
    private volatile int hashMaxValue = 64;
    private volatile int setMaxIntsetEntries = 512;

    public int hashMaxEntries() { return hashMaxEntries; }
    public int hashMaxValue() { return hashMaxValue; }
    public int setMaxIntsetEntries() { return setMaxIntsetEntries; }

    /** Sets the limits from the configured values (any non-negative long). */
    public void set(long hashMaxEntries, long hashMaxValue, long setMaxIntsetEntries) {
        this.hashMaxEntries = clamp(hashMaxEntries, Integer.MAX_VALUE);
        this.hashMaxValue = clamp(hashMaxValue, Integer.MAX_VALUE);
        this.setMaxIntsetEntries = clamp(setMaxIntsetEntries, INTSET_CAP);
    }

    private static int clamp(long v, long max) {
        return (int) Math.max(0, Math.min(v, max));
    }
}
