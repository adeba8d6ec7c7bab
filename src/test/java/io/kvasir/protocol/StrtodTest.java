package io.kvasir.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decimal conversions, fast path or not, give exactly what Java's correctly rounded parser gives. */
class StrtodTest {
    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "1", "12345", "999999999999999", "9999999999999999", "0.1", "0.3",
            "123.456", "1.", ".5", "-.5", "0.0000000000000000000001", "0.00000000000000000000001",
            "1234567890.12345", "12345678901234567890", "00000000000000000000012", "3.14159265358979",
            "1e10", "2.5E-3", "-7.000000000000000000001"})
    void knownTexts(String text) {
        assertConverts(text);
    }

    @Test
    void randomDecimalsRoundCorrectly() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder s = new StringBuilder();
            if (random.nextInt(4) == 0) s.append('-');
            int intDigits = random.nextInt(0, 18), fracDigits = random.nextInt(0, 25);
            for (int i = 0; i < intDigits; i++) s.append((char) ('0' + random.nextInt(10)));
            if (fracDigits > 0 || intDigits == 0) {
                s.append('.');
                for (int i = 0; i < Math.max(1, fracDigits); i++) s.append((char) ('0' + random.nextInt(10)));
            }
            assertConverts(s.toString());
        }
    }

    private static void assertConverts(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        Strtod s = new Strtod().parse(b, 0, b.length);
        assertEquals(b.length, s.end, text);
        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(s.value), text);
    }
}
