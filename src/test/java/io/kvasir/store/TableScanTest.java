package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A scan cursor survives the table growing and shrinking between calls. */
class TableScanTest {

    private static byte[] key(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(Table t, byte[] k) {
        t.putString(k, 0, k.length, Hashing.hash(k, 0, k.length), k, 0, k.length, Table.NO_EXPIRE);
    }

    private static void remove(Table t, byte[] k) {
        t.removeAt(t.find(k, 0, k.length, Hashing.hash(k, 0, k.length)));
    }

    private static String keyAt(Table t, int s) {
        return new String(t.keyArray(s), t.keyOffset(s), t.keyLength(s), StandardCharsets.US_ASCII);
    }

    /**
     * Stable keys stay for the whole scan; between scan calls transient keys are added (the table
     * grows several times) and later removed (it shrinks back), and stable values change size.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void stableKeysAreReturnedExactlyOnceWhileTheTableResizes(long seed) {
        Random rnd = new Random(seed);
        Table t = new Table();
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 20 + rnd.nextInt(300); i++) {
            byte[] k = key("stable:", i);
            put(t, k);
            stable.add(new String(k, StandardCharsets.US_ASCII));
        }
        List<byte[]> transients = new ArrayList<>();
        int next = 0;
        int capacities = 0, lastCapacity = t.capacity();
        Map<String, Integer> returned = new HashMap<>();
        long cursor = 0;
        int call = 0;
        do {
            cursor = t.scan(cursor, 1 + rnd.nextInt(6), (table, s) -> returned.merge(keyAt(table, s), 1, Integer::sum));
            boolean growing = (call++ / 15) % 2 == 0;
            int n = rnd.nextInt(growing ? 400 : 40);
            for (int i = 0; i < n; i++) {
                if (growing || transients.isEmpty()) {
                    byte[] k = key("transient:", next++);
                    put(t, k);
                    transients.add(k);
                } else {
                    remove(t, transients.remove(rnd.nextInt(transients.size())));
                }
            }
            if (!growing) for (int i = 0; i < transients.size() / 2; i++) remove(t, transients.removeLast());
            byte[] k = key("stable:", rnd.nextInt(stable.size()));
            byte[] v = new byte[rnd.nextInt(60)];
            t.putString(k, 0, k.length, Hashing.hash(k, 0, k.length), v, 0, v.length, Table.NO_EXPIRE);
            if (t.capacity() != lastCapacity) {
                capacities++;
                lastCapacity = t.capacity();
            }
        } while (cursor != Table.SCAN_DONE);
        assertTrue(capacities >= 4, "the table resized during the scan: " + capacities);
        for (String k : stable) assertEquals(1, returned.get(k), k);
        for (Map.Entry<String, Integer> e : returned.entrySet()) assertEquals(1, e.getValue(), "no key twice: " + e.getKey());
    }

    /**
     * The table empties to its minimum size in the middle of a scan and refills: keys added after
     * a cursor was returned, and kept, are returned by the rest of the scan if their hash lies
     * after it; none is returned twice.
     */
    @Test
    void scanSurvivesDrainingToEmptyAndRefilling() {
        Table t = new Table();
        for (int i = 0; i < 2_000; i++) put(t, key("k", i));
        Map<String, Integer> returned = new HashMap<>();
        long cursor = t.scan(0, 300, (table, s) -> returned.merge(keyAt(table, s), 1, Integer::sum));
        for (int i = 0; i < 2_000; i++) remove(t, key("k", i));
        assertEquals(8, t.capacity());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 3_000; i++) {
            byte[] k = key("s", i);
            put(t, k);
            if (Integer.toUnsignedLong(Hashing.hash(k, 0, k.length)) >= cursor) expected.add("s" + i);
        }
        while (cursor != Table.SCAN_DONE) cursor = t.scan(cursor, 7, (table, s) -> returned.merge(keyAt(table, s), 1, Integer::sum));
        for (Map.Entry<String, Integer> e : returned.entrySet()) assertEquals(1, e.getValue(), e.getKey());
        for (String k : expected) assertTrue(returned.containsKey(k), k);
        assertTrue(expected.size() > 2_000);
    }

    /** A few keys stay while thousands around them come and go. */
    @Test
    void stableKeysSurviveAShrinkToAlmostNothing() {
        Table t = new Table();
        for (int i = 0; i < 5; i++) put(t, key("stable", i));
        for (int i = 0; i < 2_000; i++) put(t, key("k", i));
        Map<String, Integer> returned = new HashMap<>();
        long cursor = t.scan(0, 100, (table, s) -> returned.merge(keyAt(table, s), 1, Integer::sum));
        for (int i = 0; i < 2_000; i++) remove(t, key("k", i));
        assertTrue(t.capacity() < 32, "shrank to " + t.capacity());
        while (cursor != Table.SCAN_DONE) {
            cursor = t.scan(cursor, 4, (table, s) -> returned.merge(keyAt(table, s), 1, Integer::sum));
            for (int i = 0; i < 5; i++) put(t, key("later", returned.size() * 1_000 + i));
        }
        for (int i = 0; i < 5; i++) assertEquals(1, returned.get("stable" + i));
        for (Map.Entry<String, Integer> e : returned.entrySet()) assertEquals(1, e.getValue(), e.getKey());
    }

    @Test
    void oneCallWithEnoughHomeSlotsVisitsEverything() {
        Table t = new Table();
        for (int i = 0; i < 1_000; i++) put(t, key("k", i));
        Set<String> seen = new HashSet<>();
        assertEquals(Table.SCAN_DONE, t.scan(0, t.capacity(), (table, s) -> assertTrue(seen.add(keyAt(table, s)))));
        assertEquals(1_000, seen.size());
        assertEquals(Table.SCAN_DONE, t.scan(Table.SCAN_DONE, 10, (table, s) -> { throw new AssertionError(); }));
    }

    /** Cursors step through hash space: each call returns exactly the keys with hash in [cursor, next). */
    @Test
    void cursorsPartitionHashSpace() {
        Table t = new Table();
        for (int i = 0; i < 500; i++) put(t, key("k", i));
        long cursor = 0;
        int total = 0;
        while (cursor != Table.SCAN_DONE) {
            long from = cursor;
            List<Long> hashes = new ArrayList<>();
            cursor = t.scan(cursor, 3, (table, s) -> hashes.add(Integer.toUnsignedLong(table.hashAt(s))));
            long to = cursor;
            assertTrue(to > from);
            for (long h : hashes) assertTrue(h >= from && h < to, h + " in [" + from + ", " + to + ")");
            total += hashes.size();
        }
        assertEquals(500, total);
    }
}
