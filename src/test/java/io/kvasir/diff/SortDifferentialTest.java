package io.kvasir.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SORT against the real redis-server on random inputs: lists with many ties under ALPHA BY, cut by
 * random LIMITs (where Redis's partial quicksort decides the order of equal elements), random
 * strings as scores (what strtod accepts), and the keyspace hits and misses pattern lookups count.
 */
class SortDifferentialTest {
    static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        kvasir = KvasirServer.builder().port(0).config("save", "").start();
    }

    @AfterAll
    static void stop() {
        kvasir.close();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void tiesLandWhereRedisPutsThem(int resp) throws Exception {
        Random r = new Random(11 + resp);
        String[] values = {"a", "b", "c", "a\u0000x", "a\u0000y"};
        List<List<String>> cmds = new ArrayList<>();
        for (int round = 0; round < 150; round++) {
            cmds.add(List.of("FLUSHDB"));
            int n = 1 + r.nextInt(round % 3 == 0 ? 8 : 160);
            int distinct = 1 + r.nextInt(values.length);
            List<String> push = new ArrayList<>(List.of("RPUSH", "l"));
            List<String> mset = new ArrayList<>(List.of("MSET", "v_none", "x"));
            for (int i = 0; i < n; i++) {
                push.add(Integer.toString(i));
                if (r.nextInt(5) > 0) mset.addAll(List.of("v_" + i, values[r.nextInt(distinct)]));
            }
            cmds.add(push);
            cmds.add(mset);
            for (int q = 0; q < 6; q++) {
                List<String> sort = new ArrayList<>(List.of("SORT", "l", "BY", "v_*", "ALPHA"));
                if (r.nextBoolean()) sort.add("DESC");
                int offset = r.nextInt(n + 2) - 1, count = r.nextInt(n + 2) - 1;
                sort.addAll(List.of("LIMIT", Integer.toString(offset), Integer.toString(count)));
                if (r.nextInt(4) == 0) sort.addAll(List.of("GET", "#", "GET", "v_*"));
                if (r.nextInt(4) == 0) {
                    sort.addAll(List.of("STORE", "dst"));
                    cmds.add(sort);
                    cmds.add(List.of("LRANGE", "dst", "0", "-1"));
                } else {
                    cmds.add(sort);
                }
            }
        }
        compare(resp, cmds);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void scoresParseAsRedisParsesThem(int resp) throws Exception {
        Random r = new Random(5 + resp);
        // Four pieces cannot overflow or underflow: Redis never clears errno before its strtod, so after one
        // ERANGE its later SORTs on the connection fail (sort.txt tests such values, each on fresh connections).
        String[] pieces = {"0", "1", "9", "5", ".", "e", "E", "e-", "+", "-", "x", "p", "p-", "a", "inf", "nan", " ",
                "\t", "0x", "\u0000", "_"};
        List<List<String>> cmds = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) sb.append(pieces[r.nextInt(pieces.length)]);
            String s = sb.toString();
            cmds.add(List.of("DEL", "l", "w_a"));
            cmds.add(List.of("RPUSH", "l", "0.5", s, "-1"));
            cmds.add(List.of("SORT", "l"));
            cmds.add(List.of("SET", "w_a", s));
            cmds.add(List.of("RPUSH", "l", "a"));
            cmds.add(List.of("SORT", "l", "BY", "w_*", "DESC"));
        }
        compare(resp, cmds);
    }

    /** Also the dataset changes STORE counts: the elements it stores, or 1 for a destination it deletes. */
    @Test
    void patternLookupsCountAsKeyspaceHitsAndMisses() throws Exception {
        String[][] setup = {{"RPUSH", "l", "3", "1", "2"}, {"MSET", "w_1", "30", "w_2", "10"}, {"HSET", "h_1", "f", "1"}};
        String[][] sorts = {
                {"SORT", "l"}, {"SORT", "nokey"}, {"SORT", "l", "BY", "w_*"}, {"SORT", "l", "BY", "nosort", "GET", "w_*"},
                {"SORT", "l", "GET", "h_*->f"}, {"SORT", "l", "GET", "#"},
                {"SORT", "l", "BY", "w_*", "GET", "w_*", "LIMIT", "0", "1"},
                {"SORT", "l", "GET", "nostar"}, {"SORT", "l", "FOO"}, {"SORT", "l", "STORE", "d"},
                {"SORT", "l", "BY", "h_*->f", "ALPHA"}, {"SORT", "l", "LIMIT", "0", "0", "STORE", "d"},
                {"SORT", "l", "BY", "nosort", "GET", "#", "GET", "#", "STORE", "d"}};
        assertEquals(counters(RealRedis.get().port(), setup, sorts), counters(kvasir.port(), setup, sorts));
    }

    /** The keyspace hits and misses of the sorts, and the changes to the dataset they made. */
    private static String counters(int port, String[][] setup, String[][] sorts) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.call("SELECT", "9");
            c.call("FLUSHDB");
            for (String[] cmd : setup) c.call(cmd);
            c.call("CONFIG", "RESETSTAT");
            long changes = changes(c.call("INFO", "persistence"));
            for (String[] cmd : sorts) c.call(cmd);
            String stats = c.call("INFO", "stats");
            long changed = changes(c.call("INFO", "persistence")) - changes;
            c.call("FLUSHDB");
            return stats.lines().filter(l -> l.startsWith("keyspace_")).reduce("", (a, b) -> a + b + "\n")
                    + "changes:" + changed;
        }
    }

    private static long changes(String info) {
        return info.lines().filter(l -> l.startsWith("rdb_changes_since_last_save:"))
                .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(':') + 1).trim())).findFirst().orElseThrow();
    }

    private static void compare(int resp, List<List<String>> cmds) throws Exception {
        List<String> expected = ScoreNumbersDifferentialTest.run(RealRedis.get().port(), resp, cmds);
        List<String> actual = ScoreNumbersDifferentialTest.run(kvasir.port(), resp, cmds);
        for (int i = 0; i < cmds.size(); i++) {
            int at = i;
            assertEquals(expected.get(i), actual.get(i),
                    () -> "RESP" + resp + " " + cmds.get(at) + " after " + cmds.get(at - 1));
        }
    }
}
