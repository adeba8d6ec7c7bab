package io.kvasir.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Redis's strict number parsing and its number formatting, without temporary strings on the hot path. */
public final class Numbers {
    private Numbers() {}

    /** Parses a long as Redis's string2ll does: optional '-', no '+', no leading zeros, no spaces. */
    public static long parseLong(byte[] b, int off, int len) {
        if (len == 0 || len > 20) throw Errors.NOT_INTEGER;
        if (len == 1 && b[off] == '0') return 0;
        int i = off, end = off + len;
        boolean negative = false;
        if (b[i] == '-') {
            negative = true;
            if (++i == end) throw Errors.NOT_INTEGER;
        }
        if (b[i] < '1' || b[i] > '9') throw Errors.NOT_INTEGER;
        long v = 0; // accumulated negatively so that Long.MIN_VALUE fits
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw Errors.NOT_INTEGER;
            if (v < (Long.MIN_VALUE + d) / 10) throw Errors.NOT_INTEGER;
            v = v * 10 - d;
        }
        if (negative) return v;
        if (v == Long.MIN_VALUE) throw Errors.NOT_INTEGER;
        return -v;
    }

    /** True if the bytes are exactly a Redis integer (the test for the "int" encoding). */
    public static boolean isLong(byte[] b, int off, int len) {
        if (len == 0 || len > 20) return false;
        // Decided by shape without an exception (every SET asks); only 19-20 digits need a range check.
        int i = off, end = off + len;
        if (b[i] == '-' && ++i == end) return false;
        if (b[i] < '1' || b[i] > '9') return len == 1 && b[off] == '0';
        for (int j = i + 1; j < end; j++) if (b[j] < '0' || b[j] > '9') return false;
        if (end - i < 19) return true;
        try {
            parseLong(b, off, len);
            return true;
        } catch (RedisError e) {
            return false;
        }
    }

    /**
     * Parses a double as Redis reads a float argument (ZADD scores, weights): the whole argument
     * must be what C's strtod converts, with no leading blank, no NaN, and no overflow or underflow
     * to zero; hex floats, "inf" and "infinity" are accepted.
     */
    public static double parseDouble(byte[] b, int off, int len) {
        if (len == 0 || Strtod.isSpace(b[off])) throw Errors.NOT_FLOAT;
        Strtod s = new Strtod().parse(b, off, len);
        double v = s.value;
        if (s.end != off + len || Double.isNaN(v) || (s.range && (Double.isInfinite(v) || v == 0))) throw Errors.NOT_FLOAT;
        return v;
    }

    /** Number of decimal digits (and sign) that {@code v} prints as. */
    public static int digits(long v) {
        if (v < 0) return v == Long.MIN_VALUE ? 20 : 1 + digits(-v);
        // floor(log10(v)) from the bit length (1233/4096 ~ log10 2), corrected by one comparison
        int guess = ((63 - Long.numberOfLeadingZeros(v | 1)) * 1233) >>> 12;
        return guess + 1 + (guess < 18 && v >= POWERS_OF_TEN[guess + 1] ? 1 : 0);
    }

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

    /** Writes {@code v} in decimal into {@code dst} at {@code pos}; returns the position after it. */
    public static int writeLong(long v, byte[] dst, int pos) {
        int n = digits(v);
        int end = pos + n;
        if (v == Long.MIN_VALUE) {
            byte[] m = "-9223372036854775808".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(m, 0, dst, pos, m.length);
            return end;
        }
        if (v < 0) {
            dst[pos] = '-';
            v = -v;
        }
        int i = end;
        while (v >= 100) { // two digits a step
            int r = (int) (v % 100);
            v /= 100;
            dst[--i] = DIGIT_PAIRS[2 * r + 1];
            dst[--i] = DIGIT_PAIRS[2 * r];
        }
        if (v >= 10) {
            dst[--i] = DIGIT_PAIRS[2 * (int) v + 1];
            dst[--i] = DIGIT_PAIRS[2 * (int) v];
        } else {
            dst[--i] = (byte) ('0' + v);
        }
        return end;
    }

    /** "00" "01" ... "99". */
    private static final byte[] DIGIT_PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    public static byte[] longBytes(long v) {
        byte[] b = new byte[digits(v)];
        writeLong(v, b, 0);
        return b;
    }

    /** Formats a double as Redis 7.0 replies with one (%.17g, as ZSCORE and RESP3 doubles do). */
    public static String formatDouble(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (Double.isNaN(d)) return "nan";
        if (d == 0) return 1 / d < 0 ? "-0" : "0";
        // An integer below 1e17 has at most 17 digits: %.17g prints it whole.
        if (d == Math.rint(d) && Math.abs(d) < 1e17) return Long.toString((long) d);
        // %.17g: the exact binary value rounded (half-even, as glibc) to 17 significant digits, trailing
        // zeros dropped; exponent form when the decimal exponent is below -4 or at least 17.
        BigDecimal r = new BigDecimal(d).round(new java.math.MathContext(17, java.math.RoundingMode.HALF_EVEN));
        String digits = r.unscaledValue().abs().toString();
        int exp = digits.length() - r.scale() - 1;
        int n = digits.length();
        while (n > 1 && digits.charAt(n - 1) == '0') n--;
        digits = digits.substring(0, n);
        StringBuilder sb = new StringBuilder(26);
        if (d < 0) sb.append('-');
        if (exp < -4 || exp >= 17) {
            sb.append(digits.charAt(0));
            if (n > 1) sb.append('.').append(digits, 1, n);
            sb.append('e').append(exp < 0 ? '-' : '+');
            if (Math.abs(exp) < 10) sb.append('0');
            return sb.append(Math.abs(exp)).toString();
        }
        if (exp < 0) {
            sb.append("0.");
            for (int i = -1; i > exp; i--) sb.append('0');
            return sb.append(digits).toString();
        }
        if (n <= exp + 1) {
            sb.append(digits);
            for (int i = n; i <= exp; i++) sb.append('0');
            return sb.toString();
        }
        return sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, n).toString();
    }
}
