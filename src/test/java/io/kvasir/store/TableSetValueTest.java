package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Table#setString} and {@link Table#setLong}: replacing a value through its slot handle. */
class TableSetValueTest {
    private final Table t = new Table();

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    private int find(byte[] k) { return t.find(k, 0, k.length, Hashing.hash(k, 0, k.length)); }

    private byte[] value(int s) {
        int off = t.stringOffset(s);
        return Arrays.copyOfRange(t.stringArray(s), off, off + t.stringLength(s));
    }

    @Test
    void keepsTtlAndLruClearsFlagsAcrossEncodingsAndSizes() {
        byte[] k = b("counter");
        int s = t.putLong(k, 0, k.length, Hashing.hash(k, 0, k.length), 1, 12345);
        t.lru(s, 777);
        t.flag(s, Table.RAW_STRING, true);
        // one byte of long, then eight, then a long string (own array), then a long again
        for (long v : new long[] {2, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            t.setLong(s, v);
            assertEquals(s, find(k));
            assertTrue(t.isLong(s));
            assertEquals(v, t.longValue(s));
            assertEquals(12345, t.expireAt(s));
            assertEquals(777, t.lru(s));
            assertFalse(t.flag(s, Table.RAW_STRING));
            t.flag(s, Table.RAW_STRING, true);
        }
        for (int n : new int[] {0, 3, 200, Table.MAX_PACKED + 10, 5}) {
            byte[] v = new byte[n];
            Arrays.fill(v, (byte) 'x');
            t.setString(s, v, 0, n);
            assertFalse(t.isLong(s));
            assertArrayEquals(v, value(s));
            assertEquals(12345, t.expireAt(s));
            assertEquals(777, t.lru(s));
            assertFalse(t.flag(s, Table.RAW_STRING));
            t.flag(s, Table.RAW_STRING, true);
        }
        assertEquals(1, t.size());
        assertEquals(1, t.expiring());
    }

    @Test
    void replacesACollectionAndLeavesOtherKeysAlone() {
        byte[] k = b("list"), other = b("other");
        t.putObject(k, 0, k.length, Hashing.hash(k, 0, k.length), ValueType.LIST, new ArrayList<>(), Table.NO_EXPIRE);
        t.putString(other, 0, other.length, Hashing.hash(other, 0, other.length), b("keep"), 0, 4, Table.NO_EXPIRE);
        int s = find(k);
        t.setString(s, b("--abc--"), 2, 3);
        assertEquals(ValueType.STRING, t.type(s));
        assertArrayEquals(b("abc"), value(s));
        assertEquals(Table.NO_EXPIRE, t.expireAt(s));
        t.setLong(s, 42);
        assertEquals(42, t.longValue(s));
        assertArrayEquals(b("keep"), value(find(other)));
        assertEquals(2, t.size());
        assertEquals(0, t.expiring());
    }
}
