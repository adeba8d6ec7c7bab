package io.kvasir.bench;

import io.netty.buffer.ByteBuf;

/** Reading whole RESP2/RESP3 values in place in a receive buffer, for the fan-out subscribers. */
final class RespFrames {
    private RespFrames() {}

    /**
     * The index just past the value that starts at {@code at}, or -1 if it does not end before
     * {@code limit} yet; a {@link ReplyParser.ProtocolException} if it is not RESP.
     */
    static int end(ByteBuf b, int at, int limit) {
        if (at >= limit) return -1;
        byte type = b.getByte(at);
        int eol = b.indexOf(at, limit, (byte) '\n');
        if (eol < 0) return -1;
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> { return eol + 1; }
            case '$', '!', '=' -> {
                long n = number(b, at + 1, eol - 1);
                if (n < 0) return eol + 1;   // RESP2 null bulk
                long end = eol + 1 + n + 2;
                return end <= limit ? (int) end : -1;
            }
            case '*', '>', '~', '%', '|' -> {
                long n = number(b, at + 1, eol - 1);
                if (type == '%' || type == '|') n *= 2;
                int p = eol + 1;
                for (long i = 0; i < n; i++) {
                    p = end(b, p, limit);
                    if (p < 0) return -1;
                }
                return p;
            }
            default -> throw new ReplyParser.ProtocolException("not a RESP type: " + printable(b, at, eol + 1));
        }
    }

    /** The decimal in {@code [from, to)}, '-' allowed first. */
    private static long number(ByteBuf b, int from, int to) {
        boolean negative = from < to && b.getByte(from) == '-';
        long v = digits(b, negative ? from + 1 : from, to - from - (negative ? 1 : 0));
        if (v < 0 || to - from > 19) throw new ReplyParser.ProtocolException("bad length: " + printable(b, from, to));
        return negative ? -v : v;
    }

    /** The {@code count} decimal digits at {@code at}, or -1 if they are not all digits (or none). */
    static long digits(ByteBuf b, int at, int count) {
        if (count <= 0) return -1;
        long v = 0;
        for (int i = at; i < at + count; i++) {
            int d = b.getByte(i) - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    /** Bytes {@code [from, to)} as text for a report, control bytes escaped, cut after 200. */
    static String printable(ByteBuf b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < Math.min(to, from + 200); i++) {
            int c = b.getByte(i) & 0xff;
            if (c == '\r') s.append("\\r");
            else if (c == '\n') s.append("\\n");
            else if (c < 32 || c > 126) s.append(String.format("\\x%02x", c));
            else s.append((char) c);
        }
        return to - from > 200 ? s.append("...").toString() : s.toString();
    }
}
