package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableEdgeCaseTest {
    private final Table t = new Table();

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private static byte[] filled(int n, int seed) {
        byte[] v = new byte[n];
        new Random(seed).nextBytes(v);
        return v;
    }

    private int put(byte[] k, byte[] v, long expireAt) {
        return t.putString(k, 0, k.length, Hashing.hash(k, 0, k.length), v, 0, v.length, expireAt);
    }

    private int find(byte[] k) { return t.find(k, 0, k.length, Hashing.hash(k, 0, k.length)); }

    private byte[] value(int s) {
        int off = t.stringOffset(s);
        return Arrays.copyOfRange(t.stringArray(s), off, off + t.stringLength(s));
    }

    private byte[] keyOf(int s) {
        return Arrays.copyOfRange(t.keyArray(s), t.keyOffset(s), t.keyOffset(s) + t.keyLength(s));
    }

    @Test
    void emptyKeyAndEmptyValue() {
        byte[] empty = new byte[0];
        int s = put(empty, empty, Table.NO_EXPIRE);
        assertEquals(s, find(empty));
        assertEquals(0, t.keyLength(s));
        assertEquals(0, t.stringLength(s));
        assertEquals(Table.NONE, find(b("x")));
        put(b("x"), empty, 5);
        assertEquals(0, t.stringLength(find(b("x"))));
        assertEquals(5, t.expireAt(find(b("x"))));
        assertEquals(0, t.stringLength(find(empty)));
        t.removeAt(find(empty));
        assertEquals(Table.NONE, find(empty));
        assertEquals(1, t.size());
    }

    /** Lengths around the varint steps and the packed / own-array boundary, for keys and values. */
    @Test
    void lengthsAcrossEncodingBoundaries() {
        int[] lengths = {0, 1, 127, 128, 129, 16_383, 16_384, Table.MAX_PACKED - 20, Table.MAX_PACKED - 6,
            Table.MAX_PACKED - 5, Table.MAX_PACKED, Table.MAX_PACKED + 1, Table.PAGE_SIZE, 1 << 20};
        int seed = 0;
        for (int kl : new int[] {3, 127, 128, Table.MAX_PACKED, 70_000}) {
            for (int vl : lengths) {
                byte[] k = filled(kl, seed++);
                byte[] v = filled(vl, seed++);
                put(k, v, seed % 2 == 0 ? Table.NO_EXPIRE : seed);
            }
        }
        seed = 0;
        for (int kl : new int[] {3, 127, 128, Table.MAX_PACKED, 70_000}) {
            for (int vl : lengths) {
                byte[] k = filled(kl, seed++);
                byte[] v = filled(vl, seed++);
                int s = find(k);
                assertArrayEquals(k, keyOf(s));
                assertArrayEquals(v, value(s), kl + "/" + vl);
                assertEquals(seed % 2 == 0 ? Table.NO_EXPIRE : seed, t.expireAt(s));
            }
        }
    }

    @Test
    void longsKeepTheirValueAndPrintLength() {
        long[] values = {0, 1, -1, 127, 128, -128, -129, 32_767, 32_768, Integer.MAX_VALUE, Integer.MIN_VALUE,
            1L << 40, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE};
        for (long v : values) {
            byte[] k = b("n" + v);
            t.putLong(k, 0, k.length, Hashing.hash(k, 0, k.length), v, Table.NO_EXPIRE);
        }
        for (long v : values) {
            int s = find(b("n" + v));
            assertTrue(t.isLong(s));
            assertEquals(v, t.longValue(s));
            assertEquals(Long.toString(v).length(), t.stringLength(s));
        }
        // INCR-like rewrites crossing byte counts, with a TTL that must survive
        byte[] k = b("counter");
        int hash = Hashing.hash(k, 0, k.length);
        for (long v = -300; v <= 70_000; v += 37) {
            t.putLong(k, 0, k.length, hash, v, 1234);
            assertEquals(v, t.longValue(find(k)));
        }
        assertEquals(1234, t.expireAt(find(k)));
    }

    @Test
    void ownArrayEntriesTurnPackedAndBack() {
        byte[] k = b("big");
        put(k, filled(100_000, 1), Table.NO_EXPIRE);
        long live = t.liveBytes();
        put(k, b("small"), 77);
        assertArrayEquals(b("small"), value(find(k)));
        assertTrue(t.liveBytes() > live);
        put(k, filled(50_000, 2), Table.NO_EXPIRE);
        assertArrayEquals(filled(50_000, 2), value(find(k)));
        assertEquals(Table.NO_EXPIRE, t.expireAt(find(k)));
        t.setExpireAt(find(k), 99);
        assertArrayEquals(filled(50_000, 2), value(find(k)));
        assertEquals(99, t.expireAt(find(k)));
        assertEquals(1, t.expiring());
        t.setExpireAt(find(k), Table.NO_EXPIRE);
        assertEquals(0, t.expiring());
        assertArrayEquals(filled(50_000, 2), value(find(k)));
    }

    @Test
    void appendGrowsAStringAndMakesAnIntRaw() {
        byte[] k = b("log");
        int hash = Hashing.hash(k, 0, k.length);
        t.putLong(k, 0, k.length, hash, -12, Table.NO_EXPIRE);
        t.lru(find(k), 4242);
        t.flag(find(k), Table.RAW_STRING, true);
        t.append(find(k), b("abc"), 0, 3);
        int s = find(k);
        assertFalse(t.isLong(s));
        assertArrayEquals(b("-12abc"), value(s));
        assertEquals(4242, t.lru(s));
        assertTrue(t.flag(s, Table.RAW_STRING));
        StringBuilder expected = new StringBuilder("-12abc");
        for (int i = 0; i < 30_000; i++) {
            String piece = Integer.toString(i, 36);
            t.append(find(k), b(piece), 0, piece.length());
            expected.append(piece);
        }
        assertEquals(expected.toString(), new String(value(find(k)), StandardCharsets.ISO_8859_1));
        t.resizeString(find(k), 10);
        assertEquals(expected.substring(0, 10), new String(value(find(k)), StandardCharsets.ISO_8859_1));
        t.resizeString(find(k), 14);
        assertArrayEquals(b(expected.substring(0, 10) + "\0\0\0\0"), value(find(k)));
        t.putLong(k, 0, k.length, hash, 123456, Table.NO_EXPIRE);
        t.resizeString(find(k), 3);
        assertArrayEquals(b("123"), value(find(k)));
        t.putLong(k, 0, k.length, hash, 7, Table.NO_EXPIRE);
        t.resizeString(find(k), 3);
        assertArrayEquals(b("7\0\0"), value(find(k)));
    }

    @Test
    void putClearsFlagsButKeepsTheLru() {
        byte[] k = b("k");
        int s = put(k, b("v"), Table.NO_EXPIRE);
        t.flag(s, Table.RAW_STRING, true);
        t.flag(s, (byte) 2, true);
        t.lru(s, 0xABCDEF);
        s = put(k, b("longer value"), 10);
        assertFalse(t.flag(s, Table.RAW_STRING));
        assertFalse(t.flag(s, (byte) 2));
        assertEquals(0xABCDEF, t.lru(s));
        assertEquals(10, t.expireAt(s));
        t.lru(s, 0x1FFFFFF);
        assertEquals(0xFFFFFF, t.lru(s));
    }

    @Test
    void collectionValuesAndTheirReplacement() {
        byte[] k = b("list");
        int hash = Hashing.hash(k, 0, k.length);
        Object a = new Object(), c = new Object();
        int s = t.putObject(k, 0, k.length, hash, ValueType.LIST, a, Table.NO_EXPIRE);
        assertEquals(ValueType.LIST, t.type(s));
        assertSame(a, t.object(s));
        t.setObject(s, c);
        assertSame(c, t.object(find(k)));
        s = put(k, b("now a string"), Table.NO_EXPIRE);
        assertEquals(ValueType.STRING, t.type(s));
        assertArrayEquals(b("now a string"), value(s));
        s = t.putObject(k, 0, k.length, hash, ValueType.HASH, a, 50);
        assertSame(a, t.object(s));
        assertEquals(50, t.expireAt(s));
        // a huge key holding a collection
        byte[] huge = filled(100_000, 3);
        s = t.putObject(huge, 0, huge.length, Hashing.hash(huge, 0, huge.length), ValueType.ZSET, c, Table.NO_EXPIRE);
        assertSame(c, t.object(s));
        assertArrayEquals(huge, keyOf(s));
        assertSame(a, t.object(find(k)));
    }

    @Test
    void clearEmptiesEverything() {
        for (int i = 0; i < 100; i++) put(b("k" + i), filled(i * 100, i), i % 2 == 0 ? 5 : Table.NO_EXPIRE);
        t.clear();
        assertEquals(0, t.size());
        assertEquals(0, t.expiring());
        assertEquals(0, t.liveBytes());
        assertEquals(Table.NONE, find(b("k1")));
        assertEquals(Table.NONE, t.randomSlot(new Random(1)));
        put(b("k1"), b("again"), Table.NO_EXPIRE);
        assertArrayEquals(b("again"), value(find(b("k1"))));
    }

    @Test
    void randomSlotReachesEveryKey() {
        for (int i = 0; i < 50; i++) put(b("k" + i), b("v"), Table.NO_EXPIRE);
        Random rnd = new Random(5);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) {
            int s = t.randomSlot(rnd);
            assertNotEquals(Table.NONE, s);
            seen.add(new String(keyOf(s), StandardCharsets.ISO_8859_1));
        }
        assertEquals(50, seen.size());
    }
}
