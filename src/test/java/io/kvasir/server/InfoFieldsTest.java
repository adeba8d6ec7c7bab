package io.kvasir.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * INFO names what Redis names: the same section headers for every section argument, and in each
 * section every field Redis prints, in Redis's order (Kvasir may add its own, such as kvasir_version).
 */
class InfoFieldsTest {

    @ParameterizedTest
    @ValueSource(strings = {"server", "clients", "memory", "persistence", "stats", "replication", "cpu", "modules",
            "cluster"})
    void sectionHasEveryRedisField(String section) throws IOException {
        List<String> expected = fieldNames(info(RealRedis.get().port(), section));
        List<String> actual = fieldNames(info(TestServers.kvasir().port(), section));
        List<String> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        assertTrue(missing.isEmpty(), "missing in Kvasir's INFO " + section + ": " + missing);
        List<String> common = new ArrayList<>(actual);
        common.retainAll(expected);
        assertEquals(expected, common, "field order");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "default", "all", "everything", "server clients", "commandstats", "errorstats",
            "keyspace", "latencystats", "KEYSPACE", "nosuchsection", "cpu cpu server"})
    void sectionHeadersMatch(String args) throws IOException {
        assertEquals(headers(info(RealRedis.get().port(), args)), headers(info(TestServers.kvasir().port(), args)));
    }

    private static String info(int port, String args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("INFO"));
        for (String a : args.split(" ")) if (!a.isEmpty()) cmd.add(a);
        try (RawClient c = new RawClient(port)) {
            return c.call(cmd.toArray(String[]::new));
        }
    }

    private static List<String> fieldNames(String reply) {
        List<String> out = new ArrayList<>();
        for (String line : body(reply)) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) out.add(line.substring(0, colon));
        }
        return out;
    }

    private static List<String> headers(String reply) {
        List<String> out = new ArrayList<>();
        for (String line : body(reply)) if (line.startsWith("# ")) out.add(line);
        return out;
    }

    /** The lines of a bulk (RESP2) INFO reply. */
    private static List<String> body(String reply) {
        String text = reply.substring(reply.indexOf("\r\n") + 2);
        return List.of(text.split("\r\n"));
    }
}
