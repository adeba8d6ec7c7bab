package io.kvasir.protocol;

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
     * Parses a double as Redis reads floats with strtod: decimal or exponent forms, "inf",
     * "+inf", "-inf", "infinity"; no spaces, no NaN, no Java suffixes.
     */
    public static double parseDouble(byte[] b, int off, int len) {
        if (len == 0 || len > 5000) throw Errors.NOT_FLOAT;
        String s = new String(b, off, len, StandardCharsets.ISO_8859_1);
        Double special = parseInfinity(s);
        if (special != null) return special;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
            if (!ok) throw Errors.NOT_FLOAT;
        }
        try {
            double d = Double.parseDouble(s);
            if (Double.isNaN(d)) throw Errors.NOT_FLOAT;
            return d;
        } catch (NumberFormatException e) {
            throw Errors.NOT_FLOAT;
        }
    }

    private static Double parseInfinity(String s) {
        String t = s.toLowerCase(java.util.Locale.ROOT);
        int sign = 1;
        if (t.startsWith("+")) t = t.substring(1);
        else if (t.startsWith("-")) {
            sign = -1;
            t = t.substring(1);
        }
        if (t.equals("inf") || t.equals("infinity")) return sign * Double.POSITIVE_INFINITY;
        return null;
    }

    /** Number of decimal digits (and sign) that {@code v} prints as. */
    public static int digits(long v) {
        if (v == Long.MIN_VALUE) return 20;
        int n = 1;
        if (v < 0) {
            n = 2;
            v = -v;
        }
        while (v >= 10) {
            v /= 10;
            n++;
        }
        return n;
    }

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
        do {
            dst[--i] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        return end;
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
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        String s = String.format(java.util.Locale.ROOT, "%.17g", d);
        // %g in Java never switches to exponent form as C does; emulate C's rule.
        int exp = d == 0 ? 0 : (int) Math.floor(Math.log10(Math.abs(d)));
        if (exp < -4 || exp >= 17) {
            s = String.format(java.util.Locale.ROOT, "%.16e", d);
            int e = s.indexOf('e');
            String mant = stripZeros(s.substring(0, e));
            String ex = s.substring(e + 1);
            int exv = Integer.parseInt(ex);
            return mant + "e" + (exv < 0 ? "-" : "+") + (Math.abs(exv) < 10 ? "0" : "") + Math.abs(exv);
        }
        return stripZeros(s);
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }
}
