package io.kvasir.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Decimal formatting of longs agrees with Long.toString at every digit-count boundary and at random. */
class NumbersFormatTest {
    @Test
    void boundaries() {
        long p = 1;
        for (int i = 0; i < 19; i++, p *= 10) {
            for (long v : new long[] {p - 1, p, p + 1, -p + 1, -p, -p - 1}) assertFormats(v);
        }
        for (long v : new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1}) assertFormats(v);
    }

    @Test
    void random() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) assertFormats(random.nextLong() >> random.nextInt(64));
    }

    private static void assertFormats(long v) {
        String expected = Long.toString(v);
        assertEquals(expected.length(), Numbers.digits(v), expected);
        byte[] b = new byte[24];
        int end = Numbers.writeLong(v, b, 2);
        assertEquals(expected, new String(b, 2, end - 2, StandardCharsets.US_ASCII));
    }
}
