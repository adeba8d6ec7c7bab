package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.Resp;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Keys with short times to live under load. Writers create keys named after their deadline;
 * readers list and read keys all the while. No reply may contain a key whose deadline had passed
 * when the request was sent (once its PEXPIREAT was acknowledged). Then, with nobody reading,
 * the active expiry cycle alone must reclaim a batch of expired keys: DBSIZE drops.
 */
class ExpiryUnderLoadTest {
    private static final long RUN_MILLIS = 1500;

    /** Volatile key name to the time its deadline was acknowledged. */
    private final Map<String, Long> armed = new ConcurrentHashMap<>();

    @Test
    void expiredKeysAreNeverReturned() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).start()) {
            int port = server.port();
            RenameCopyConcurrencyTest.Race race = new RenameCopyConcurrencyTest.Race();
            for (int w = 0; w < 2; w++) {
                String prefix = "v" + w + ":";
                race.start(() -> {
                    try (RawClient c = new RawClient(port)) {
                        for (int n = 0; !race.over(); n++) {
                            long deadline = System.currentTimeMillis() + ThreadLocalRandom.current().nextInt(5, 150);
                            String key = prefix + deadline + ":" + n;
                            c.call("SET", key, Long.toString(deadline));
                            c.call("PEXPIREAT", key, Long.toString(deadline));
                            armed.put(key, System.currentTimeMillis());
                        }
                    }
                });
            }
            race.start(() -> {
                try (RawClient c = new RawClient(port)) {
                    while (!race.over()) {
                        long sent = System.currentTimeMillis();
                        check(Resp.parse(c.call("KEYS", "v*")).texts(), sent);
                        race.checks.incrementAndGet();
                    }
                }
            });
            race.start(() -> {
                try (RawClient c = new RawClient(port)) {
                    while (!race.over()) {
                        String cursor = "0";
                        do {
                            long sent = System.currentTimeMillis();
                            List<Resp.Node> reply = Resp.parse(c.call("SCAN", cursor, "COUNT", "20")).children();
                            cursor = reply.get(0).text();
                            check(reply.get(1).texts(), sent);
                        } while (!cursor.equals("0"));
                        race.checks.incrementAndGet();
                    }
                }
            });
            race.start(() -> {
                try (RawClient c = new RawClient(port)) {
                    while (!race.over()) {
                        for (String key : armed.keySet()) {
                            long sent = System.currentTimeMillis();
                            String v = Resp.parse(c.call("GET", key)).text();
                            if (v != null) check(List.of(key), sent);
                            if (c.call("EXISTS", key).equals(":1\r\n")) check(List.of(key), sent);
                            if (deadline(key) < sent && armed.get(key) < sent) armed.remove(key);
                        }
                        race.checks.incrementAndGet();
                    }
                }
            });
            race.finish();
        }
    }

    private void check(List<String> keys, long sent) {
        for (String key : keys) {
            Long armedAt = armed.get(key);
            if (armedAt == null || armedAt >= sent) continue; // its deadline may not be set yet
            assertTrue(deadline(key) > sent, key + " returned though its deadline passed before " + sent);
        }
    }

    private static long deadline(String key) {
        return Long.parseLong(key.split(":")[1]);
    }

    @Test
    void activeExpiryReclaimsKeysNobodyReads() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).start(); RawClient c = new RawClient(server.port())) {
            int volatileKeys = 5000, permanent = 100;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < volatileKeys; i++) {
                out.writeBytes(RawClient.encode("SET", "t:" + i, "x"));
                out.writeBytes(RawClient.encode("PEXPIRE", "t:" + i, "1000"));
            }
            for (int i = 0; i < permanent; i++) out.writeBytes(RawClient.encode("SET", "p:" + i, "x"));
            c.send(out.toByteArray());
            for (int i = 0; i < 2 * volatileKeys + permanent; i++) c.readReply();
            assertEquals(":" + (volatileKeys + permanent) + "\r\n", c.call("DBSIZE"));
            long giveUp = System.currentTimeMillis() + 15_000;
            String size;
            do {
                Thread.sleep(100);
                size = c.call("DBSIZE");
            } while (!size.equals(":" + permanent + "\r\n") && System.currentTimeMillis() < giveUp);
            assertEquals(":" + permanent + "\r\n", size);
        }
    }
}
