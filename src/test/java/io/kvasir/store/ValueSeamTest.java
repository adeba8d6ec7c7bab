package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the key commands rely on in the store: encodings of strings, the {@link StoredValue}
 * seam for collections, and {@link Db#putFrom} (RENAME, MOVE share; COPY copies).
 */
class ValueSeamTest {

    /** A stand-in collection, as the list family will store one. */
    static final class FakeList implements StoredValue {
        final List<String> items = new ArrayList<>();

        @Override public byte type() { return ValueType.LIST; }
        @Override public String encoding() { return items.size() > 2 ? "quicklist" : "listpack"; }
        @Override public long memoryUsage() { return 16L * items.size(); }

        @Override
        public StoredValue copy() {
            FakeList c = new FakeList();
            c.items.addAll(items);
            return c;
        }
    }

    private final Keyspace ks = new Keyspace(2);
    private final Db db0 = ks.db(0), db1 = ks.db(1);

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void put(Db db, String k, String v) {
        byte[] kb = b(k), vb = b(v);
        db.putString(kb, 0, kb.length, vb, 0, vb.length, Table.NO_EXPIRE, new Entry());
    }

    private Entry get(Db db, String k) {
        byte[] kb = b(k);
        Entry e = new Entry();
        return db.lookup(kb, 0, kb.length, e) ? e : null;
    }

    private void putFrom(Db db, String k, Entry src, boolean deep) {
        byte[] kb = b(k);
        db.putFrom(kb, 0, kb.length, src, deep, new Entry());
    }

    @Test
    void stringEncodings() {
        put(db0, "int", "-42");
        put(db0, "embstr", "x".repeat(44));
        put(db0, "raw", "x".repeat(45));
        put(db0, "notint", "007");
        assertEquals("int", get(db0, "int").encoding());
        assertEquals("embstr", get(db0, "embstr").encoding());
        assertEquals("raw", get(db0, "raw").encoding());
        assertEquals("embstr", get(db0, "notint").encoding());
        Entry e = get(db0, "int");
        e.table().flag(e.slot(), Table.RAW_STRING, true); // as APPEND leaves it
        assertEquals("raw", get(db0, "int").encoding());
    }

    @Test
    void collectionsReportTheirOwnTypeAndEncoding() {
        FakeList list = new FakeList();
        list.items.add("a");
        byte[] k = b("l");
        db0.putObject(k, 0, k.length, list, Table.NO_EXPIRE, new Entry());
        Entry e = get(db0, "l");
        assertEquals(ValueType.LIST, e.type());
        assertEquals("listpack", e.encoding());
        list.items.add("b");
        list.items.add("c");
        assertEquals("quicklist", get(db0, "l").encoding());
    }

    @Test
    void copyIsDeepAndKeepsTypeFlagsAndDeadline() {
        FakeList list = new FakeList();
        list.items.add("a");
        byte[] k = b("l");
        long deadline = Clock.now() + 100_000;
        db0.putObject(k, 0, k.length, list, deadline, new Entry());
        putFrom(db1, "l2", get(db0, "l"), true);
        Entry copy = get(db1, "l2");
        assertEquals(ValueType.LIST, copy.type());
        assertEquals(deadline, copy.expireAt());
        assertNotSame(list, copy.value());
        list.items.add("changed");
        assertEquals(List.of("a"), ((FakeList) copy.value()).items);

        put(db0, "s", "hello");
        Entry s = get(db0, "s");
        s.table().flag(s.slot(), Table.RAW_STRING, true);
        putFrom(db0, "s2", get(db0, "s"), true);
        Entry s2 = get(db0, "s2");
        assertEquals("raw", s2.encoding());
        assertArrayEquals(b("hello"), s2.stringBytes());
    }

    @Test
    void sharedPutKeepsTheValueAndItsAccessTime() {
        FakeList list = new FakeList();
        byte[] k = b("l");
        db0.putObject(k, 0, k.length, list, Table.NO_EXPIRE, new Entry());
        Entry e = get(db0, "l");
        e.table().lru(e.slot(), 12345);
        putFrom(db1, "l", get(db0, "l"), false);
        Entry moved = get(db1, "l");
        assertSame(list, moved.value());
        assertEquals(12345, moved.lru());
        putFrom(db1, "fresh", get(db0, "l"), true);
        assertTrue(get(db1, "fresh").lru() != 12345);
    }

    @Test
    void putFromWithinOneTableSurvivesGrowth() {
        // many puts into the table of the source's stripe force resizes between reads
        for (int i = 0; i < 2000; i++) {
            put(db0, "k" + i, "v" + i);
            putFrom(db0, "c" + i, get(db0, "k" + i), i % 2 == 0);
        }
        for (int i = 0; i < 2000; i++) assertArrayEquals(b("v" + i), get(db0, "c" + i).stringBytes());
        assertEquals(4000, db0.size());
    }

    @Test
    void newKeysStartWithTheCurrentLruClock() {
        put(db0, "k", "v");
        int now = Clock.lruClock();
        assertTrue(Math.abs(now - get(db0, "k").lru()) <= 1);
    }

    @Test
    void lfuCountersStartAtFiveAndSurviveOverwrites() {
        ks.accessPolicy(true, 0, 1);
        put(db0, "k", "v");
        assertEquals(5, ks.frequency(get(db0, "k").lru()));
        get(db0, "k").touch(); // log factor 0: every access counts
        get(db0, "k").touch();
        assertEquals(7, ks.frequency(get(db0, "k").lru()));
        put(db0, "k", "w");
        assertEquals(7, ks.frequency(get(db0, "k").lru()));
    }
}
