package io.kvasir.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} in the "C" locale, as glibc implements it, over a byte slice: Redis reads
 * every double argument with it, so what it accepts (leading blanks, hex floats such as
 * {@code 0x1p-3}, "infinity", a valid prefix followed by anything) decides Redis's replies.
 * Decimal and hex conversions are correctly rounded, as both glibc's and Java's are.
 *
 * <p>A parse is one call to {@link #parse}; the result is read from the instance. Instances are
 * cheap and not shared between threads.
 */
public final class Strtod {
    /** The converted value (0 when nothing converted). */
    public double value;
    /** Offset just past the converted text; the slice's start when nothing converted. */
    public int end;
    /**
     * True where glibc sets errno to ERANGE: overflow to infinity, underflow of nonzero digits to zero, or
     * an inexact result that is tiny (below the smallest normal double once rounded to 53 bits).
     */
    public boolean range;

    /** Parses the longest prefix of {@code b[off, off+len)} that strtod would convert. */
    public Strtod parse(byte[] b, int off, int len) {
        value = 0;
        end = off;
        range = false;
        int lim = off + len, p = off;
        while (p < lim && isSpace(b[p])) p++;
        boolean negative = false;
        if (p < lim && (b[p] == '+' || b[p] == '-')) negative = b[p++] == '-';
        if (p < lim && (b[p] | 0x20) == 'i') {
            if (word(b, p, lim, "infinity")) finish(Double.POSITIVE_INFINITY, negative, p + 8);
            else if (word(b, p, lim, "inf")) finish(Double.POSITIVE_INFINITY, negative, p + 3);
            return this;
        }
        if (p < lim && (b[p] | 0x20) == 'n') {
            if (word(b, p, lim, "nan")) finish(Double.NaN, negative, nanEnd(b, p + 3, lim));
            return this;
        }
        if (p + 1 < lim && b[p] == '0' && (b[p + 1] | 0x20) == 'x' && hexMantissa(b, p + 2, lim)) {
            hex(b, p + 2, lim, negative);
            return this;
        }
        decimal(b, p, lim, negative);
        return this;
    }

    private void finish(double v, boolean negative, int at) {
        value = negative ? -v : v;
        end = at;
    }

    private void decimal(byte[] b, int start, int lim, boolean negative) {
        int p = start;
        boolean digits = false, nonzero = false;
        while (p < lim && isDigit(b[p])) {
            nonzero |= b[p] != '0';
            digits = true;
            p++;
        }
        if (p < lim && b[p] == '.') {
            p++;
            while (p < lim && isDigit(b[p])) {
                nonzero |= b[p] != '0';
                digits = true;
                p++;
            }
        }
        if (!digits) return;
        int mantissaEnd = p;
        p = exponent(b, p, lim, 'e');
        double v = p == mantissaEnd ? exact(b, start, p) : Double.NaN;
        if (v != v) v = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
        range = Double.isInfinite(v) || (v == 0 && nonzero)
                || (nearTiny(v) && tinyInexact(v, decimalValue(b, start, p)));
        finish(v, negative, p);
    }

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * Clinger's fast path for digits with an optional '.' and no exponent: with at most 15
     * significant digits the digits are an exact double, and so is a power of ten up to 1e22, so
     * one IEEE division is the correctly rounded result. NaN when the text does not qualify.
     */
    private static double exact(byte[] b, int from, int to) {
        long digits = 0;
        int significant = 0, fraction = -1;
        for (int p = from; p < to; p++) {
            if (b[p] == '.') {
                fraction = 0;
                continue;
            }
            if (fraction >= 0) fraction++;
            digits = digits * 10 + (b[p] - '0');
            if (digits != 0 && ++significant > 15) return Double.NaN;
        }
        if (fraction > 22) return Double.NaN;
        return fraction <= 0 ? (double) digits : digits / POWERS_OF_TEN[fraction];
    }

    /** True if a hex float's mantissa starts at {@code p}: a hex digit, or '.' and a hex digit. */
    private static boolean hexMantissa(byte[] b, int p, int lim) {
        if (p < lim && isHex(b[p])) return true;
        return p + 1 < lim && b[p] == '.' && isHex(b[p + 1]);
    }

    private void hex(byte[] b, int start, int lim, boolean negative) {
        int p = start;
        boolean nonzero = false;
        while (p < lim && isHex(b[p])) nonzero |= b[p++] != '0';
        if (p < lim && b[p] == '.') {
            p++;
            while (p < lim && isHex(b[p])) nonzero |= b[p++] != '0';
        }
        int mantissaEnd = p;
        p = exponent(b, p, lim, 'p');
        // Java's hex syntax needs the binary exponent; C's makes it optional.
        String text = "0x" + new String(b, start, mantissaEnd - start, StandardCharsets.ISO_8859_1)
                + (p == mantissaEnd ? "p0" : new String(b, mantissaEnd, p - mantissaEnd, StandardCharsets.ISO_8859_1));
        double v = Double.parseDouble(text);
        range = Double.isInfinite(v) || (v == 0 && nonzero) || (nearTiny(v) && tinyInexact(v, hexValue(text)));
        finish(v, negative, p);
    }

    // ---- underflow to a subnormal (rare: only results at or below the smallest normal get here) ----

    private static final BigDecimal MIN_NORMAL = new BigDecimal(Double.MIN_NORMAL);
    /** 2^-1022 - 2^-1076: below it, a value rounded to 53 bits (no exponent limit) stays under the smallest normal. */
    private static final BigDecimal TINY_BELOW =
            MIN_NORMAL.subtract(new BigDecimal(Double.MIN_VALUE).divide(BigDecimal.valueOf(4)));

    private static boolean nearTiny(double v) {
        return v != 0 && v <= Double.MIN_NORMAL;
    }

    /**
     * glibc detects tininess after rounding: an inexact subnormal result is tiny, and so is a result that
     * rounded up to the smallest normal from a value that 53 bits would still keep below it. A null exact
     * value (digits Java cannot hold) counts as inexact.
     */
    private static boolean tinyInexact(double v, BigDecimal exact) {
        if (exact == null) return true;
        if (v < Double.MIN_NORMAL) return exact.compareTo(new BigDecimal(v)) != 0;
        return exact.compareTo(TINY_BELOW) < 0;
    }

    private static BigDecimal decimalValue(byte[] b, int from, int to) {
        try {
            return new BigDecimal(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The exact value of "0x" hex digits with an optional point, then "p" and a binary exponent. */
    private static BigDecimal hexValue(String text) {
        int pAt = text.indexOf('p');
        String digits = text.substring(2, pAt);
        int point = digits.indexOf('.');
        int fraction = point < 0 ? 0 : digits.length() - point - 1;
        try {
            BigInteger m = new BigInteger(digits.replace(".", ""), 16);
            long e = Long.parseLong(text.substring(pAt + 1).replace("+", "")) - 4L * fraction;
            // negative, as the value is below 1
            return new BigDecimal(m).divide(new BigDecimal(BigInteger.TWO.pow((int) -e)));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** The end of an optional exponent (marker, sign, digits) at {@code p}; {@code p} if there is none. */
    private static int exponent(byte[] b, int p, int lim, char marker) {
        if (p >= lim || (b[p] | 0x20) != marker) return p;
        int q = p + 1;
        if (q < lim && (b[q] == '+' || b[q] == '-')) q++;
        if (q >= lim || !isDigit(b[q])) return p;
        while (q < lim && isDigit(b[q])) q++;
        return q;
    }

    /** "nan" may be followed by "(chars)" of letters, digits and '_'. */
    private static int nanEnd(byte[] b, int p, int lim) {
        if (p >= lim || b[p] != '(') return p;
        int q = p + 1;
        while (q < lim && (isDigit(b[q]) || ((b[q] | 0x20) >= 'a' && (b[q] | 0x20) <= 'z') || b[q] == '_')) q++;
        return q < lim && b[q] == ')' ? q + 1 : p;
    }

    private static boolean word(byte[] b, int p, int lim, String w) {
        if (lim - p < w.length()) return false;
        for (int i = 0; i < w.length(); i++) if ((b[p + i] | 0x20) != w.charAt(i)) return false;
        return true;
    }

    /** C's isspace in the "C" locale. */
    public static boolean isSpace(byte c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(byte c) {
        return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }
}
