package io.kvasir.protocol;

import io.netty.buffer.ByteBuf;

/**
 * A connection's receive buffer and the RESP request parser over it.
 *
 * <p>Bytes are copied once from the socket buffer into one growable heap array; requests are
 * parsed in place into {@link Args} slices of that array. Parsing resumes where it stopped when
 * a request arrives in pieces, so a large pipelined request is scanned once. Memory grows only as
 * bytes arrive: a client announcing a 500 MB bulk costs nothing until it sends it.
 *
 * <p>Errors are the exact "Protocol error: ..." texts of Redis 7.0; after one the connection is
 * to be closed once the error reply is written, as Redis does.
 */
public final class RequestReader {
    /** Longest inline request or count line Redis accepts (PROTO_INLINE_MAX_SIZE). */
    public static final int INLINE_MAX = 64 * 1024;
    private static final int INITIAL = 16 * 1024;

    public enum Result { NEED_MORE, REQUEST, PROTOCOL_ERROR }

    private byte[] buf = new byte[INITIAL];
    private int requestStart; // first byte of the request last returned, or being parsed
    private int frameStart; // first byte not yet consumed by a returned request
    private int pos;        // where parsing resumes inside that request
    private int end;        // end of received bytes
    private int pendingArgs = -1; // arguments announced by '*', or -1 outside a multibulk
    private int bulkLen = -1;     // length of the bulk whose header was read, or -1

    private boolean held;   // the request last returned is to be returned again (CLIENT PAUSE)
    private int heldEnd;
    private int peak;

    private final Args args = new Args();
    private long maxBulkLen = 512L * 1024 * 1024;
    private boolean authRequired;
    private String error;

    public void maxBulkLen(long v) { this.maxBulkLen = v; }

    /** While true, the limits for unauthenticated clients apply (as Redis's requirepass). */
    public void authRequired(boolean v) { this.authRequired = v; }

    /** The arguments of the request that {@link #next()} returned. */
    public Args args() { return args; }

    /** The protocol error text after {@link Result#PROTOCOL_ERROR}. */
    public String error() { return error; }

    /**
     * Bytes received and not yet executed, the request being executed included (Redis's query
     * buffer length, CLIENT LIST qbuf).
     */
    public int buffered() { return end - requestStart; }

    public int capacity() { return buf.length; }

    /** The most bytes buffered at once since the buffer was last resized (CLIENT LIST rbp). */
    public int peak() { return peak; }

    /**
     * Keeps the request that {@link #next()} just returned: it stays buffered, with its
     * {@link #args()}, and the next call to {@link #next()} returns it again without parsing.
     */
    public void hold() {
        held = true;
        heldEnd = frameStart;
        frameStart = requestStart;
    }

    /**
     * Marks the request that {@link #next()} just returned as finished although the caller is not done
     * with it (a blocked command): it no longer counts as buffered, and its arguments must no longer
     * be read.
     */
    public void release() {
        requestStart = frameStart;
    }

    /** Appends the readable bytes of {@code in} (not released here). */
    public void append(ByteBuf in) {
        int n = in.readableBytes();
        ensureRoom(n);
        in.readBytes(buf, end, n);
        end += n;
        peak = Math.max(peak, end - requestStart);
    }

    public void append(byte[] b, int off, int n) {
        ensureRoom(n);
        System.arraycopy(b, off, buf, end, n);
        end += n;
        peak = Math.max(peak, end - requestStart);
    }

    private void ensureRoom(int n) {
        if (buf.length - end >= n) return;
        int live = end - requestStart;
        if (requestStart > 0 && buf.length - live >= n && live < buf.length / 2) {
            moveTo(buf);
            return;
        }
        long want = Math.max((long) live + n, (long) buf.length * 2);
        if (want > Integer.MAX_VALUE - 16) want = Integer.MAX_VALUE - 16;
        byte[] bigger = new byte[(int) want];
        moveTo(bigger);
    }

    /** Moves the unconsumed bytes to the start of {@code dst}, shifting parse positions. */
    private void moveTo(byte[] dst) {
        int delta = requestStart;
        System.arraycopy(buf, requestStart, dst, 0, end - requestStart);
        if (dst != buf) peak = end - requestStart;
        buf = dst;
        end -= delta;
        pos -= delta;
        frameStart -= delta;
        heldEnd -= delta;
        requestStart = 0;
        if (pendingArgs >= 0 || held) {
            args.buf = dst;
            args.shift(delta);
        }
    }

    /** Releases a large buffer once everything in it was consumed. */
    public void trimIfIdle() {
        if (end == frameStart && buf.length > 4 * INITIAL && pendingArgs < 0 && !held) {
            buf = new byte[INITIAL];
            end = frameStart = pos = requestStart = peak = 0;
        }
    }

    /**
     * Parses the next request. On {@link Result#REQUEST} its arguments are {@link #args()}, valid
     * until the next call. Empty requests (a blank inline line, "*0") are skipped.
     */
    public Result next() {
        if (held) {
            held = false;
            frameStart = heldEnd;
            return Result.REQUEST;
        }
        while (true) {
            if (pendingArgs < 0) {
                if (frameStart == end) {
                    frameStart = pos = end = requestStart = 0; // everything consumed: restart at the front
                    return Result.NEED_MORE;
                }
                requestStart = frameStart;
                pos = frameStart;
                args.reset(buf);
                Result r = buf[frameStart] == '*' ? readCount() : readInline();
                if (r == null) continue; // empty request skipped
                if (r != Result.REQUEST || pendingArgs < 0) return r;
            }
            Result r = readBulks();
            if (r != Result.REQUEST) return r;
            pendingArgs = -1;
            frameStart = pos;
            return Result.REQUEST;
        }
    }

    /**
     * The second argument (where most commands keep their key) of each complete multibulk request
     * buffered after the current one, for at most {@code max} requests: offsets into
     * {@link #buffer()} and lengths. Consumes nothing; stops at the first request it cannot read
     * whole (incomplete, inline, malformed: {@link #next} deals with those). Returns the count.
     */
    public int peekKeys(int max, int[] offs, int[] lens) {
        if (held || pendingArgs >= 0) return 0;
        int p = frameStart, n = 0;
        while (n < max && p < end && buf[p] == '*') {
            int argc = (int) readLength(p + 1);
            if (argc < 2) break;
            p = lineEnd;
            for (int i = 0; i < argc; i++) {
                if (p >= end || buf[p] != '$') return n;
                long len = readLength(p + 1);
                if (len < 0 || (long) lineEnd + len + 2 > end) return n;
                if (i == 1) {
                    offs[n] = lineEnd;
                    lens[n] = (int) len;
                }
                p = lineEnd + (int) len + 2;
            }
            n++;
        }
        return n;
    }

    private int lineEnd; // set by readLength: just past the CRLF

    /** A decimal length at {@code p} ended by CRLF, or -1 if there is none whole. */
    private long readLength(int p) {
        long v = 0;
        int q = p;
        while (q < end && buf[q] >= '0' && buf[q] <= '9' && q - p < 18) v = v * 10 + (buf[q++] - '0');
        if (q == p || q + 1 >= end || buf[q] != '\r' || buf[q + 1] != '\n') return -1;
        lineEnd = q + 2;
        return v;
    }

    /** The receive buffer that {@link #peekKeys} offsets point into. */
    public byte[] buffer() { return buf; }

    private Result fail(String message) {
        error = "Protocol error: " + message;
        return Result.PROTOCOL_ERROR;
    }

    /** Reads "*N\r\n". Returns null for an empty multibulk (skipped). */
    private Result readCount() {
        int cr = indexOf((byte) '\r', frameStart, end);
        if (cr < 0 || cr + 1 >= end) {
            if (end - frameStart > INLINE_MAX) return fail("too big mbulk count string");
            return Result.NEED_MORE;
        }
        long n;
        try {
            n = Numbers.parseLong(buf, frameStart + 1, cr - frameStart - 1);
        } catch (RedisError e) {
            return fail("invalid multibulk length");
        }
        if (n > Integer.MAX_VALUE) return fail("invalid multibulk length");
        if (n > 10 && authRequired) return fail("unauthenticated multibulk length");
        pos = cr + 2;
        if (n <= 0) {
            frameStart = pos;
            return null;
        }
        pendingArgs = (int) n;
        bulkLen = -1;
        return Result.REQUEST;
    }

    private Result readBulks() {
        while (args.count < pendingArgs) {
            if (bulkLen < 0) {
                if (pos >= end) return Result.NEED_MORE;
                int cr = indexOf((byte) '\r', pos, end);
                if (cr < 0 || cr + 1 >= end) {
                    if (end - pos > INLINE_MAX) return fail("too big bulk count string");
                    return Result.NEED_MORE;
                }
                if (buf[pos] != '$') {
                    return fail("expected '$', got '" + (char) (buf[pos] & 0xff) + "'");
                }
                long n;
                try {
                    n = Numbers.parseLong(buf, pos + 1, cr - pos - 1);
                } catch (RedisError e) {
                    return fail("invalid bulk length");
                }
                if (n < 0 || n > maxBulkLen) return fail("invalid bulk length");
                if (n > 16384 && authRequired) return fail("unauthenticated bulk length");
                bulkLen = (int) n;
                pos = cr + 2;
            }
            if ((long) end - pos < (long) bulkLen + 2) return Result.NEED_MORE;
            args.add(pos, bulkLen);
            pos += bulkLen + 2; // like Redis, the two bytes after a bulk are not inspected
            bulkLen = -1;
        }
        return Result.REQUEST;
    }

    /** An inline (telnet) request: one line split as Redis's sdssplitargs does, unescaped in place. */
    private Result readInline() {
        int nl = indexOf((byte) '\n', frameStart, end);
        if (nl < 0) {
            if (end - frameStart > INLINE_MAX) return fail("too big inline request");
            return Result.NEED_MORE;
        }
        int lineEnd = nl;
        if (lineEnd > frameStart && buf[lineEnd - 1] == '\r') lineEnd--;
        if (!splitInline(frameStart, lineEnd)) {
            return fail("unbalanced quotes in request");
        }
        frameStart = pos = nl + 1;
        if (args.count == 0) return null;
        return Result.REQUEST;
    }

    private boolean splitInline(int from, int to) {
        int p = from;
        while (true) {
            while (p < to && isSpace(buf[p])) p++;
            if (p >= to) return true;
            int w = p; // unescaped bytes are written here; never ahead of p
            int start = w;
            boolean inDouble = false, inSingle = false;
            while (true) {
                if (inDouble) {
                    if (p >= to) return false;
                    byte c = buf[p];
                    if (c == '\\' && p + 3 < to && buf[p + 1] == 'x' && isHex(buf[p + 2]) && isHex(buf[p + 3])) {
                        buf[w++] = (byte) (hex(buf[p + 2]) * 16 + hex(buf[p + 3]));
                        p += 4;
                    } else if (c == '\\' && p + 1 < to) {
                        byte e = buf[p + 1];
                        buf[w++] = switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        };
                        p += 2;
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(buf[p + 1])) return false;
                        p++;
                        break;
                    } else {
                        buf[w++] = c;
                        p++;
                    }
                } else if (inSingle) {
                    if (p >= to) return false;
                    byte c = buf[p];
                    if (c == '\\' && p + 1 < to && buf[p + 1] == '\'') {
                        buf[w++] = '\'';
                        p += 2;
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(buf[p + 1])) return false;
                        p++;
                        break;
                    } else {
                        buf[w++] = c;
                        p++;
                    }
                } else {
                    if (p >= to) break;
                    byte c = buf[p];
                    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) break;
                    if (c == '"') inDouble = true;
                    else if (c == '\'') inSingle = true;
                    else buf[w++] = c;
                    p++;
                }
            }
            args.add(start, w - start);
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
    }

    private static int hex(byte c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    /**
     * Position of {@code b}, or -1. Like the C string search Redis uses on its query buffer, the
     * search ends at a NUL byte: a line with a NUL before its terminator is not complete.
     */
    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) return i;
            if (buf[i] == 0) return -1;
        }
        return -1;
    }
}
