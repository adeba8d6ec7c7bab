package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kvasir.protocol.Args;
import io.kvasir.store.Keyspace;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.TestServers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What SORT locks: its own keys (the key and the STORE destination its parse finds) when it has no
 * pattern that names other keys, the whole keyspace when it has one; and that a sort by patterns sees
 * one consistent state of the keys they name while other clients rewrite them all at once.
 */
class SortLockingTest {

    private static int[] lockKeys(boolean readonly, String... args) {
        int[] out = new int[args.length];
        int n = SortCommands.lockKeys(Args.of(args), out, readonly);
        return n == KeyFinder.ALL ? null : Arrays.copyOf(out, n);
    }

    @Test
    void withoutPatternsOnlyTheKeyAndTheDestinationAreLocked() {
        assertArrayEquals(new int[] {1}, lockKeys(false, "SORT", "l"));
        assertArrayEquals(new int[] {1}, lockKeys(false, "SORT", "l", "BY", "nosort", "GET", "#", "GET", "nostar", "ALPHA"));
        assertArrayEquals(new int[] {1, 3}, lockKeys(false, "SORT", "l", "STORE", "d", "LIMIT", "0", "1"));
        // the call stores into the last STORE its own parse reads, where Redis's key extraction sees "by"
        assertArrayEquals(new int[] {1, 5}, lockKeys(false, "SORT", "l", "STORE", "by", "STORE", "x"));
        assertArrayEquals(new int[] {1}, lockKeys(true, "SORT_RO", "l", "STORE", "d"));
        assertArrayEquals(new int[] {1}, lockKeys(false, "SORT", "l", "LIMIT", "x", "1", "BY", "w_*"));
        assertArrayEquals(new int[] {1}, lockKeys(false, "SORT", "l", "BY", "w_\u0000*"));
    }

    @Test
    void patternsThatNameKeysLockEverything() {
        assertNull(lockKeys(false, "SORT", "l", "BY", "w_*"));
        assertNull(lockKeys(false, "SORT", "l", "GET", "#", "GET", "o_*->f"));
        assertNull(lockKeys(true, "SORT_RO", "l", "BY", "nosort", "GET", "*"));
        assertNull(lockKeys(false, "SORT", "l", "BY", "w_*", "STORE", "d"));
    }

    @Test
    void getKeysFollowsRedisKeyExtraction() {
        int[] out = new int[8];
        assertEquals(2, SortCommands.getKeys(Args.of("SORT", "l", "STORE", "by", "STORE", "x"), out));
        assertArrayEquals(new int[] {1, 3}, Arrays.copyOf(out, 2));
    }

    // hash tags put the list, the weights and the labels in three stripes, so MSET and SORT lock apart
    private static final String LIST = "{sortlock-l}", W = "{sortlock-w}", O = "{sortlock-o}";

    private static int stripe(String key) {
        byte[] k = key.getBytes(StandardCharsets.US_ASCII);
        return Keyspace.stripeOf(k, 0, k.length);
    }

    /**
     * Writers rewrite every weight w_i and label o_i in one MSET, each generation a rotation; a sort by
     * the weights that gets the labels must see a single generation: labels in weight order, 0..N-1.
     */
    @Test
    void aSortByPatternsSeesOneStateOfTheKeysTheyName() throws Exception {
        assertEquals(3, java.util.Set.of(stripe(LIST), stripe(W), stripe(O)).size(), "three stripes");
        int n = 100, port = TestServers.kvasir().port();
        try (RawClient c = new RawClient(port)) {
            List<String> push = new ArrayList<>(List.of("RPUSH", LIST));
            for (int i = 0; i < n; i++) push.add(Integer.toString(i));
            c.call("DEL", LIST);
            c.call(push.toArray(String[]::new));
            c.call(generation(n, 0));
        }
        StringBuilder sorted = new StringBuilder("*" + n + "\r\n");
        for (int i = 0; i < n; i++) {
            sorted.append('$').append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] writers = new Thread[2];
        for (int t = 0; t < writers.length; t++) {
            int first = t;
            writers[t] = new Thread(() -> {
                try (RawClient c = new RawClient(port)) {
                    for (int g = first; g < 1000; g += 2) c.call(generation(n, g));
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            writers[t].start();
        }
        try (RawClient c = new RawClient(port)) {
            boolean running = true;
            while (running) {
                running = false;
                for (Thread t : writers) running |= t.isAlive();
                assertEquals(sorted.toString(), c.call("SORT", LIST, "BY", W + "*", "GET", O + "*"));
            }
            for (Thread t : writers) t.join();
            assertNull(failure.get());
            c.call("DEL", LIST);
        }
    }

    /** MSET of generation g: element i weighs (i + g) mod n, and its label is that weight. */
    private static String[] generation(int n, int g) {
        List<String> mset = new ArrayList<>(List.of("MSET"));
        for (int i = 0; i < n; i++) {
            String w = Integer.toString((i + g) % n);
            mset.addAll(List.of(W + i, w, O + i, w));
        }
        return mset.toArray(String[]::new);
    }
}
