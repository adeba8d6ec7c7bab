package io.kvasir.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * INFO keyspace byte for byte against redis-server, from an empty dataset: the oracle is flushed,
 * Kvasir is a fresh server of its own (so no other test's keys count).
 */
class InfoKeyspaceTest {

    private static final String[][] STEPS = {
            {"INFO", "keyspace"},
            {"SET", "k", "v"},
            {"INFO", "keyspace"},
            {"SET", "k2", "12345"},
            {"INFO", "KEYSPACE"},
            {"SELECT", "3"},
            {"SET", "a", "1"},
            {"INFO", "keyspace"},
            {"SELECT", "15"},
            {"SET", "b", "1"},
            {"INFO", "keyspace", "cluster"}};

    @Test
    void keyspaceLinesMatchRedis() throws IOException {
        List<String> expected;
        try (RawClient redis = new RawClient(RealRedis.get().port())) {
            redis.call("FLUSHALL");
            expected = run(redis);
            redis.call("FLUSHALL");
        }
        try (KvasirServer kvasir = KvasirServer.builder().port(0).start(); RawClient c = new RawClient(kvasir.port())) {
            assertEquals(expected, run(c));
        }
    }

    private static List<String> run(RawClient c) throws IOException {
        List<String> replies = new ArrayList<>();
        for (String[] step : STEPS) replies.add(c.call(step));
        return replies;
    }
}
