package io.kvasir.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A Kvasir started with the same options as the oracle answers CONFIG GET * with the same
 * names and values, apart from the keys listed in {@link #ALLOWED_TO_DIFFER}.
 */
class ConfigDefaultsTest {

    /** Keys whose values must differ, and why. */
    static final Set<String> ALLOWED_TO_DIFFER = Set.of(
            "port"); // both servers listen on a free port of their own

    @Test
    void configGetAllMatchesRedis() throws IOException {
        RealRedis redis = RealRedis.get();
        Map<String, String> expected;
        try (RawClient c = new RawClient(redis.port())) {
            expected = pairs(c.call("CONFIG", "GET", "*"));
        }
        // the options RealRedis starts the oracle with
        try (KvasirServer kvasir = KvasirServer.builder().port(0).config("bind", "127.0.0.1").config("save", "")
                .config("appendonly", "no").config("dir", expected.get("dir")).config("daemonize", "no")
                .config("enable-debug-command", "yes").config("loglevel", "warning").start();
                RawClient c = new RawClient(kvasir.port())) {
            Map<String, String> actual = pairs(c.call("CONFIG", "GET", "*"));
            c.call("CONFIG", "SET", "loglevel", "notice"); // the JVM's logging is shared with other tests
            assertEquals(new TreeMap<>(expected).keySet(), new TreeMap<>(actual).keySet(), "directive names");
            List<String> diffs = new ArrayList<>();
            for (String k : new TreeMap<>(expected).keySet()) {
                if (ALLOWED_TO_DIFFER.contains(k)) continue;
                if (!expected.get(k).equals(actual.get(k))) {
                    diffs.add(k + ": redis=" + expected.get(k) + " kvasir=" + actual.get(k));
                }
            }
            assertTrue(diffs.isEmpty(), String.join("\n", diffs));
        }
    }

    /** Parses a RESP2 array of bulk strings into name/value pairs. */
    static Map<String, String> pairs(String reply) {
        String[] lines = reply.split("\r\n", -1);
        List<String> items = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i += 2) items.add(lines[i + 1]);
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) out.put(items.get(i), items.get(i + 1));
        return out;
    }
}
