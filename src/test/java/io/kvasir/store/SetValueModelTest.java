package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SetValue} and its compact form {@link IntSet} against java.util sets: integers around the
 * 8-, 16-, 32- and 64-bit boundaries (so the intset widens mid-run), non-canonical numbers and strings
 * (which convert it), a random intset limit, removals and copies.
 */
class SetValueModelTest {
    private static final long[] EDGES = {0, 1, -1, Byte.MAX_VALUE, Byte.MIN_VALUE, Short.MAX_VALUE, Short.MIN_VALUE, Short.MAX_VALUE + 1L,
            Short.MIN_VALUE - 1L, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L, Integer.MIN_VALUE - 1L,
            Long.MAX_VALUE, Long.MIN_VALUE};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> members(SetValue s) {
        List<String> out = new ArrayList<>();
        s.forEach((b, off, len) -> out.add(new String(b, off, len, StandardCharsets.ISO_8859_1)));
        return out;
    }

    /** A member: mostly integers of every width, sometimes a string or a number Redis does not take as one. */
    private static String member(Random r, boolean strings) {
        int k = r.nextInt(20);
        if (strings && k == 0) return new String[] {"x", "", "007", "-0", "+1", " 1", "1.0", "9223372036854775808"}[r.nextInt(8)];
        if (k < 4) return Long.toString(EDGES[r.nextInt(EDGES.length)] + r.nextInt(3) - 1);
        if (k < 12) return Integer.toString(r.nextInt(200) - 100);
        return Long.toString(k < 16 ? r.nextInt() : r.nextLong());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void behavesLikeAJavaSet(long seed) {
        Random r = new Random(seed);
        EncodingLimits limits = new EncodingLimits();
        int maxIntset = 10 + r.nextInt(300);
        limits.set(512, 64, maxIntset);
        boolean strings = seed % 2 == 0;
        String first = member(r, strings);
        SetValue s = SetValue.forMember(bytes(first), 0, first.length());
        boolean table = !isLong(first);
        Set<String> model = new HashSet<>();
        for (int op = 0; op < 5000; op++) {
            String m = op == 0 ? first : member(r, strings);
            byte[] b = bytes(m);
            switch (r.nextInt(op < 2000 ? 3 : 5)) {
                case 0, 1 -> {
                    boolean fresh = model.add(m);
                    table |= !isLong(m) || model.size() > maxIntset;
                    assertEquals(fresh, s.add(b, 0, b.length, limits), "add " + m);
                }
                case 2 -> assertEquals(model.contains(m), s.contains(b, 0, b.length), "contains " + m);
                default -> assertEquals(model.remove(m), s.remove(b, 0, b.length), "remove " + m);
            }
            assertEquals(model.size(), s.size());
            assertEquals(table ? "hashtable" : "intset", s.encoding(), "encoding after " + op);
            if (op % 50 == 0) {
                List<String> got = members(s);
                assertEquals(model, new HashSet<>(got));
                assertEquals(model.size(), got.size());
                if (!table) {
                    List<String> sorted = new ArrayList<>();
                    new TreeSet<>(model.stream().map(Long::parseLong).toList()).forEach(v -> sorted.add(Long.toString(v)));
                    assertEquals(sorted, got, "an intset lists its members in ascending order");
                }
            }
        }
    }

    private static boolean isLong(String m) {
        return io.kvasir.protocol.Numbers.isLong(bytes(m), 0, m.length());
    }

    @Test
    void intsetsUseTheNarrowestWidthAndNeverNarrow() {
        EncodingLimits limits = new EncodingLimits();
        SetValue s = SetValue.empty();
        for (int i = 1; i <= 10; i++) s.add(bytes(Integer.toString(i)), 0, i < 10 ? 1 : 2, limits);
        // a 16-byte object and the array: a 16-byte header plus the members, rounded up to 8
        assertEquals(16 + 32, s.memoryUsage(), "ten bytes");
        s.add(bytes("32767"), 0, 5, limits);
        assertEquals(16 + 40, s.memoryUsage(), "eleven shorts");
        s.add(bytes("40000"), 0, 5, limits);
        assertEquals(16 + 64, s.memoryUsage(), "twelve ints");
        byte[] wide = bytes("-9223372036854775808");
        s.add(wide, 0, wide.length, limits);
        assertEquals(16 + 120, s.memoryUsage(), "thirteen longs");
        s.remove(wide, 0, wide.length);
        assertEquals(16 + 112, s.memoryUsage(), "still longs after the wide member left");
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "32767", "40000"), members(s));
    }

    @Test
    void intsetSearchOutsideTheWidthFindsTheRightInsertionPoint() {
        Object shorts = new short[] {-5, 0, 7};
        assertEquals(-1, IntSet.search(shorts, Short.MIN_VALUE - 1L));
        assertEquals(-4, IntSet.search(shorts, Short.MAX_VALUE + 1L));
        assertEquals(1, IntSet.search(shorts, 0));
        Object widened = IntSet.insert(shorts, 3, Integer.MAX_VALUE + 1L);
        assertInstanceOf(long[].class, widened);
        assertEquals(List.of(-5L, 0L, 7L, Integer.MAX_VALUE + 1L),
                List.of(IntSet.get(widened, 0), IntSet.get(widened, 1), IntSet.get(widened, 2), IntSet.get(widened, 3)));
        Object small = new byte[] {-3, 100};
        assertEquals(-1, IntSet.search(small, Byte.MIN_VALUE - 1L));
        assertEquals(-3, IntSet.search(small, 128));
        assertEquals(-2, IntSet.search(small, 99));
        assertInstanceOf(short[].class, IntSet.insert(small, 2, 128));
        assertInstanceOf(byte[].class, IntSet.removeAt(small, 0));
        Object ints = new int[] {1, 2};
        assertEquals(-1, IntSet.search(ints, Integer.MIN_VALUE - 1L));
        assertEquals(-3, IntSet.search(ints, Long.MAX_VALUE));
    }

    @Test
    void copiesAreIndependentInBothForms() {
        EncodingLimits limits = new EncodingLimits();
        for (String extra : new String[] {"3", "x"}) {
            SetValue s = SetValue.empty();
            for (String m : new String[] {"1", "2", extra}) s.add(bytes(m), 0, m.length(), limits);
            SetValue c = (SetValue) s.copy();
            assertEquals(s.encoding(), c.encoding());
            c.add(bytes("99"), 0, 2, limits);
            c.remove(bytes("1"), 0, 1);
            assertEquals(Set.of("1", "2", extra), new HashSet<>(members(s)));
            s.remove(bytes("2"), 0, 1);
            assertEquals(Set.of("2", extra, "99"), new HashSet<>(members(c)));
        }
    }

    @Test
    void handlesAndSamplersReachEveryMember() {
        EncodingLimits limits = new EncodingLimits();
        for (int n : new int[] {1, 9, 700}) {
            for (boolean strings : new boolean[] {false, true}) {
                SetValue s = SetValue.empty();
                for (int i = 0; i < n; i++) {
                    byte[] b = bytes((strings ? "m" : "") + i);
                    s.add(b, 0, b.length, limits);
                }
                Set<String> all = new HashSet<>(members(s));
                Set<String> viaHandles = new HashSet<>();
                for (int h : s.handles()) s.member(h, (b, off, len) -> viaHandles.add(new String(b, off, len, StandardCharsets.ISO_8859_1)));
                assertEquals(all, viaHandles);
                Set<String> drawn = new HashSet<>();
                var sampler = s.sampler(new Random(n));
                for (int i = 0; i < 50 * n; i++) {
                    s.member(sampler.getAsInt(), (b, off, len) -> drawn.add(new String(b, off, len, StandardCharsets.ISO_8859_1)));
                }
                assertEquals(all, drawn, s.encoding());
                // pop everything through handles
                while (s.size() > 0) {
                    int h = s.sampler(new Random(s.size())).getAsInt();
                    String[] m = new String[1];
                    s.member(h, (b, off, len) -> m[0] = new String(b, off, len, StandardCharsets.ISO_8859_1));
                    s.removeAt(h);
                    assertTrue(all.remove(m[0]));
                    assertFalse(s.contains(bytes(m[0]), 0, m[0].length()));
                }
                assertTrue(all.isEmpty());
            }
        }
    }
}
