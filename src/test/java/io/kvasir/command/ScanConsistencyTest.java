package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * SCAN's guarantee under concurrent writes: a key present for the whole iteration is returned,
 * here exactly once, while other clients insert and delete enough keys to grow and shrink the
 * stripes' tables between (and during) the calls.
 */
class ScanConsistencyTest {
    private static final int STABLE = 2000;

    @Test
    void keysPresentForTheWholeScanAreReturnedExactlyOnce() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).start()) {
            int port = server.port();
            try (RawClient c = new RawClient(port)) {
                pipeline(c, "SET", "stable:", 0, STABLE);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] churners = new Thread[2];
            for (int t = 0; t < churners.length; t++) {
                String prefix = "churn" + t + ":";
                churners[t] = new Thread(() -> {
                    try (RawClient c = new RawClient(port)) {
                        for (int round = 0; !stop.get(); round++) {
                            int n = 1000 + (round % 4) * 1500; // waves of different heights
                            pipeline(c, "SET", prefix, 0, n);
                            pipeline(c, "DEL", prefix, 0, n);
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                churners[t].start();
            }
            try (RawClient c = new RawClient(port)) {
                for (String count : new String[] {"10", "2", "37", "500"}) {
                    Map<String, Integer> seen = fullScan(c, count);
                    for (int i = 0; i < STABLE; i++) {
                        assertEquals(1, seen.getOrDefault("stable:" + i, 0), "stable:" + i + " with COUNT " + count);
                    }
                    for (String k : seen.keySet()) assertTrue(k.startsWith("stable:") || k.startsWith("churn"), k);
                }
            } finally {
                stop.set(true);
                for (Thread t : churners) t.join();
            }
            assertNull(failure.get());
        }
    }

    private static Map<String, Integer> fullScan(RawClient c, String count) throws Exception {
        Map<String, Integer> seen = new HashMap<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<Resp.Node> reply = Resp.parse(c.call("SCAN", cursor, "COUNT", count)).children();
            cursor = reply.get(0).text();
            for (String k : reply.get(1).texts()) seen.merge(k, 1, Integer::sum);
            calls++;
        } while (!cursor.equals("0"));
        assertTrue(calls > 1, "the scan should take several calls");
        return seen;
    }

    /** Sends {@code cmd prefix<i> [i]} for i in [from, to) in one write and reads every reply. */
    private static void pipeline(RawClient c, String cmd, String prefix, int from, int to) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = from; i < to; i++) {
            out.writeBytes(cmd.equals("SET") ? RawClient.encode(cmd, prefix + i, Integer.toString(i))
                    : RawClient.encode(cmd, prefix + i));
        }
        c.send(out.toByteArray());
        for (int i = from; i < to; i++) c.readReply();
    }
}
