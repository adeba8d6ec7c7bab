package io.kvasir.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What the benchmarks share: keys as redis-benchmark names them, values, and RESP frames. */
final class Fixtures {
    private Fixtures() {}

    /** Keys loaded by the keyspace benchmarks, as {@code redis-benchmark -r 1000000}. */
    static final int KEYS = 1_000_000;
    /** "key:" and 12 digits, as redis-benchmark's {@code key:__rand_int__}. */
    static final int KEY_LENGTH = 16;
    private static final int PREFIX = 4;

    /** {@code key:%012d} of {@code n}. */
    static byte[] key(long n) {
        byte[] k = "key:000000000000".getBytes(StandardCharsets.US_ASCII);
        number(k, 0, n);
        return k;
    }

    /**
     * Rewrites the 12 digits of the key at {@code dst[keyAt]} as {@code n} (below 10^12): a few
     * nanoseconds, measured alone by {@code KeyspaceBenchmark.randomKey}.
     */
    static void number(byte[] dst, int keyAt, long n) {
        sixDigits(dst, keyAt + PREFIX, (int) (n / 1_000_000));
        sixDigits(dst, keyAt + PREFIX + 6, (int) (n % 1_000_000));
    }

    private static void sixDigits(byte[] dst, int at, int v) {
        for (int i = at + 5; i >= at; i--) {
            dst[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
    }

    /** A value of {@code n} bytes of 'x' (not an integer, so SET stores it as bytes). */
    static byte[] value(int n) {
        return "x".repeat(n).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A RESP multibulk request, as clients send it. */
    static byte[] command(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*" + args.length + "\r\n"));
        for (byte[] a : args) {
            out.writeBytes(ascii("$" + a.length + "\r\n"));
            out.writeBytes(a);
            out.writeBytes(ascii("\r\n"));
        }
        return out.toByteArray();
    }

    /** Where argument {@code i} of the request {@code frame} starts. */
    static int argOffset(byte[] frame, int i) {
        int p = lineEnd(frame, 0) + 2; // past "*N\r\n"
        for (int k = 0; ; k++) {
            int cr = lineEnd(frame, p);
            int len = Integer.parseInt(new String(frame, p + 1, cr - p - 1, StandardCharsets.US_ASCII));
            if (k == i) return cr + 2;
            p = cr + 2 + len + 2;
        }
    }

    private static int lineEnd(byte[] b, int from) {
        int i = from;
        while (b[i] != '\r') i++;
        return i;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** A direct buffer from Netty's default allocator, as ctx.alloc() gives a socket read or a flush. */
    static ByteBuf ioBuffer(int capacity) {
        return ByteBufAllocator.DEFAULT.ioBuffer(capacity);
    }

    /** The buffer a connection writes its replies into (kept between flushes). */
    static ByteBuf replyBuffer() {
        return Unpooled.buffer(4096);
    }

    /** What a connection's flush does with its replies: one copy into a direct buffer for the socket. */
    static int flush(ByteBuf replies) {
        int n = replies.readableBytes();
        ByteBuf b = ioBuffer(n).writeBytes(replies);
        b.release(); // released once the socket wrote it
        return n;
    }
}
