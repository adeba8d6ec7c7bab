package io.kvasir.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes RESP replies straight into a connection's outbound buffer, in the form of the
 * connection's protocol version: RESP3 types under {@code HELLO 3}, their RESP2 equivalents
 * otherwise. Integers and lengths are formatted without temporary strings.
 */
public final class Reply {
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] TRUE3 = ascii("#t\r\n");
    private static final byte[] FALSE3 = ascii("#f\r\n");
    private static final byte[] QUEUED = ascii("+QUEUED\r\n");

    private ByteBuf out;
    private int resp = 2;
    private final byte[] scratch = new byte[24];
    private final byte[] digits = new byte[24];

    public Reply() {}

    public Reply(ByteBuf out) { this.out = out; }

    public static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    public void target(ByteBuf out) { this.out = out; }
    public ByteBuf target() { return out; }
    public int resp() { return resp; }
    public void resp(int version) { this.resp = version; }
    public boolean resp3() { return resp == 3; }

    public void raw(byte[] bytes) { out.writeBytes(bytes); }

    public void ok() { out.writeBytes(OK); }
    public void queued() { out.writeBytes(QUEUED); }

    public void simple(String s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /**
     * An error reply; {@code message} is the text after '-' ("ERR ..."). Like Redis, line breaks
     * inside the text become spaces so the reply stays one line.
     */
    public void error(String message) {
        error(message, StandardCharsets.UTF_8);
    }

    /** An error whose text holds raw request bytes, one per char (ISO-8859-1), written back byte for byte. */
    public void errorBytes(String message) {
        error(message, StandardCharsets.ISO_8859_1);
    }

    private void error(String message, java.nio.charset.Charset charset) {
        out.writeByte('-');
        if (message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0) {
            message = message.replace('\r', ' ').replace('\n', ' ');
        }
        out.writeCharSequence(message, charset);
        out.writeBytes(CRLF);
    }

    public void integer(long v) { prefixed(':', v); }

    public void bulk(byte[] b) { bulk(b, 0, b.length); }

    public void bulk(byte[] b, int off, int len) {
        ByteBuf o = out;
        if (o.hasArray()) { // header, payload and CRLF in one bounds check (connections write to heap)
            o.ensureWritable(len + MAX_HEADER + 2);
            byte[] a = o.array();
            int start = o.arrayOffset() + o.writerIndex();
            int w = header(a, start, '$', len);
            System.arraycopy(b, off, a, w, len);
            w += len;
            a[w++] = '\r';
            a[w++] = '\n';
            o.writerIndex(o.writerIndex() + w - start);
            return;
        }
        prefixed('$', len);
        out.writeBytes(b, off, len);
        out.writeBytes(CRLF);
    }

    public void bulk(String s) { bulk(s.getBytes(StandardCharsets.UTF_8)); }

    /** The decimal digits of {@code v} as a bulk string (an int-encoded string value). */
    public void bulk(long v) {
        int n = Numbers.writeLong(v, digits, 0);
        prefixed('$', n);
        out.writeBytes(digits, 0, n);
        out.writeBytes(CRLF);
    }

    /** Argument {@code i} echoed back as a bulk string. */
    public void bulk(Args a, int i) { bulk(a.buf(), a.off(i), a.len(i)); }

    /** A missing value: "$-1" in RESP2, "_" in RESP3. */
    public void nullBulk() { out.writeBytes(resp == 3 ? NULL3 : NULL_BULK); }

    /** A missing aggregate: "*-1" in RESP2, "_" in RESP3. */
    public void nullArray() { out.writeBytes(resp == 3 ? NULL3 : NULL_ARRAY); }

    public void array(int n) {
        if (n == 0) out.writeBytes(EMPTY_ARRAY);
        else prefixed('*', n);
    }

    /** A map of {@code n} pairs: "%n" in RESP3, an array of 2n in RESP2. */
    public void map(int n) {
        if (resp == 3) prefixed('%', n);
        else array(2 * n);
    }

    /** A set: "~n" in RESP3, an array in RESP2. */
    public void set(int n) {
        if (resp == 3) prefixed('~', n);
        else array(n);
    }

    /** An out-of-band push: ">n" in RESP3, an array in RESP2 (pub/sub messages). */
    public void push(int n) {
        if (resp == 3) prefixed('>', n);
        else array(n);
    }

    /** A double: "," in RESP3, a bulk string in RESP2, formatted as Redis 7.0 formats it. */
    public void dbl(double d) {
        if (d == (long) d && Math.abs(d) < 1e17 && (d != 0 || 1 / d > 0)) {
            // an integer prints as its digits: no string on the way (scores are often integers)
            int n = Numbers.writeLong((long) d, digits, 0);
            if (resp == 3) out.writeByte(',');
            else prefixed('$', n);
            out.writeBytes(digits, 0, n);
            out.writeBytes(CRLF);
            return;
        }
        String s = Numbers.formatDouble(d);
        if (resp == 3) {
            out.writeByte(',');
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(s);
        }
    }

    /** A boolean: "#t"/"#f" in RESP3, ":1"/":0" in RESP2. */
    public void bool(boolean b) {
        if (resp == 3) out.writeBytes(b ? TRUE3 : FALSE3);
        else integer(b ? 1 : 0);
    }

    /** A verbatim string ("=len\r\ntxt:...") in RESP3, a bulk string in RESP2. */
    public void verbatim(String text) {
        if (resp != 3) {
            bulk(text);
            return;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        prefixed('=', b.length + 4);
        out.writeBytes(ascii("txt:"));
        out.writeBytes(b);
        out.writeBytes(CRLF);
    }

    private void prefixed(char type, long v) {
        ByteBuf o = out;
        if (o.hasArray()) {
            o.ensureWritable(MAX_HEADER);
            int start = o.arrayOffset() + o.writerIndex();
            o.writerIndex(o.writerIndex() + header(o.array(), start, type, v) - start);
            return;
        }
        int n = header(scratch, 0, type, v);
        out.writeBytes(scratch, 0, n);
    }

    /** Type byte, up to 20 digits and CRLF. */
    private static final int MAX_HEADER = 23;

    /** Writes a type byte, {@code v}'s digits and CRLF at {@code w}; returns the position after. */
    private static int header(byte[] a, int w, char type, long v) {
        a[w] = (byte) type;
        w = Numbers.writeLong(v, a, w + 1);
        a[w] = '\r';
        a[w + 1] = '\n';
        return w + 2;
    }
}
