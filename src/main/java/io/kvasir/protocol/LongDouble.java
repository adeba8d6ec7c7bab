package io.kvasir.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The C {@code long double} arithmetic that Redis uses for INCRBYFLOAT and HINCRBYFLOAT. On
 * x86-64 that is the x87 80-bit format: a 64-bit significand, exponents down to 2^-16445
 * (denormals) and up to just under 2^16384. A double has 11 fewer bits, so computing with doubles
 * gives visibly different results ("0.1" + "0.2" prints "0.3" in Redis).
 *
 * <p>Values are held exactly as {@link BigDecimal}s (every binary fraction has a finite decimal
 * expansion); each result is rounded to the nearest 80-bit value, ties to even, as the FPU does.
 * Infinity has no BigDecimal: operations report it as {@code null}. Not on any hot path.
 */
public final class LongDouble {
    private LongDouble() {}

    private static final int SIGNIFICAND_BITS = 64;
    /** Exponent of the smallest denormal, 2^-16445. */
    private static final int MIN_QUANTUM = -16445;
    /** Values at or above 2^16384 overflow to infinity. */
    private static final int OVERFLOW_EXP = 16384;
    /** Redis refuses number strings of this length or more (MAX_LONG_DOUBLE_CHARS). */
    private static final int MAX_CHARS = 5 * 1024;

    /**
     * Parses a number as Redis does with strtold: decimal and hexadecimal ("0x1.8p3") forms,
     * "inf" and "infinity" in any case, an optional sign; no spaces, no NaN, nothing left over,
     * and no values that overflow or underflow to zero. Returns the exact value of the nearest
     * long double, or null for an infinity; throws "value is not a valid float" otherwise.
     */
    public static BigDecimal parse(byte[] b, int off, int len) {
        if (len == 0 || len >= MAX_CHARS) throw Errors.NOT_FLOAT;
        int i = off, end = off + len;
        boolean negative = false;
        if (b[i] == '+' || b[i] == '-') negative = b[i++] == '-';
        if (i == end) throw Errors.NOT_FLOAT;
        if (matchesIgnoreCase(b, i, end, "inf") || matchesIgnoreCase(b, i, end, "infinity")) return null;
        BigDecimal v;
        if (end - i > 2 && b[i] == '0' && (b[i + 1] | 0x20) == 'x') v = parseHex(b, i + 2, end);
        else v = parseDecimal(b, i, end);
        return negative ? v.negate() : v;
    }

    /** The sum rounded to the nearest long double, or null if it overflows to infinity. */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return nearest(a.add(b));
    }

    /** The product rounded to the nearest long double, or null if it overflows to infinity. */
    public static BigDecimal multiply(BigDecimal a, BigDecimal b) {
        return nearest(a.multiply(b));
    }

    /** The long double nearest to an exact value, or null if that is an infinity. */
    private static BigDecimal nearest(BigDecimal exact) {
        if (exact.signum() == 0) return BigDecimal.ZERO;
        BigInteger unscaled = exact.unscaledValue().abs();
        int scale = exact.scale();
        BigDecimal r = scale <= 0
                ? round(unscaled.multiply(BigInteger.TEN.pow(-scale)), BigInteger.ONE)
                : round(unscaled, BigInteger.TEN.pow(scale));
        if (r == null) return null;
        return exact.signum() < 0 ? r.negate() : r;
    }

    /**
     * Formats as Redis's "human" long double form: printf's {@code %.17Lf} (17 decimals, ties to
     * even on the exact binary value), then trailing zeros and a bare '.' dropped; "-0" is "0".
     */
    public static String format(BigDecimal v) {
        String s = v.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    private static boolean matchesIgnoreCase(byte[] b, int from, int end, String word) {
        if (end - from != word.length()) return false;
        for (int k = 0; k < word.length(); k++) if ((b[from + k] | 0x20) != word.charAt(k)) return false;
        return true;
    }

    /** digits[.digits][(e|E)[sign]digits], at least one digit in the mantissa. */
    private static BigDecimal parseDecimal(byte[] b, int i, int end) {
        if (b[i] == 'n' || b[i] == 'N') throw Errors.NOT_FLOAT; // nan, nan(...): never a valid float
        int digits = 0, fractionDigits = 0;
        boolean dot = false;
        StringBuilder mantissa = new StringBuilder(end - i);
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                mantissa.append((char) c);
                digits++;
                if (dot) fractionDigits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) throw Errors.NOT_FLOAT;
        long exponent = i < end && (b[i] | 0x20) == 'e' ? parseExponent(b, i + 1, end) : 0;
        if (i < end && (b[i] | 0x20) != 'e') throw Errors.NOT_FLOAT;
        BigInteger d = new BigInteger(mantissa.toString());
        if (d.signum() == 0) return BigDecimal.ZERO;
        long e10 = exponent - fractionDigits;
        int significant = d.toString().length();
        // Decide the clear overflow and underflow cases before computing huge powers of ten.
        if (significant - 1 + e10 >= 4933) throw Errors.NOT_FLOAT;   // >= 1e4933 > max
        if (significant + e10 <= -4952) throw Errors.NOT_FLOAT;      // < 1e-4952, rounds to 0
        BigDecimal v = e10 >= 0
                ? round(d.multiply(BigInteger.TEN.pow((int) e10)), BigInteger.ONE)
                : round(d, BigInteger.TEN.pow((int) -e10));
        if (v == null || v.signum() == 0) throw Errors.NOT_FLOAT;     // strtold's ERANGE
        return v;
    }

    /** hexdigits[.hexdigits][(p|P)[sign]digits] after "0x", at least one hex digit. */
    private static BigDecimal parseHex(byte[] b, int i, int end) {
        BigInteger m = BigInteger.ZERO;
        int digits = 0, fractionDigits = 0;
        boolean dot = false;
        for (; i < end; i++) {
            int c = b[i], h = Character.digit(c, 16);
            if (h >= 0) {
                m = m.shiftLeft(4).or(BigInteger.valueOf(h));
                digits++;
                if (dot) fractionDigits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) throw Errors.NOT_FLOAT;
        long exponent = 0;
        if (i < end) {
            if ((b[i] | 0x20) != 'p') throw Errors.NOT_FLOAT;
            exponent = parseExponent(b, i + 1, end);
        }
        if (m.signum() == 0) return BigDecimal.ZERO;
        long e2 = exponent - 4L * fractionDigits;
        if (m.bitLength() - 1 + e2 >= OVERFLOW_EXP) throw Errors.NOT_FLOAT;
        if (m.bitLength() + e2 <= MIN_QUANTUM - 1) throw Errors.NOT_FLOAT;
        BigDecimal v = e2 >= 0
                ? round(m.shiftLeft((int) e2), BigInteger.ONE)
                : round(m, BigInteger.ONE.shiftLeft((int) -e2));
        if (v == null || v.signum() == 0) throw Errors.NOT_FLOAT;
        return v;
    }

    /** A signed decimal exponent running to the end; saturates far beyond any finite result. */
    private static long parseExponent(byte[] b, int i, int end) {
        boolean negative = false;
        if (i < end && (b[i] == '+' || b[i] == '-')) negative = b[i++] == '-';
        if (i == end) throw Errors.NOT_FLOAT;
        long e = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw Errors.NOT_FLOAT;
            if (e < 1_000_000) e = e * 10 + d;
        }
        return negative ? -e : e;
    }

    /**
     * The long double nearest to num/den (both positive), ties to even, as an exact BigDecimal;
     * null if it rounds to infinity, zero if it underflows.
     */
    private static BigDecimal round(BigInteger num, BigInteger den) {
        // e = floor(log2(num/den))
        int e = num.bitLength() - den.bitLength();
        if (e >= 0 ? num.compareTo(den.shiftLeft(e)) < 0 : num.shiftLeft(-e).compareTo(den) < 0) e--;
        if (e >= OVERFLOW_EXP) return null;
        int quantum = Math.max(e - (SIGNIFICAND_BITS - 1), MIN_QUANTUM);
        BigInteger n = num, d = den;
        if (quantum < 0) n = n.shiftLeft(-quantum);
        else d = d.shiftLeft(quantum);
        BigInteger[] qr = n.divideAndRemainder(d);
        BigInteger m = qr[0];
        int half = qr[1].shiftLeft(1).compareTo(d);
        if (half > 0 || (half == 0 && m.testBit(0))) m = m.add(BigInteger.ONE);
        if (m.signum() == 0) return BigDecimal.ZERO;
        if (m.bitLength() + quantum > OVERFLOW_EXP) return null;
        return quantum >= 0
                ? new BigDecimal(m.shiftLeft(quantum))
                : new BigDecimal(m.multiply(BigInteger.valueOf(5).pow(-quantum)), -quantum);
    }
}
