package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OBJECT FREQ / IDLETIME / REFCOUNT under maxmemory policies, which the differential scripts
 * cannot switch: the real server is reconfigured with CONFIG SET (and restored), Kvasir is
 * started with the same directives, and replies are compared byte for byte. With lfu-log-factor
 * 0 every access increments the LFU counter, so the counters are deterministic.
 */
class ObjectAccessTest {

    @Test
    void lfuCountersFollowRedis() throws Exception {
        List<String[]> script = List.of(
                cmd("SET k v"), cmd("OBJECT FREQ k"), cmd("GET k"), cmd("GET k"), cmd("GET k"),
                cmd("OBJECT FREQ k"), cmd("OBJECT IDLETIME k"), cmd("OBJECT IDLETIME nokey"),
                cmd("COPY k k2"), cmd("OBJECT FREQ k2"), cmd("OBJECT FREQ k"),
                cmd("RENAME k k3"), cmd("OBJECT FREQ k3"), cmd("MOVE k3 10"), cmd("SELECT 10"),
                cmd("OBJECT FREQ k3"), cmd("SELECT 9"),
                cmd("EXISTS k2"), cmd("TYPE k2"), cmd("TTL k2"), cmd("OBJECT FREQ k2"),
                cmd("TOUCH k2"), cmd("OBJECT FREQ k2"),
                cmd("EXPIRE k2 100"), cmd("PERSIST k2"), cmd("OBJECT FREQ k2"),
                cmd("SET n 5"), cmd("OBJECT REFCOUNT n"), cmd("OBJECT ENCODING n"));
        compare(List.of("maxmemory-policy", "allkeys-lfu", "lfu-log-factor", "0"),
                List.of("maxmemory-policy", "noeviction", "lfu-log-factor", "10"), script);
    }

    @Test
    void sharedIntegersNeedNoPerKeyClock() throws Exception {
        List<String[]> script = List.of(cmd("SET n 5"), cmd("SET m 10000"), cmd("OBJECT REFCOUNT n"),
                cmd("OBJECT REFCOUNT m"), cmd("OBJECT FREQ n"), cmd("OBJECT ENCODING n"));
        compare(List.of("maxmemory", "100mb", "maxmemory-policy", "volatile-lru"),
                List.of("maxmemory", "0", "maxmemory-policy", "noeviction"), script);
        compare(List.of("maxmemory", "100mb", "maxmemory-policy", "allkeys-random"),
                List.of("maxmemory", "0", "maxmemory-policy", "noeviction"), script);
    }

    @Test
    void idleTimeCountsSecondsSinceTheLastAccess() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).start(); RawClient c = new RawClient(server.port())) {
            c.call("SET", "k", "v");
            Thread.sleep(1100);
            c.call("TYPE", "k"); // inspecting is no access
            c.call("OBJECT", "ENCODING", "k");
            long idle = Long.parseLong(c.call("OBJECT", "IDLETIME", "k").substring(1).trim());
            assertTrue(idle >= 1 && idle <= 2, "idle " + idle);
            c.call("GET", "k");
            assertEquals(":0\r\n", c.call("OBJECT", "IDLETIME", "k"));
        }
    }

    private static String[] cmd(String line) {
        return line.split(" ");
    }

    /** Runs the script on the real server configured with {@code set} and on a Kvasir started so. */
    private static void compare(List<String> set, List<String> restore, List<String[]> script) throws Exception {
        RealRedis redis = RealRedis.get();
        KvasirServer.Builder builder = KvasirServer.builder().port(0);
        for (int i = 0; i < set.size(); i += 2) builder.config(set.get(i), set.get(i + 1));
        try (KvasirServer kvasir = builder.start();
                RawClient r = new RawClient(redis.port());
                RawClient k = new RawClient(kvasir.port())) {
            for (int i = 0; i < set.size(); i += 2) assertEquals("+OK\r\n", r.call("CONFIG", "SET", set.get(i), set.get(i + 1)));
            try {
                for (RawClient c : List.of(r, k)) {
                    c.call("SELECT", "9");
                    c.call("FLUSHALL");
                }
                for (String[] command : script) {
                    assertEquals(r.call(command), k.call(command), String.join(" ", command));
                }
            } finally {
                for (int i = 0; i < restore.size(); i += 2) r.call("CONFIG", "SET", restore.get(i), restore.get(i + 1));
                r.call("FLUSHALL");
            }
        }
    }
}
