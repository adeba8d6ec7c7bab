package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ZRANDMEMBER's random replies, judged by shape and membership (the differential script covers the
 * deterministic cases): distinct members for a positive count, exactly |count| for a negative one,
 * scores that belong to their members, RESP2 flat pairs and RESP3 nested pairs, in both encodings.
 */
class ZRandMemberTest {
    static KvasirServer server;

    @BeforeAll
    static void start() {
        server = KvasirServer.builder().port(0).config("save", "").start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Loads {@code size} members m0.. with score i/4 into key z; returns member -> score text. */
    static Map<String, String> load(RawClient c, int size) throws Exception {
        c.call("DEL", "z");
        Map<String, String> scores = new HashMap<>();
        for (int i = 0; i < size; i++) {
            String score = Double.toString(i / 4.0);
            c.call("ZADD", "z", score, "m" + i);
            // RESP2 bulk text of the score, as ZSCORE gives it
            scores.put("m" + i, Resp.parse(c.call("ZSCORE", "z", "m" + i)).text());
        }
        assertEquals(size > 128 ? "skiplist" : "listpack", Resp.parse(c.call("OBJECT", "ENCODING", "z")).text());
        return scores;
    }

    @ParameterizedTest(name = "{0} members")
    @CsvSource({"5", "200"})
    void singleMemberIsAMemberAndAllComeUp(int size) throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            Map<String, String> scores = load(c, size);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 40 * size; i++) {
                Resp.Node n = Resp.parse(c.call("ZRANDMEMBER", "z"));
                assertEquals('$', n.type());
                assertTrue(scores.containsKey(n.text()), n.text());
                seen.add(n.text());
            }
            // each member is missed by 40*size uniform draws with probability about e^-40
            assertEquals(scores.keySet(), seen);
        }
    }

    @ParameterizedTest(name = "{0} members, count {1}")
    @CsvSource({"5, 1", "5, 2", "5, 4", "200, 1", "200, 3", "200, 150", "200, 199"})
    void positiveCountGivesDistinctMembers(int size, int count) throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            Map<String, String> scores = load(c, size);
            Set<String> seenAcrossCalls = new HashSet<>();
            for (int round = 0; round < 30; round++) {
                List<String> members = Resp.parse(c.call("ZRANDMEMBER", "z", Integer.toString(count))).texts();
                assertEquals(count, members.size());
                assertEquals(count, new HashSet<>(members).size(), "repeated member in " + members);
                assertTrue(scores.keySet().containsAll(members));
                seenAcrossCalls.addAll(members);
                checkPairs(c, scores, count, 2);
                checkPairs(c, scores, count, 3);
                c.call("HELLO", "2");
            }
            if (size == 5) assertEquals(scores.keySet(), seenAcrossCalls);
        }
    }

    @ParameterizedTest(name = "{0} members, count -{1}")
    @CsvSource({"5, 1", "5, 3", "5, 12", "200, 7", "200, 500"})
    void negativeCountMayRepeat(int size, int count) throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            Map<String, String> scores = load(c, size);
            List<String> members = Resp.parse(c.call("ZRANDMEMBER", "z", Integer.toString(-count))).texts();
            assertEquals(count, members.size());
            assertTrue(scores.keySet().containsAll(members));
            // more picks than members must repeat one
            if (count > size) assertTrue(new HashSet<>(members).size() < count);
            checkPairs(c, scores, -count, 2);
            checkPairs(c, scores, -count, 3);
        }
    }

    /** ZRANDMEMBER z count WITHSCORES under protocol {@code resp}: pairs of a member and its own score. */
    static void checkPairs(RawClient c, Map<String, String> scores, int count, int resp) throws Exception {
        c.call("HELLO", Integer.toString(resp));
        Resp.Node reply = Resp.parse(c.call("ZRANDMEMBER", "z", Integer.toString(count), "WITHSCORES"));
        int n = Math.abs(count);
        if (resp == 2) {
            assertEquals(2 * n, reply.children().size());
            for (int i = 0; i < 2 * n; i += 2) {
                String member = reply.children().get(i).text();
                assertEquals('$', reply.children().get(i + 1).type());
                assertEquals(scores.get(member), reply.children().get(i + 1).text(), member);
            }
        } else {
            assertEquals(n, reply.children().size());
            for (Resp.Node pair : reply.children()) {
                assertEquals('*', pair.type());
                assertEquals(2, pair.children().size());
                String member = pair.children().get(0).text();
                assertEquals(',', pair.children().get(1).type());
                assertEquals(scores.get(member), pair.children().get(1).line(), member);
            }
        }
        if (count > 0) {
            Set<String> distinct = new HashSet<>();
            for (int i = 0; i < n; i++) {
                distinct.add(resp == 2 ? reply.children().get(2 * i).text() : reply.children().get(i).children().get(0).text());
            }
            assertEquals(n, distinct.size());
        }
    }
}
