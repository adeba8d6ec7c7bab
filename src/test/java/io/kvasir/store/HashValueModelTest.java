package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link HashValue} and its packed form {@link PackedPairs} against a {@link LinkedHashMap} (which
 * keeps insertion order as a listpack does): random sets, removals and lookups with field and
 * value lengths around the nibble and varint boundaries, small random limits so that conversions
 * to the table form happen mid-run, and copies that must stay independent.
 */
class HashValueModelTest {
    /** Lengths around the 4-bit nibble (14, 15, 16) and the 1-byte varint (15 + 127 = 142). */
    private static final int[] LENGTHS = {0, 1, 2, 8, 13, 14, 15, 16, 17, 40, 141, 142, 143, 300};

    private static String text(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String random(Random r, int len) {
        char[] c = new char[len];
        for (int i = 0; i < len; i++) c[i] = (char) r.nextInt(256); // any byte, NUL and 0xFF included
        return new String(c);
    }

    /** Field names drawn from a small pool, so that sets hit present fields as often as absent ones. */
    private static String field(Random r, List<String> pool) {
        if (pool.size() < 60 && r.nextInt(3) == 0) pool.add(random(r, LENGTHS[r.nextInt(LENGTHS.length)]));
        return pool.isEmpty() ? "" : pool.get(r.nextInt(pool.size()));
    }

    private static Map<String, String> contents(HashValue h) {
        Map<String, String> m = new LinkedHashMap<>();
        h.forEach((b, fo, fl, vo, vl) -> m.put(text(b, fo, fl), text(b, vo, vl)));
        return m;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void behavesLikeALinkedHashMap(long seed) {
        behavesLikeALinkedHashMap(seed, false);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7, 8})
    void behavesLikeALinkedHashMapWhenPackedIntoATable(long seed) {
        behavesLikeALinkedHashMap(seed, true);
    }

    private void behavesLikeALinkedHashMap(long seed, boolean inTable) {
        Random r = new Random(seed);
        EncodingLimits limits = new EncodingLimits();
        int maxEntries = 5 + r.nextInt(40), maxValue = 20 + r.nextInt(200);
        limits.set(maxEntries, maxValue, 512);
        ChurningTable entries = inTable ? new ChurningTable(r) : null;
        HashValue h = new HashValue();
        Map<String, String> model = new LinkedHashMap<>();
        List<String> pool = new ArrayList<>();
        boolean table = false;
        for (int op = 0; op < 4000; op++) {
            if (inTable) h = entries.churnAndFind(h);
            String f = field(r, pool);
            byte[] fb = bytes(f);
            switch (r.nextInt(4)) {
                case 0, 1 -> {
                    String v = random(r, LENGTHS[r.nextInt(LENGTHS.length)]);
                    byte[] vb = bytes(v);
                    // Redis's layout in the request: field and value at offsets inside one buffer
                    byte[] buf = new byte[fb.length + vb.length + 3];
                    System.arraycopy(fb, 0, buf, 1, fb.length);
                    System.arraycopy(vb, 0, buf, fb.length + 2, vb.length);
                    boolean fresh = !model.containsKey(f);
                    model.put(f, v);
                    table |= fb.length > maxValue || vb.length > maxValue || model.size() > maxEntries;
                    assertEquals(fresh, h.set(buf, 1, fb.length, buf, fb.length + 2, vb.length, limits), "set " + op);
                }
                case 2 -> assertEquals(model.remove(f) != null, h.remove(fb, 0, fb.length), "remove " + op);
                default -> {
                    int at = h.find(fb, 0, fb.length);
                    String v = model.get(f);
                    assertEquals(v != null, at != HashValue.NONE, "find " + op);
                    if (v != null) {
                        assertEquals(v, text(h.array(at), h.valueOffset(at), h.valueLength(at)));
                        assertEquals(f, text(h.array(at), h.fieldOffset(at), h.fieldLength(at)));
                    }
                }
            }
            assertEquals(model.size(), h.size(), "size " + op);
            assertEquals(table ? "hashtable" : "listpack", h.encoding(), "encoding " + op);
            if (op % 50 == 0) {
                Map<String, String> got = contents(h);
                if (table) assertEquals(model, got);
                else assertEquals(List.copyOf(model.entrySet()), List.copyOf(got.entrySet())); // same order
            }
        }
    }

    @Test
    void handlesAndSamplersCoverEveryPair() {
        for (int n : new int[] {1, 7, 600}) {
            HashValue h = new HashValue();
            EncodingLimits limits = new EncodingLimits();
            for (int i = 0; i < n; i++) {
                byte[] f = bytes("f" + i), v = bytes("v" + i);
                h.set(f, 0, f.length, v, 0, v.length, limits);
            }
            Set<String> fromHandles = new HashSet<>();
            for (int at : h.handles()) {
                assertEquals("v" + text(h.array(at), h.fieldOffset(at) + 1, h.fieldLength(at) - 1),
                        text(h.array(at), h.valueOffset(at), h.valueLength(at)));
                fromHandles.add(text(h.array(at), h.fieldOffset(at), h.fieldLength(at)));
            }
            assertEquals(contents(h).keySet(), fromHandles);
            Set<String> sampled = new HashSet<>();
            var sampler = h.sampler(new Random(n));
            for (int i = 0; i < 50 * n; i++) {
                int at = sampler.getAsInt();
                sampled.add(text(h.array(at), h.fieldOffset(at), h.fieldLength(at)));
            }
            assertEquals(fromHandles, sampled, "every field can be drawn (" + h.encoding() + ")");
        }
    }

    @Test
    void copiesAreIndependentInBothForms() {
        EncodingLimits limits = new EncodingLimits();
        limits.set(3, 64, 512);
        for (int n : new int[] {2, 10}) {
            HashValue h = new HashValue();
            for (int i = 0; i < n; i++) {
                byte[] f = bytes("f" + i);
                h.set(f, 0, f.length, f, 0, f.length, limits);
            }
            Map<String, String> before = contents(h);
            HashValue c = (HashValue) h.copy();
            assertEquals(h.encoding(), c.encoding());
            byte[] x = bytes("f0"), y = bytes("changed");
            c.set(x, 0, x.length, y, 0, y.length, limits);
            c.remove(bytes("f1"), 0, 2);
            assertEquals(before, contents(h));
            h.remove(x, 0, x.length);
            assertEquals("changed", contents(c).get("f0"));
        }
    }

    @Test
    void packedCountSaturatesAndIsThenCountedByWalking() {
        // 70000 pairs, each a 3-byte field and an empty value (length byte 0x30), count 0xFFFF
        int n = 70_000;
        byte[] p = new byte[PackedPairs.FIRST + 4 * n];
        p[0] = (byte) 0xFF;
        p[1] = (byte) 0xFF;
        for (int i = 0, at = PackedPairs.FIRST; i < n; i++, at += 4) {
            p[at] = 0x30;
            p[at + 1] = (byte) (i >>> 16);
            p[at + 2] = (byte) (i >>> 8);
            p[at + 3] = (byte) i;
        }
        assertEquals(n, PackedPairs.count(p, 0, p.length));
        byte[] q = PackedPairs.remove(p, 0, p.length, PackedPairs.first(0));
        assertEquals(n - 1, PackedPairs.count(q, 0, q.length));
        byte[] f = {1, 2, 3};
        assertTrue(PackedPairs.find(q, 0, q.length, f, 0, 3) >= 0);
        byte[] small = PackedPairs.empty();
        for (int i = 0; i < 3; i++) small = PackedPairs.append(small, 0, small.length, new byte[] {(byte) i}, 0, 1, f, 0, 0);
        assertArrayEquals(new byte[] {3, 0}, Arrays.copyOf(small, 2));
    }

    @Test
    void packedFormIsReadAndWrittenInsideALargerArray() {
        byte[] f = {'f'}, v = {'v', 'v'};
        byte[] form = PackedPairs.empty();
        for (int i = 0; i < 3; i++) form = PackedPairs.append(form, 0, form.length, new byte[] {(byte) ('a' + i)}, 0, 1, v, 0, 2);
        // the form as a table entry holds it: between other bytes
        int base = 7;
        byte[] page = new byte[base + form.length + 5];
        Arrays.fill(page, (byte) 0x7F);
        System.arraycopy(form, 0, page, base, form.length);
        int end = base + form.length;
        assertEquals(3, PackedPairs.count(page, base, end));
        int b = PackedPairs.find(page, base, end, new byte[] {'b'}, 0, 1);
        assertEquals(PackedPairs.first(base) + 4, b);
        assertEquals(-1, PackedPairs.find(page, base, end, f, 0, 1));
        assertArrayEquals(PackedPairs.remove(form, 0, form.length, b - base), PackedPairs.remove(page, base, end, b));
        byte[] longer = PackedPairs.replaceValue(page, base, end, b, new byte[] {'w', 'w', 'w'}, 0, 3);
        assertEquals(3, PackedPairs.count(longer, 0, longer.length));
        int nb = PackedPairs.find(longer, 0, longer.length, new byte[] {'b'}, 0, 1);
        assertEquals(3, PackedPairs.valueLength(longer, nb));
        assertArrayEquals(PackedPairs.append(form, 0, form.length, f, 0, 1, v, 0, 2), PackedPairs.append(page, base, end, f, 0, 1, v, 0, 2));
        assertSame(page, PackedPairs.replaceValue(page, base, end, b, new byte[] {'x', 'y'}, 0, 2));
        assertEquals('x', page[PackedPairs.valueOffset(page, b)]);
    }
}
