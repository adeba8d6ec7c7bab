package io.kvasir.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpAndKeysTest {
    private static String encode(Op op, Keys keys) {
        byte[] b = new byte[op.length() + 3];
        assertEquals(op.length() + 1, op.write(b, 1, keys));
        assertEquals(0, b[0] + b[b.length - 2] + b[b.length - 1], "writes nothing outside the request");
        return new String(b, 1, op.length(), StandardCharsets.US_ASCII);
    }

    @Test
    void templatesFillEachHoleWithTheNextKey() {
        Keys.Sequential keys = new Keys.Sequential(1_000_000).seek(42);
        assertEquals("*3\r\n$3\r\nSET\r\n$16\r\nkey:000000000042\r\n$3\r\nxxx\r\n", encode(Op.set(3), keys));
        assertEquals("*2\r\n$3\r\nGET\r\n$16\r\nkey:000000000043\r\n", encode(Op.get(3), keys));
        assertEquals("PING\r\n", encode(Op.tests(3).get("ping_inline").getFirst(), keys));
        String hset = encode(Op.tests(2).get("hset").getFirst(), new Keys.Sequential(10).seek(7));
        assertEquals("*4\r\n$4\r\nHSET\r\n$6\r\nmyhash\r\n$20\r\nelement:000000000007\r\n$2\r\nxx\r\n", hset);
    }

    @Test
    void msetHasTenIndependentKeys() {
        String mset = encode(Op.tests(1).get("mset").getFirst(), new Keys.Sequential(1000).seek(990));
        StringBuilder expected = new StringBuilder("*21\r\n$4\r\nMSET\r\n");
        for (int i = 0; i < 10; i++) expected.append("$16\r\nkey:0000000009").append(90 + i).append("\r\n$1\r\nx\r\n");
        assertEquals(expected.toString(), mset);
    }

    @Test
    void sequentialWrapsAtTheKeyspace() {
        Keys.Sequential k = new Keys.Sequential(3).seek(7);
        assertEquals(1, k.next());
        assertEquals(2, k.next());
        assertEquals(0, k.next());
    }

    @Test
    void uniformStaysInRangeAndCoversIt() {
        Keys k = Keys.of(Keys.Distribution.uniform, 50, 0.99, 1);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            long v = k.next();
            assertTrue(v >= 0 && v < 50);
            seen.add(v);
        }
        assertEquals(50, seen.size());
    }

    @Test
    void zipfianFavoursLowRanksInTheRightProportion() {
        int n = 1000, draws = 200_000;
        double theta = 0.99;
        Keys k = Keys.of(Keys.Distribution.zipfian, n, theta, 3);
        long[] counts = new long[n];
        for (int i = 0; i < draws; i++) counts[(int) k.next()]++;   // out of range would throw
        double zeta = 0;
        for (int i = 1; i <= n; i++) zeta += 1 / Math.pow(i, theta);
        // P(rank 0) = 1/zeta(n): about 13% for n = 1000
        assertEquals(draws / zeta, counts[0], draws / zeta * 0.05);
        assertEquals(draws / zeta / Math.pow(2, theta), counts[1], draws / zeta * 0.05);
        assertTrue(counts[1] > counts[10] && counts[10] > counts[500]);
    }

    @Test
    void zetaTailApproximationIsClose() {
        long n = 3_000_000;
        double exact = 0;
        for (long i = 1; i <= n; i++) exact += 1 / Math.pow(i, 0.99);
        assertEquals(exact, Keys.Zipfian.zeta(n, 0.99), exact * 1e-9);
    }
}
