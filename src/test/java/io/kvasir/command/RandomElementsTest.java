package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import io.kvasir.testing.TestServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The random replies (SRANDMEMBER, SPOP, HRANDFIELD), which cannot be compared with Redis's byte
 * for byte, checked for Redis's rules: a positive count gives distinct elements (at most the
 * size), a negative count exactly that many draws that may repeat, every element can come up and
 * draws are uniform; SPOP removes what it returns. Each case runs on both encodings: members
 * "0".."n-1" make an intset, "m0".. a hashtable; fields past 512 make a hashtable hash.
 */
class RandomElementsTest {

    private static List<String> members(boolean strings, int n) {
        List<String> m = new ArrayList<>();
        for (int i = 0; i < n; i++) m.add((strings ? "m" : "") + i);
        return m;
    }

    private static void sadd(RawClient c, String key, List<String> members) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("SADD", key));
        cmd.addAll(members);
        c.call(cmd.toArray(String[]::new));
    }

    private static List<String> list(RawClient c, String... cmd) throws Exception {
        return Resp.parse(c.call(cmd)).texts();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void negativeCountsDrawUniformlyWithRepeats(boolean strings) throws Exception {
        try (RawClient c = new RawClient(TestServers.kvasir().port())) {
            c.call("DEL", "rnd");
            List<String> all = members(strings, 10);
            sadd(c, "rnd", all);
            List<String> drawn = list(c, "SRANDMEMBER", "rnd", "-20000");
            assertEquals(20000, drawn.size());
            Map<String, Integer> counts = new HashMap<>();
            for (String m : drawn) counts.merge(m, 1, Integer::sum);
            assertEquals(new HashSet<>(all), counts.keySet());
            // 2000 expected each, standard deviation about 42: 300 is seven of them
            for (int n : counts.values()) assertTrue(Math.abs(n - 2000) < 300, counts.toString());
            assertEquals(":10\r\n", c.call("SCARD", "rnd"));
            c.call("DEL", "rnd");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void positiveCountsAreDistinctAndCoverTheSet(boolean strings) throws Exception {
        try (RawClient c = new RawClient(TestServers.kvasir().port())) {
            c.call("DEL", "rnd");
            List<String> all = members(strings, 1000);
            sadd(c, "rnd", all);
            // 5 of 1000 draws until distinct; 400 of 1000 shuffles every member
            for (int count : new int[] {1, 5, 400, 999}) {
                Map<String, Integer> seen = new HashMap<>();
                int trials = 20000 / count + 1;
                for (int t = 0; t < trials; t++) {
                    List<String> got = list(c, "SRANDMEMBER", "rnd", Integer.toString(count));
                    assertEquals(count, got.size());
                    assertEquals(count, new HashSet<>(got).size(), "distinct");
                    for (String m : got) seen.merge(m, 1, Integer::sum);
                }
                assertTrue(all.containsAll(seen.keySet()));
                double expected = (double) trials * count / all.size();
                if (expected >= 20) {
                    for (int n : seen.values()) assertTrue(Math.abs(n - expected) < 6 * Math.sqrt(expected) + 5, count + ": " + n);
                    assertEquals(all.size(), seen.size(), "every member comes up");
                }
            }
            c.call("DEL", "rnd");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void spopRemovesWhatItReturns(boolean strings) throws Exception {
        try (RawClient c = new RawClient(TestServers.kvasir().port())) {
            c.call("DEL", "pop");
            List<String> all = members(strings, 100);
            sadd(c, "pop", all);
            Set<String> popped = new HashSet<>();
            for (int count : new int[] {30, 1, 0, 50}) {
                List<String> got = list(c, "SPOP", "pop", Integer.toString(count));
                assertEquals(count, got.size());
                for (String m : got) {
                    assertTrue(popped.add(m), "popped twice: " + m);
                    assertEquals(":0\r\n", c.call("SISMEMBER", "pop", m));
                }
                assertEquals(":" + (all.size() - popped.size()) + "\r\n", c.call("SCARD", "pop"));
            }
            String one = Resp.parse(c.call("SPOP", "pop")).text();
            assertTrue(popped.add(one));
            List<String> rest = list(c, "SPOP", "pop", "1000");
            popped.addAll(rest);
            assertEquals(new HashSet<>(all), popped);
            assertEquals(":0\r\n", c.call("EXISTS", "pop"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 600})
    void hrandfieldPairsFieldsWithTheirValues(int fields) throws Exception {
        try (RawClient c = new RawClient(TestServers.kvasir().port())) {
            c.call("DEL", "h");
            List<String> cmd = new ArrayList<>(List.of("HSET", "h"));
            for (int i = 0; i < fields; i++) {
                cmd.add("f" + i);
                cmd.add("v" + i);
            }
            c.call(cmd.toArray(String[]::new));
            assertEquals(fields > 512 ? "$9\r\nhashtable\r\n" : "$8\r\nlistpack\r\n", c.call("OBJECT", "ENCODING", "h"));
            Map<String, Integer> seen = new HashMap<>();
            List<String> flat = list(c, "HRANDFIELD", "h", Integer.toString(-50 * fields), "WITHVALUES");
            assertEquals(100 * fields, flat.size());
            for (int i = 0; i < flat.size(); i += 2) {
                assertEquals("v" + flat.get(i).substring(1), flat.get(i + 1));
                seen.merge(flat.get(i), 1, Integer::sum);
            }
            assertEquals(fields, seen.size(), "every field comes up");
            for (int n : seen.values()) assertTrue(Math.abs(n - 50) < 45, seen.toString());
            int count = fields / 3;
            List<String> distinct = list(c, "HRANDFIELD", "h", Integer.toString(count), "WITHVALUES");
            Set<String> names = new HashSet<>();
            for (int i = 0; i < distinct.size(); i += 2) {
                assertTrue(names.add(distinct.get(i)));
                assertEquals("v" + distinct.get(i).substring(1), distinct.get(i + 1));
            }
            assertEquals(count, names.size());
            String single = Resp.parse(c.call("HRANDFIELD", "h")).text();
            assertTrue(single.startsWith("f") && Integer.parseInt(single.substring(1)) < fields);
            c.call("DEL", "h");
        }
    }
}
