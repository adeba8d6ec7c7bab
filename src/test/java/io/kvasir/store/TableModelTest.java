package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Random operations on a {@link Table} checked against a plain map of what each key should hold. */
class TableModelTest {
    private static final byte[] TYPES = {ValueType.LIST, ValueType.SET, ValueType.ZSET, ValueType.HASH, ValueType.STREAM};

    /** What one key should hold. Strings are {@code bytes} or {@code num} (int-encoded). */
    static final class Value {
        byte type = ValueType.STRING;
        boolean isLong;
        byte[] bytes;
        long num;
        Object obj;
        long expire = Table.NO_EXPIRE;
        int flags;
        int lru;

        byte[] stringBytes() {
            return isLong ? Long.toString(num).getBytes(StandardCharsets.US_ASCII) : bytes;
        }
    }

    private final Map<String, Value> model = new HashMap<>();
    private final Table t = new Table();
    private Random rnd;

    static String str(byte[] k) { return new String(k, StandardCharsets.ISO_8859_1); }
    static byte[] bytes(String k) { return k.getBytes(StandardCharsets.ISO_8859_1); }

    /** Key i: mostly short, a few empty or long enough to need an array of their own. */
    static byte[] key(int i) {
        if (i == 0) return new byte[0];
        byte[] base = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
        if (i % 97 != 0) return base;
        byte[] k = Arrays.copyOf(base, i % 2 == 0 ? 200 : Table.MAX_PACKED + 300);
        for (int j = base.length; j < k.length; j++) k[j] = (byte) (j * 31 + i);
        return k;
    }

    private byte[] randomValue() {
        int r = rnd.nextInt(100);
        int len = r < 5 ? 0 : r < 60 ? 1 + rnd.nextInt(30) : r < 85 ? 30 + rnd.nextInt(300)
                : r < 97 ? 300 + rnd.nextInt(Table.MAX_PACKED + 500) : 20_000 + rnd.nextInt(60_000);
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        return v;
    }

    private long randomLong() {
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(256) - 128;
            case 1 -> rnd.nextInt();
            case 2 -> rnd.nextLong();
            default -> rnd.nextBoolean() ? Long.MAX_VALUE - rnd.nextInt(3) : Long.MIN_VALUE + rnd.nextInt(3);
        };
    }

    private long randomExpire() {
        return rnd.nextInt(3) == 0 ? Table.NO_EXPIRE : 1_700_000_000_000L + rnd.nextInt(1_000_000);
    }

    /** The slice [off, off + len) of a bigger array, so offsets are exercised. */
    private record Slice(byte[] buf, int off, int len) {}

    private Slice embed(byte[] b) {
        int pre = rnd.nextInt(4), post = rnd.nextInt(4);
        byte[] buf = new byte[pre + b.length + post];
        Arrays.fill(buf, (byte) '#');
        System.arraycopy(b, 0, buf, pre, b.length);
        return new Slice(buf, pre, b.length);
    }

    private int find(byte[] k) {
        return t.find(k, 0, k.length, Hashing.hash(k, 0, k.length));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 42})
    void randomOperationsMatchTheModel(long seed) {
        rnd = new Random(seed);
        int keys = 50;
        for (int step = 0; step < 40_000; step++) {
            if (step % 5_000 == 0) keys = 20 + rnd.nextInt(step % 10_000 == 0 ? 3_000 : 200); // grow, then shrink
            byte[] k = key(rnd.nextInt(keys));
            operate(k);
            checkKey(k);
            assertTrue(t.garbageBytes() <= Math.max(t.liveBytes(), 1024), "compaction keeps garbage below live bytes");
            if (step % 1_000 == 999) checkAll();
            if (rnd.nextInt(15_000) == 0) {
                t.clear();
                model.clear();
            }
        }
        checkAll();
        // drain to empty: the table returns to its smallest size
        for (String k : new ArrayList<>(model.keySet())) {
            t.removeAt(find(bytes(k)));
            model.remove(k);
        }
        checkAll();
        assertEquals(8, t.capacity());
        assertEquals(0, t.liveBytes());
    }

    private void operate(byte[] k) {
        String ks = str(k);
        Value m = model.get(ks);
        int hash = Hashing.hash(k, 0, k.length);
        Slice key = embed(k);
        int op = rnd.nextInt(100);
        if (op < 30) {
            byte[] v = randomValue();
            Slice sv = embed(v);
            Value n = putModel(k, fresh(m, randomExpire()));
            n.bytes = v;
            int s = t.putString(key.buf, key.off, key.len, hash, sv.buf, sv.off, sv.len, n.expire);
            assertEquals(s, find(k));
        } else if (op < 40) {
            Value n = putModel(k, fresh(m, randomExpire()));
            n.isLong = true;
            n.num = randomLong();
            t.putLong(key.buf, key.off, key.len, hash, n.num, n.expire);
        } else if (op < 50) {
            Value n = putModel(k, fresh(m, randomExpire()));
            n.type = TYPES[rnd.nextInt(TYPES.length)];
            n.obj = new Object();
            t.putObject(key.buf, key.off, key.len, hash, n.type, n.obj, n.expire);
        } else if (op < 52) {
            Value n = putModel(k, fresh(m, randomExpire()));
            if (rnd.nextBoolean()) {
                n.bytes = randomValue();
                t.putObject(key.buf, key.off, key.len, hash, ValueType.STRING, n.bytes.clone(), n.expire);
            } else {
                n.isLong = true;
                n.num = randomLong();
                t.putObject(key.buf, key.off, key.len, hash, ValueType.STRING, n.num, n.expire);
            }
        } else if (m == null) {
            assertEquals(Table.NONE, t.find(key.buf, key.off, key.len, hash));
        } else {
            int s = t.find(key.buf, key.off, key.len, hash);
            assertNotEquals(Table.NONE, s);
            if (op < 62) {
                long at = randomExpire();
                t.setExpireAt(s, at);
                m.expire = at;
            } else if (op < 68) {
                byte f = (byte) (1 + rnd.nextInt(2));
                boolean on = rnd.nextBoolean();
                t.flag(s, f, on);
                m.flags = on ? m.flags | f : m.flags & ~f;
            } else if (op < 72) {
                m.lru = rnd.nextInt(1 << 24);
                t.lru(s, m.lru);
            } else if (op < 85) {
                t.removeAt(s);
                model.remove(ks);
            } else if (m.type == ValueType.STRING) {
                byte[] old = m.stringBytes();
                if (rnd.nextBoolean()) {
                    byte[] add = randomValue();
                    if (rnd.nextInt(4) == 0) add = Arrays.copyOf(add, Math.min(add.length, 3));
                    Slice sa = embed(add);
                    t.append(s, sa.buf, sa.off, sa.len);
                    m.bytes = concat(old, add);
                } else {
                    int len = rnd.nextInt(4) == 0 ? rnd.nextInt(old.length + 1) : old.length + rnd.nextInt(rnd.nextBoolean() ? 50 : 9_000);
                    t.resizeString(s, len);
                    m.bytes = Arrays.copyOf(old, len);
                    if (len > 0 && rnd.nextBoolean()) { // write through the view
                        int at = rnd.nextInt(len);
                        byte x = (byte) rnd.nextInt();
                        t.stringArray(s)[t.stringOffset(s) + at] = x;
                        m.bytes[at] = x;
                    }
                }
                m.isLong = false;
                assertFalse(t.isLong(s));
            } else {
                m.obj = new Object();
                t.setObject(s, m.obj);
            }
        }
    }

    /** The model of a put: a new value keeping only the LRU of the one it replaces. */
    private Value fresh(Value old, long expire) {
        Value n = new Value();
        n.expire = expire;
        if (old != null) n.lru = old.lru;
        return n;
    }

    private Value putModel(byte[] k, Value v) {
        model.put(str(k), v);
        return v;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private void checkKey(byte[] k) {
        Value m = model.get(str(k));
        int s = find(k);
        if (m == null) {
            assertEquals(Table.NONE, s);
            return;
        }
        assertNotEquals(Table.NONE, s);
        checkSlot(s, k, m);
    }

    private void checkSlot(int s, byte[] k, Value m) {
        assertTrue(t.occupied(s));
        assertEquals(Hashing.hash(k, 0, k.length), t.hashAt(s));
        assertArrayEquals(k, Arrays.copyOfRange(t.keyArray(s), t.keyOffset(s), t.keyOffset(s) + t.keyLength(s)));
        assertEquals(m.type, t.type(s));
        assertEquals(m.expire, t.expireAt(s));
        assertEquals(m.lru, t.lru(s));
        assertEquals((m.flags & 1) != 0, t.flag(s, Table.RAW_STRING));
        assertEquals((m.flags & 2) != 0, t.flag(s, (byte) 2));
        if (m.type != ValueType.STRING) {
            assertSame(m.obj, t.object(s));
            return;
        }
        assertEquals(m.isLong, t.isLong(s));
        byte[] expected = m.stringBytes();
        assertEquals(expected.length, t.stringLength(s));
        if (m.isLong) {
            assertEquals(m.num, t.longValue(s));
            assertEquals(m.num, t.object(s));
        } else {
            int off = t.stringOffset(s);
            assertArrayEquals(expected, Arrays.copyOfRange(t.stringArray(s), off, off + t.stringLength(s)));
            assertArrayEquals(expected, (byte[]) t.object(s));
        }
    }

    private void checkAll() {
        assertEquals(model.size(), t.size());
        assertEquals(model.values().stream().filter(v -> v.expire != Table.NO_EXPIRE).count(), t.expiring());
        Set<String> seen = new HashSet<>();
        t.forEach((table, s) -> {
            byte[] k = Arrays.copyOfRange(table.keyArray(s), table.keyOffset(s), table.keyOffset(s) + table.keyLength(s));
            assertTrue(seen.add(str(k)), "each key once");
            checkSlot(s, k, model.get(str(k)));
        });
        assertEquals(model.keySet(), seen);
        for (Map.Entry<String, Value> e : model.entrySet()) checkSlot(find(bytes(e.getKey())), bytes(e.getKey()), e.getValue());
        assertTrue(t.size() <= t.capacity() * 0.8);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8})
    void overwritesOfChangingSizeAreCompacted(long seed) {
        rnd = new Random(seed);
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i <= 2_000; i++) keys.add(bytes("key:" + i));
        for (int round = 0; round < 20; round++) {
            for (byte[] k : keys) {
                byte[] v = new byte[rnd.nextInt(120)];
                rnd.nextBytes(v);
                putModel(k, fresh(model.get(str(k)), Table.NO_EXPIRE)).bytes = v;
                t.putString(k, 0, k.length, Hashing.hash(k, 0, k.length), v, 0, v.length, Table.NO_EXPIRE);
                assertTrue(t.garbageBytes() <= Math.max(t.liveBytes(), 1024));
            }
        }
        checkAll();
        long entries = 0;
        for (byte[] k : keys) entries += 4 + 1 + 1 + k.length + model.get(str(k)).bytes.length;
        assertEquals(entries, t.liveBytes(), "live bytes are the sum of the entry sizes");
    }

    @ParameterizedTest
    @ValueSource(longs = {11})
    void viewsStayReadableAcrossWritesToOtherKeys(long seed) {
        rnd = new Random(seed);
        byte[] a = bytes("a");
        byte[] v = randomValue();
        t.putString(a, 0, 1, Hashing.hash(a, 0, 1), v, 0, v.length, Table.NO_EXPIRE);
        int s = find(a);
        byte[] view = t.stringArray(s);
        int off = t.stringOffset(s);
        t.removeAt(s);
        for (int i = 1; i < 3_000; i++) {
            byte[] k = key(i);
            byte[] w = randomValue();
            t.putString(k, 0, k.length, Hashing.hash(k, 0, k.length), w, 0, w.length, randomExpire());
            if (i % 3 == 0) t.removeAt(find(k));
        }
        assertArrayEquals(v, Arrays.copyOfRange(view, off, off + v.length));
        // and a value copied from a view into another key of the same table
        byte[] b = key(2);
        int sb = find(b);
        byte[] expected = Arrays.copyOfRange(t.stringArray(sb), t.stringOffset(sb), t.stringOffset(sb) + t.stringLength(sb));
        byte[] c = bytes("copy");
        t.putString(c, 0, c.length, Hashing.hash(c, 0, c.length), t.stringArray(sb), t.stringOffset(sb), t.stringLength(sb), Table.NO_EXPIRE);
        int sc = find(c);
        assertArrayEquals(expected, Arrays.copyOfRange(t.stringArray(sc), t.stringOffset(sc), t.stringOffset(sc) + t.stringLength(sc)));
    }
}
