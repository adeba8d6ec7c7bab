package io.kvasir.store;

import java.util.random.RandomGenerator;

/**
 * What the hashtable-encoded collections ({@link HashValue}, {@link SetValue}) do with the
 * {@link Table} that holds their elements: scan with a count, list every slot, draw a slot.
 */
final class CollectionTables {
    private CollectionTables() {}

    /**
     * Visits entries from {@code cursor} on until at least {@code count} were visited or the table
     * is done, and returns the cursor to continue from: 0 when done, as HSCAN and SSCAN reply.
     */
    static long scan(Table t, long cursor, int count, Table.SlotVisitor visitor) {
        if (Long.compareUnsigned(cursor, Table.SCAN_DONE) >= 0) return 0; // no cursor of ours: nothing there
        int[] visited = {0};
        long pos = cursor;
        do {
            pos = t.scan(pos, Math.max(1, count - visited[0]), (tb, s) -> {
                visited[0]++;
                visitor.visit(tb, s);
            });
        } while (pos < Table.SCAN_DONE && visited[0] < count);
        return pos >= Table.SCAN_DONE ? 0 : pos;
    }

    /** Every occupied slot, in {@link Table#forEach} order. */
    static int[] slots(Table t) {
        int[] h = new int[t.size()];
        int[] n = {0};
        t.forEach((tb, s) -> h[n[0]++] = s);
        return h;
    }

    /**
     * An occupied slot drawn uniformly: random slots until one is occupied (a table keeps a fifth
     * of its slots full, or has only 8, so a few draws); probing on from one would favour keys
     * after gaps. The table must not be empty.
     */
    static int randomSlot(Table t, RandomGenerator random) {
        int cap = t.capacity();
        while (true) {
            int s = random.nextInt(cap);
            if (t.occupied(s)) return s;
        }
    }
}
