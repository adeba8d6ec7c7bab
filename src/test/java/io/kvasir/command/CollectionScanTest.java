package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import io.kvasir.testing.TestServers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * HSCAN and SSCAN over hashtable-encoded collections, whose cursors Kvasir makes differently from
 * Redis (so no differential test can check them): a full iteration returns every element with its
 * value, and an element present for the whole iteration is returned (here exactly once) while
 * another client adds and removes enough members to grow and shrink the table between the calls.
 */
class CollectionScanTest {

    private static Map<String, Integer> fullScan(RawClient c, String cmd, String key, String count, boolean pairs)
            throws Exception {
        Map<String, Integer> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<Resp.Node> reply = Resp.parse(c.call(cmd, key, cursor, "COUNT", count)).children();
            cursor = reply.get(0).text();
            List<String> items = reply.get(1).texts();
            for (int i = 0; i < items.size(); i += pairs ? 2 : 1) {
                if (pairs) assertEquals("v" + items.get(i).substring(1), items.get(i + 1));
                seen.merge(items.get(i), 1, Integer::sum);
            }
            calls++;
        } while (!cursor.equals("0"));
        if (!count.equals("100000")) assertTrue(calls > 1, "the scan should take several calls");
        return seen;
    }

    @Test
    void hscanReturnsEveryFieldOnceWithItsValue() throws Exception {
        try (RawClient c = new RawClient(TestServers.kvasir().port())) {
            c.call("DEL", "scanned");
            List<String> cmd = new ArrayList<>(List.of("HSET", "scanned"));
            for (int i = 0; i < 3000; i++) {
                cmd.add("f" + i);
                cmd.add("v" + i);
            }
            c.call(cmd.toArray(String[]::new));
            for (String count : new String[] {"1", "10", "333", "100000"}) {
                Map<String, Integer> seen = fullScan(c, "HSCAN", "scanned", count, true);
                assertEquals(3000, seen.size(), "COUNT " + count);
                for (int n : seen.values()) assertEquals(1, n);
            }
            List<String> matched = Resp.parse(c.call("HSCAN", "scanned", "0", "COUNT", "100000", "MATCH", "f12*"))
                    .children().get(1).texts();
            assertEquals(2 * 111, matched.size(), "f12, f120..f129, f1200..f1299");
            c.call("DEL", "scanned");
        }
    }

    @Test
    void sscanReturnsStableMembersWhileTheSetChanges() throws Exception {
        int port = TestServers.kvasir().port();
        try (RawClient c = new RawClient(port)) {
            c.call("DEL", "churned");
            List<String> cmd = new ArrayList<>(List.of("SADD", "churned"));
            for (int i = 0; i < 2000; i++) cmd.add("s" + i);
            c.call(cmd.toArray(String[]::new));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread churner = new Thread(() -> {
            try (RawClient c = new RawClient(port)) {
                for (int round = 0; !stop.get(); round++) {
                    int n = 500 + (round % 4) * 1500; // waves of different heights
                    List<String> add = new ArrayList<>(List.of("SADD", "churned"));
                    List<String> rem = new ArrayList<>(List.of("SREM", "churned"));
                    for (int i = 0; i < n; i++) {
                        add.add("c" + i);
                        rem.add("c" + i);
                    }
                    c.call(add.toArray(String[]::new));
                    c.call(rem.toArray(String[]::new));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        churner.start();
        try (RawClient c = new RawClient(port)) {
            for (String count : new String[] {"7", "50", "400"}) {
                Map<String, Integer> seen = fullScan(c, "SSCAN", "churned", count, false);
                for (int i = 0; i < 2000; i++) assertEquals(1, seen.getOrDefault("s" + i, 0), "s" + i + " with COUNT " + count);
                for (String m : seen.keySet()) assertTrue(m.startsWith("s") || m.startsWith("c"), m);
            }
        } finally {
            stop.set(true);
            churner.join();
        }
        assertNull(failure.get());
        try (RawClient c = new RawClient(port)) {
            c.call("DEL", "churned");
        }
    }
}
