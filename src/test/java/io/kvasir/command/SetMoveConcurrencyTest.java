package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kvasir.store.Keyspace;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Multi-key set commands are atomic across stripes: while several clients SMOVE members back and
 * forth between two sets in different stripes, no member is ever seen in both sets or in neither
 * (SINTERCARD and SUNIONSTORE, which lock every key they name, check it from another client).
 */
class SetMoveConcurrencyTest {
    private static final String LEFT = "left", RIGHT = "right", UNION = "union";
    private static final int MEMBERS = 200;

    private static int stripe(String key) {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        return Keyspace.stripeOf(k, 0, k.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "m"})
    void membersAreNeverLostNorDuplicated(String prefix) throws Exception {
        assertNotEquals(stripe(LEFT), stripe(RIGHT), "the sets should live in different stripes");
        int port = TestServers.kvasir().port();
        try (RawClient c = new RawClient(port)) {
            c.call("DEL", LEFT, RIGHT, UNION);
            List<String> cmd = new ArrayList<>(List.of("SADD", LEFT));
            for (int i = 0; i < MEMBERS; i++) cmd.add(prefix + i);
            c.call(cmd.toArray(String[]::new));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] movers = new Thread[3];
        for (int t = 0; t < movers.length; t++) {
            long seed = t;
            movers[t] = new Thread(() -> {
                Random r = new Random(seed);
                try (RawClient c = new RawClient(port)) {
                    for (int i = 0; i < 3000; i++) {
                        boolean toRight = r.nextBoolean();
                        c.call("SMOVE", toRight ? LEFT : RIGHT, toRight ? RIGHT : LEFT, prefix + r.nextInt(MEMBERS));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            movers[t].start();
        }
        try (RawClient c = new RawClient(port)) {
            boolean running = true;
            while (running) {
                running = false;
                for (Thread t : movers) running |= t.isAlive();
                assertEquals(":0\r\n", c.call("SINTERCARD", "2", LEFT, RIGHT));
                assertEquals(":" + MEMBERS + "\r\n", c.call("SUNIONSTORE", UNION, LEFT, RIGHT));
            }
            for (Thread t : movers) t.join();
            assertNull(failure.get());
            c.call("DEL", LEFT, RIGHT, UNION);
        }
    }
}
