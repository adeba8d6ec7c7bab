package io.kvasir.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one request, as slices of the connection's receive buffer: no object per
 * argument. Valid only while the command runs; a command that keeps an argument copies it
 * ({@link #bytes}).
 */
public final class Args {
    byte[] buf;
    int count;
    int[] off = new int[16];
    int[] len = new int[16];

    public Args() {}

    /** Arguments over their own copies, for requests built in code (scripts, tests, AOF replay). */
    public static Args of(byte[]... parts) {
        Args a = new Args();
        int total = 0;
        for (byte[] p : parts) total += p.length;
        a.buf = new byte[total];
        int pos = 0;
        for (byte[] p : parts) {
            a.add(pos, p.length);
            System.arraycopy(p, 0, a.buf, pos, p.length);
            pos += p.length;
        }
        return a;
    }

    public static Args of(String... parts) {
        byte[][] b = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) b[i] = parts[i].getBytes(StandardCharsets.UTF_8);
        return of(b);
    }

    void reset(byte[] buffer) {
        this.buf = buffer;
        this.count = 0;
    }

    void add(int offset, int length) {
        if (count == off.length) {
            off = Arrays.copyOf(off, count * 2);
            len = Arrays.copyOf(len, count * 2);
        }
        off[count] = offset;
        len[count] = length;
        count++;
    }

    /** Shifts every argument offset after the buffer was compacted by {@code delta} bytes. */
    void shift(int delta) {
        for (int i = 0; i < count; i++) off[i] -= delta;
    }

    public int count() { return count; }
    public byte[] buf() { return buf; }
    public int off(int i) { return off[i]; }
    public int len(int i) { return len[i]; }

    /** Case-insensitive comparison with an ASCII word, without allocating. */
    public boolean is(int i, String word) {
        int n = len[i];
        if (n != word.length()) return false;
        int o = off[i];
        for (int k = 0; k < n; k++) {
            int a = buf[o + k];
            int b = word.charAt(k);
            if (a != b && !(isLetter(b) && (a | 0x20) == (b | 0x20))) return false;
        }
        return true;
    }

    private static boolean isLetter(int c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    /** A copy of argument {@code i}. */
    public byte[] bytes(int i) {
        return Arrays.copyOfRange(buf, off[i], off[i] + len[i]);
    }

    /** Argument {@code i} decoded as UTF-8 (for names and options, never on the data path). */
    public String str(int i) {
        return new String(buf, off[i], len[i], StandardCharsets.UTF_8);
    }

    /** Argument {@code i} lower-cased, as the command table and error messages name commands. */
    public String lower(int i) {
        return str(i).toLowerCase(java.util.Locale.ROOT);
    }

    public boolean equalBytes(int i, int j) {
        return Arrays.equals(buf, off[i], off[i] + len[i], buf, off[j], off[j] + len[j]);
    }

    /** Argument {@code i} as a Redis integer (strict: no spaces, no '+', no leading zeros). */
    public long longValue(int i) {
        return Numbers.parseLong(buf, off[i], len[i]);
    }

    /** Argument {@code i} as an int, with Redis's "out of range" error past int bounds. */
    public int intValue(int i) {
        long v = longValue(i);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw Errors.INT_RANGE;
        return (int) v;
    }

    /** Argument {@code i} as a double the way Redis reads a float (inf, -inf; no NaN). */
    public double doubleValue(int i) {
        return Numbers.parseDouble(buf, off[i], len[i]);
    }

    /** A copy that outlives the receive buffer (for queued commands, MONITOR, SLOWLOG). */
    public Args copy() {
        Args a = new Args();
        int total = 0;
        for (int i = 0; i < count; i++) total += len[i];
        a.buf = new byte[total];
        int pos = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(buf, off[i], a.buf, pos, len[i]);
            a.add(pos, len[i]);
            pos += len[i];
        }
        return a;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) sb.append(' ');
            sb.append('"').append(str(i)).append('"');
        }
        return sb.toString();
    }
}
