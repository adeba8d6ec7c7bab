package io.kvasir.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Numbers#isLong} (the "int" encoding test) agrees with {@link Numbers#parseLong}. */
class NumbersIsLongTest {

    private static boolean parses(byte[] b) {
        try {
            Numbers.parseLong(b, 0, b.length);
            return true;
        } catch (RedisError e) {
            return false;
        }
    }

    private static void check(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(parses(b), Numbers.isLong(b, 0, b.length), s);
    }

    @Test
    void edgeCases() {
        for (String s : new String[] {"", "0", "-0", "00", "01", "-01", "-", "+1", " 1", "1 ", "1a", "a", "12",
                "-12", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                "-9223372036854775809", "999999999999999999", "1000000000000000000", "9999999999999999999",
                "10000000000000000000", "-9999999999999999999", "123456789012345678901", "1.0", "1e3"}) {
            check(s);
        }
        assertEquals(true, Numbers.isLong("9223372036854775807".getBytes(StandardCharsets.US_ASCII), 0, 19));
        assertEquals(false, Numbers.isLong("x12".getBytes(StandardCharsets.US_ASCII), 0, 3));
        assertEquals(true, Numbers.isLong("x12".getBytes(StandardCharsets.US_ASCII), 1, 2));
    }

    @Test
    void randomStringsOfDigitsAndSigns() {
        Random r = new Random(7);
        String alphabet = "0123456789-+ 9";
        for (int n = 0; n < 20000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(22);
            for (int i = 0; i < len; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            check(sb.toString());
        }
    }
}
