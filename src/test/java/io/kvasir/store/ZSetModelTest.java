package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both encodings against a model: a TreeSet of (score, member) ordered as Redis orders them, plus a
 * member-to-score map. Seeded random operations (adds, score changes, removals, rank-range removals);
 * after every step the set's size, scores, ranks, score and lex counts, forward and reverse range
 * walks and random rank picks must match the model, and the tree's invariants must hold; every few steps
 * the large encoding's memoryUsage() must equal an independent count of its heap bytes.
 */
class ZSetModelTest {

    /** A model entry; members as ISO-8859-1 strings so each char is one byte. */
    record Item(double score, String member) {}

    static final Comparator<Item> ORDER = (a, b) -> {
        if (a.score < b.score) return -1;
        if (a.score > b.score) return 1;
        return Arrays.compareUnsigned(bytes(a.member), bytes(b.member));
    };

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static final class Model {
        final TreeSet<Item> order = new TreeSet<>(ORDER);
        final Map<String, Double> scores = new HashMap<>();

        boolean put(String m, double s) {
            Double old = scores.get(m);
            if (old != null && old == s) return false; // an equal score (0 and -0 too) changes nothing, as in Redis
            scores.put(m, s);
            if (old != null) order.remove(new Item(old, m));
            order.add(new Item(s, m));
            return old == null;
        }

        boolean remove(String m) {
            Double old = scores.remove(m);
            if (old == null) return false;
            order.remove(new Item(old, m));
            return true;
        }

        List<Item> list() { return new ArrayList<>(order); }
    }

    static List<Object[]> encodings() {
        List<Object[]> out = new ArrayList<>();
        for (long seed : new long[] {1, 2, 3}) {
            out.add(new Object[] {"listpack", seed, (Supplier<ZSet>) ZSetListpack::new, 150, 40});
            out.add(new Object[] {"skiplist", seed, (Supplier<ZSet>) ZSetSkiplist::new, 1500, 400});
            // nodes of 8 make a deep tree of a few hundred members: splits, merges and borrows at every level
            out.add(new Object[] {"skiplist fanout 8", seed, (Supplier<ZSet>) () -> new ZSetSkiplist(8), 3000, 600});
        }
        return out;
    }

    /** Scores with ties, infinities, fractions and both zeros, so ordering by member matters. */
    static double randomScore(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> Double.POSITIVE_INFINITY;
            case 1 -> Double.NEGATIVE_INFINITY;
            case 2 -> r.nextBoolean() ? 0.0 : -0.0;
            case 3 -> r.nextGaussian() * 1e6;
            default -> r.nextInt(20) - 10 + (r.nextBoolean() ? 0.5 : 0);
        };
    }

    static String randomMember(Random r, int pool) {
        int n = r.nextInt(pool);
        // some members are prefixes of others, some hold bytes above 0x7f or a NUL
        return switch (n % 4) {
            case 0 -> "m" + n;
            case 1 -> "m" + n + "\u00ff";
            case 2 -> "m" + (n / 10);
            default -> "\u0000x" + n;
        };
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("encodings")
    void randomOperationsMatchTheModel(String name, long seed, Supplier<ZSet> create, int steps, int pool) {
        randomOperationsMatchTheModel(seed, create.get(), steps, pool, null);
    }

    /**
     * The listpack as commands see it: stored packed into its table entry while other keys come and
     * go, read through a fresh view after every change, and converted as ZADD converts it (the
     * skiplist that {@link ZSet#withRoomFor} returns replaces it in the entry) once it passes a
     * random entry limit, after which the skiplist goes on in the table.
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {4, 5, 6, 7})
    void randomOperationsMatchTheModelWhenPackedIntoATable(long seed) {
        Random r = new Random(seed);
        randomOperationsMatchTheModel(seed, ZSet.create(), 1500, 120, new ChurningTable(r));
    }

    private void randomOperationsMatchTheModel(long seed, ZSet z, int steps, int pool, ChurningTable entries) {
        Random r = new Random(seed);
        int maxEntries = entries == null ? 0 : 25 + r.nextInt(25);
        boolean converted = false;
        Model model = new Model();
        for (int step = 0; step < steps; step++) {
            if (entries != null) z = entries.churnAndFind(z);
            int op = r.nextInt(10);
            if (op < 5) {
                String m = randomMember(r, pool);
                double s = randomScore(r);
                if (entries != null && !model.scores.containsKey(m)) {
                    ZSet room = z.withRoomFor(bytes(m).length, maxEntries, 64);
                    if (room != z) {
                        entries.replace(room);
                        z = room;
                    }
                }
                // the listpack keeps no negative zero; the model follows what each encoding stores
                double stored = z instanceof ZSetListpack && s == 0 ? 0.0 : s;
                assertEquals(model.put(m, stored), z.put(bytes(m), 0, bytes(m).length, s), "put " + m);
            } else if (op < 8) {
                String m = randomMember(r, pool);
                assertEquals(model.remove(m), z.remove(bytes(m), 0, bytes(m).length), "remove " + m);
            } else if (op == 8 && model.order.size() > 0) {
                int from = r.nextInt(model.order.size());
                int to = Math.min(model.order.size(), from + (r.nextInt(8) == 0 ? r.nextInt(60) : r.nextInt(4)));
                List<Item> items = model.list();
                for (Item it : items.subList(from, to)) model.remove(it.member);
                z.removeRange(from, to);
            } else {
                ZSet copy = z.copy();
                assertNotSame(z, copy);
                check(copy, model, r);
            }
            if (entries != null) {
                converted |= model.order.size() > maxEntries;
                assertEquals(converted ? "skiplist" : "listpack", z.encoding(), "converted once past the limit");
                z = entries.churnAndFind(z);
            }
            check(z, model, r);
            if (step % 20 == 0 && z instanceof ZSetSkiplist s) assertEquals(memoryOf(s), s.memoryUsage());
        }
    }

    static void check(ZSet z, Model model, Random r) {
        List<Item> items = model.list();
        int n = items.size();
        assertEquals(n, z.size());
        if (z instanceof ZSetSkiplist s) s.verify();
        assertEquals(items, walk(z, 0, n, false));
        for (int i = 0; i < n; i++) {
            Item it = items.get(i);
            byte[] m = bytes(it.member);
            assertEquals(i, z.rank(m, 0, m.length), "rank of " + it);
            assertEquals(Double.doubleToRawLongBits(it.score), Double.doubleToRawLongBits(z.score(m, 0, m.length)));
        }
        byte[] absent = bytes("absent");
        assertEquals(-1, z.rank(absent, 0, absent.length));
        assertTrue(Double.isNaN(z.score(absent, 0, absent.length)));
        for (int k = 0; k < 5; k++) {
            double bound = randomScore(r);
            assertEquals(items.stream().filter(it -> it.score < bound).count(), z.countBelow(bound, false));
            assertEquals(items.stream().filter(it -> it.score <= bound).count(), z.countBelow(bound, true));
            int from = n == 0 ? 0 : r.nextInt(n + 1), to = from + r.nextInt(n - from + 1);
            assertEquals(items.subList(from, to), walk(z, from, to, false));
            List<Item> reversed = new ArrayList<>(items.subList(from, to));
            java.util.Collections.reverse(reversed);
            assertEquals(reversed, walk(z, from, to, true));
        }
        if (n > 0) {
            int[] ranks = new int[8];
            for (int i = 0; i < ranks.length; i++) ranks[i] = r.nextInt(n);
            List<Item> picked = new ArrayList<>();
            z.visitRanks(ranks, ranks.length, (b, off, len, s) -> picked.add(item(b, off, len, s)));
            for (int i = 0; i < ranks.length; i++) assertEquals(items.get(ranks[i]), picked.get(i));
        }
    }

    static List<Item> walk(ZSet z, int from, int to, boolean reverse) {
        List<Item> out = new ArrayList<>();
        z.visit(from, to, reverse, (b, off, len, s) -> out.add(item(b, off, len, s)));
        return out;
    }

    static Item item(byte[] b, int off, int len, double s) {
        return new Item(s, new String(b, off, len, StandardCharsets.ISO_8859_1));
    }

    /** Lexicographic counts on sets whose scores are all equal (the case ZRANGEBYLEX is defined for). */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("encodings")
    void lexCountsMatchTheModel(String name, long seed, Supplier<ZSet> create, int steps, int pool) {
        Random r = new Random(seed);
        ZSet z = create.get();
        Model model = new Model();
        for (int step = 0; step < steps / 4; step++) {
            String m = randomMember(r, pool);
            model.put(m, 7);
            z.put(bytes(m), 0, bytes(m).length, 7);
            String probe = r.nextBoolean() ? randomMember(r, pool) : randomMember(r, pool) + "0";
            byte[] p = bytes(probe);
            long below = model.order.stream().filter(it -> Arrays.compareUnsigned(bytes(it.member), p) < 0).count();
            long atOrBelow = model.order.stream().filter(it -> Arrays.compareUnsigned(bytes(it.member), p) <= 0).count();
            assertEquals(below, z.countBelow(p, 0, p.length, false), probe);
            assertEquals(atOrBelow, z.countBelow(p, 0, p.length, true), probe);
        }
    }

    /** Conversions keep every member and score; a copy never sees later writes to the original. */
    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("encodings")
    void conversionsAndCopiesKeepContents(String name, long seed, Supplier<ZSet> create, int steps, int pool) {
        Random r = new Random(seed);
        ZSet z = create.get();
        Model model = new Model();
        for (int i = 0; i < 100; i++) {
            String m = randomMember(r, pool);
            double s = r.nextInt(1000) / 8.0;
            model.put(m, s);
            z.put(bytes(m), 0, bytes(m).length, s);
        }
        ZSet copy = z.copy();
        byte[] extra = bytes("extra");
        z.put(extra, 0, extra.length, 1);
        z.removeRange(0, 3);
        check(copy, model, r);

        ZSet big = z instanceof ZSetListpack p ? p.toSkiplist() : z;
        assertEquals("skiplist", big.encoding());
        assertEquals(walk(z, 0, z.size(), false), walk(big, 0, big.size(), false));
        ZSet small = ((ZSetSkiplist) big).compact(128, 64);
        assertEquals("listpack", small.encoding());
        assertEquals(walk(z, 0, z.size(), false), walk(small, 0, small.size(), false));
        assertEquals("skiplist", ((ZSetSkiplist) big).compact(z.size() - 1, 64).encoding());
        assertEquals("skiplist", ((ZSetSkiplist) big).compact(128, 3).encoding());
    }

    /**
     * ZSCAN on the hash: a full scan visits every member, and a member present from the first call to
     * the last is visited at least once even when others come and go (and the table resizes) between calls.
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3})
    void scanVisitsStableMembersUnderChurn(long seed) {
        Random r = new Random(seed);
        ZSetSkiplist z = new ZSetSkiplist();
        Set<String> stable = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            String m = "stable" + i;
            stable.add(m);
            z.put(bytes(m), 0, bytes(m).length, i);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        do {
            cursor = z.scan(cursor, 1 + r.nextInt(20), (b, off, len, s) -> seen.add(new String(b, off, len, StandardCharsets.ISO_8859_1)));
            // churn: grow past a resize, or shrink back
            int adds = r.nextInt(60);
            for (int i = 0; i < adds; i++) {
                byte[] m = bytes("churn" + r.nextInt(5000));
                if (r.nextInt(3) == 0) z.remove(m, 0, m.length);
                else z.put(m, 0, m.length, r.nextInt(100));
            }
            calls++;
        } while (cursor != 0 && calls < 100_000);
        assertEquals(0, cursor);
        assertTrue(seen.containsAll(stable), "missed " + stable.stream().filter(m -> !seen.contains(m)).limit(5).toList());
        z.verify();
    }

    /**
     * The large encoding deep and wide: over 100k members with few distinct scores (long runs of equal
     * scores ordered by member, both zeros, infinities), then rounds of score updates (near ones that
     * stay in their leaf and far ones that move), removals, re-additions and rank-range removals of up
     * to thousands of members, each round checked against the model by sampling.
     */
    @ParameterizedTest(name = "fanout {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {8, ZSetSkiplist.MAX})
    void largeSetsMatchTheModel(int fanout) {
        Random r = new Random(fanout);
        ZSetSkiplist z = new ZSetSkiplist(fanout);
        Model model = new Model();
        int members = fanout == 8 ? 30_000 : 120_000;
        for (int i = 0; i < members; i++) {
            String m = "member:" + i;
            double s = bigScore(r);
            assertEquals(model.put(m, s), z.put(bytes(m), 0, bytes(m).length, s));
        }
        z.verify();
        sample(z, model, r);
        for (int round = 0; round < 4; round++) {
            for (int k = 0; k < 20_000; k++) {
                String m = "member:" + r.nextInt(members * 5 / 4);
                int op = r.nextInt(10);
                if (op < 5) {
                    Double old = model.scores.get(m);
                    double s = old != null && r.nextBoolean() ? old + (r.nextBoolean() ? 0.25 : -0.25) : bigScore(r);
                    assertEquals(model.put(m, s), z.put(bytes(m), 0, bytes(m).length, s));
                } else if (op < 8) {
                    assertEquals(model.remove(m), z.remove(bytes(m), 0, bytes(m).length));
                } else if (op == 8 && k % 500 == 0) {
                    int n = model.order.size();
                    int from = r.nextInt(n), to = Math.min(n, from + r.nextInt(3 * fanout * fanout));
                    for (Item it : model.list().subList(from, to)) model.remove(it.member);
                    z.removeRange(from, to);
                } else {
                    byte[] b = bytes(m);
                    assertEquals(model.scores.containsKey(m), z.rank(b, 0, b.length) >= 0);
                }
            }
            z.verify();
            sample(z, model, r);
        }
        assertEquals(memoryOf(z), z.memoryUsage());
        ZSet copy = z.copy();
        List<Item> before = model.list();
        z.removeRange(0, z.size() / 2);
        z.put(bytes("late"), 0, 4, 0.5);
        assertEquals(before, walk(copy, 0, copy.size(), false));
        ((ZSetSkiplist) copy).verify();
        z.verify();
    }

    /** Mostly integers in a small range, so equal scores are common; sometimes an infinity or a zero of either sign. */
    static double bigScore(Random r) {
        return switch (r.nextInt(20)) {
            case 0 -> Double.POSITIVE_INFINITY;
            case 1 -> Double.NEGATIVE_INFINITY;
            case 2 -> r.nextBoolean() ? 0.0 : -0.0;
            case 3 -> r.nextDouble();
            default -> r.nextInt(100);
        };
    }

    /** Checks a large set against the model at sampled ranks, members, bounds and windows. */
    static void sample(ZSet z, Model model, Random r) {
        List<Item> items = model.list();
        int n = items.size();
        assertEquals(n, z.size());
        for (int k = 0; k < 300; k++) {
            int i = r.nextInt(n);
            Item it = items.get(i);
            byte[] m = bytes(it.member);
            assertEquals(i, z.rank(m, 0, m.length), "rank of " + it);
            assertEquals(Double.doubleToRawLongBits(it.score), Double.doubleToRawLongBits(z.score(m, 0, m.length)));
        }
        int[] ranks = new int[64];
        for (int k = 0; k < ranks.length; k++) ranks[k] = r.nextInt(n);
        List<Item> picked = new ArrayList<>();
        z.visitRanks(ranks, ranks.length, (b, off, len, s) -> picked.add(item(b, off, len, s)));
        for (int k = 0; k < ranks.length; k++) assertEquals(items.get(ranks[k]), picked.get(k));
        for (int k = 0; k < 20; k++) {
            double bound = bigScore(r);
            assertEquals(Collections.binarySearch(items, new Item(bound, ""), (a, b) -> a.score < b.score ? -1 : 1) * -1 - 1,
                    z.countBelow(bound, false), "below " + bound);
            assertEquals(Collections.binarySearch(items, new Item(bound, ""), (a, b) -> a.score <= b.score ? -1 : 1) * -1 - 1,
                    z.countBelow(bound, true), "at or below " + bound);
            int from = r.nextInt(n + 1), to = Math.min(n, from + r.nextInt(3000));
            assertEquals(items.subList(from, to), walk(z, from, to, false));
            List<Item> reversed = new ArrayList<>(items.subList(from, to));
            Collections.reverse(reversed);
            assertEquals(reversed, walk(z, from, to, true));
        }
        assertEquals(items, walk(z, 0, n, false));
    }

    /**
     * The large encoding's heap bytes counted independently: every object reachable from the set (a
     * member array or a key array once), at the sizes a 64-bit JVM with compressed references gives.
     */
    static long memoryOf(ZSetSkiplist z) {
        java.util.IdentityHashMap<Object, Boolean> seen = new java.util.IdentityHashMap<>();
        return sizeOf(z, seen);
    }

    private static long sizeOf(Object o, java.util.IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) return 0;
        Class<?> c = o.getClass();
        if (c.isArray()) {
            int len = java.lang.reflect.Array.getLength(o);
            Class<?> t = c.getComponentType();
            int each = t == double.class || t == long.class ? 8 : t == byte.class ? 1 : 4;
            long bytes = ZSet.arrayBytes((long) each * len);
            if (!t.isPrimitive()) for (int i = 0; i < len; i++) bytes += sizeOf(java.lang.reflect.Array.get(o, i), seen);
            return bytes;
        }
        long fields = 12;
        long refs = 0;
        for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
            for (java.lang.reflect.Field f : k.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) continue;
                Class<?> t = f.getType();
                fields += t == double.class || t == long.class ? 8 : 4;
                if (!t.isPrimitive()) {
                    f.setAccessible(true);
                    try {
                        refs += sizeOf(f.get(o), seen);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
        return ((fields + 7) & ~7L) + refs;
    }
}
