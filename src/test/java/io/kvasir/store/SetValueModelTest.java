package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        behavesLikeAJavaSet(seed, false);
    }

    @ParameterizedTest
    @ValueSource(longs = {5, 6, 7, 8})
    void behavesLikeAJavaSetWhenPackedIntoATable(long seed) {
        behavesLikeAJavaSet(seed, true);
    }

    private void behavesLikeAJavaSet(long seed, boolean inTable) {
        Random r = new Random(seed);
        ChurningTable entries = inTable ? new ChurningTable(r) : null;
        EncodingLimits limits = new EncodingLimits();
        int maxIntset = 10 + r.nextInt(300);
        limits.set(512, 64, maxIntset);
        boolean strings = seed % 2 == 0;
        String first = member(r, strings);
        SetValue s = SetValue.forMember(bytes(first), 0, first.length());
        boolean table = !isLong(first);
        Set<String> model = new HashSet<>();
        for (int op = 0; op < 5000; op++) {
            if (inTable) s = entries.churnAndFind(s);
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
        // a 16-byte object and the array: a 16-byte header, the width byte and the members, rounded up to 8
        assertEquals(16 + 32, s.memoryUsage(), "ten bytes");
        s.add(bytes("32767"), 0, 5, limits);
        assertEquals(16 + 40, s.memoryUsage(), "eleven shorts");
        s.add(bytes("40000"), 0, 5, limits);
        assertEquals(16 + 72, s.memoryUsage(), "twelve ints");
        byte[] wide = bytes("-9223372036854775808");
        s.add(wide, 0, wide.length, limits);
        assertEquals(16 + 128, s.memoryUsage(), "thirteen longs");
        s.remove(wide, 0, wide.length);
        assertEquals(16 + 120, s.memoryUsage(), "still longs after the wide member left");
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "32767", "40000"), members(s));
    }

    /** An intset form of the given width and members, placed at {@code base} inside a larger array. */
    private static byte[] intset(int base, int width, long... members) {
        byte[] p = IntSet.empty();
        for (long m : members) p = IntSet.insert(p, 0, p.length, IntSet.size(p, 0, p.length), m);
        assertEquals(width, IntSet.width(p, 0), "the narrowest width that holds them");
        byte[] out = new byte[base + p.length + 3];
        System.arraycopy(p, 0, out, base, p.length);
        return out;
    }

    @Test
    void intsetSearchOutsideTheWidthFindsTheRightInsertionPoint() {
        int base = 5;
        byte[] shorts = intset(base, 2, -5, 0, 7, 300);
        int end = base + 1 + 4 * 2;
        assertEquals(-1, IntSet.search(shorts, base, end, Short.MIN_VALUE - 1L));
        assertEquals(-5, IntSet.search(shorts, base, end, Short.MAX_VALUE + 1L));
        assertEquals(1, IntSet.search(shorts, base, end, 0));
        assertEquals(-4, IntSet.search(shorts, base, end, 8));
        byte[] widened = IntSet.insert(shorts, base, end, 4, Integer.MAX_VALUE + 1L);
        assertEquals(8, IntSet.width(widened, 0));
        assertEquals(List.of(-5L, 0L, 7L, 300L, Integer.MAX_VALUE + 1L), List.of(IntSet.get(widened, 0, 0), IntSet.get(widened, 0, 1),
                IntSet.get(widened, 0, 2), IntSet.get(widened, 0, 3), IntSet.get(widened, 0, 4)));
        byte[] small = intset(base, 1, -3, 100);
        end = base + 3;
        assertEquals(-1, IntSet.search(small, base, end, Byte.MIN_VALUE - 1L));
        assertEquals(-3, IntSet.search(small, base, end, 128));
        assertEquals(-2, IntSet.search(small, base, end, 99));
        assertEquals(2, IntSet.width(IntSet.insert(small, base, end, 2, 128), 0));
        byte[] removed = IntSet.removeAt(small, base, end, 0);
        assertEquals(List.of(1, 1, 100L), List.of((int) IntSet.width(removed, 0), IntSet.size(removed, 0, removed.length), IntSet.get(removed, 0, 0)));
        byte[] ints = intset(0, 4, 1, 70000);
        assertEquals(-1, IntSet.search(ints, 0, 9, Integer.MIN_VALUE - 1L));
        assertEquals(-3, IntSet.search(ints, 0, 9, Long.MAX_VALUE));
        assertEquals(1, IntSet.search(ints, 0, 9, 70000));
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
