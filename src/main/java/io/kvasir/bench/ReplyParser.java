package io.kvasir.bench;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * A streaming RESP2 reply parser: input may be split anywhere, nothing is buffered, header lines
 * are scanned and bulk payloads skipped by their length. It calls the listener once per complete
 * top-level reply with its type byte and (for simple strings, errors, integers and null bulks)
 * the start of its line; anything that is not RESP2 is a {@link ProtocolException}.
 */
final class ReplyParser implements ByteProcessor {
    interface Listener {
        /** A whole reply arrived; {@code line} holds the first {@code length} bytes after the type byte. */
        void reply(byte type, byte[] line, int length);
    }

    static final class ProtocolException extends RuntimeException {
        ProtocolException(String message) { super(message); }
    }

    /** Bytes of a header line kept for the listener (error texts longer than this are cut). */
    static final int LINE_CAPTURE = 200;
    private static final int MAX_DEPTH = 64;

    private final Listener listener;
    private final byte[] line = new byte[LINE_CAPTURE];
    private int lineLength;          // bytes of the current line so far, including any not captured
    private int replyLineLength;     // captured length of the last complete line
    private byte type;               // type byte of the header being read; 0 before it arrives
    private byte topType;            // type of the top-level reply in progress
    private boolean cr;              // the header's '\r' has been seen
    private long skip;               // bulk payload bytes still to pass over
    private int crlf;                // bytes of the CR LF after a bulk payload still to check
    private final long[] remaining = new long[MAX_DEPTH];
    private int depth;               // open aggregates

    ReplyParser(Listener listener) {
        this.listener = listener;
    }

    /** Consumes all of {@code in}. */
    void feed(ByteBuf in) {
        while (in.isReadable()) {
            if (skip > 0) {
                int n = (int) Math.min(skip, in.readableBytes());
                in.skipBytes(n);
                skip -= n;
            } else if (crlf > 0) {
                if (in.readByte() != (crlf == 2 ? '\r' : '\n')) throw new ProtocolException("bulk string not terminated by CRLF");
                if (--crlf == 0) valueDone();
            } else {
                int end = in.forEachByte(this);
                if (end < 0) {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                in.readerIndex(end + 1);
                headerDone();
            }
        }
    }

    /** One byte of a header line; false at its end (the '\n'). */
    @Override
    public boolean process(byte b) {
        if (type == 0) {
            if (b != '+' && b != '-' && b != ':' && b != '$' && b != '*') {
                throw new ProtocolException("not a RESP2 reply type: " + printable(b));
            }
            type = b;
            if (depth == 0) topType = b;
            return true;
        }
        if (cr) {
            if (b != '\n') throw new ProtocolException("CR not followed by LF");
            return false;
        }
        if (b == '\r') {
            cr = true;
        } else if (b == '\n') {
            throw new ProtocolException("LF without CR");
        } else {
            if (lineLength < LINE_CAPTURE) line[lineLength] = b;
            lineLength++;
        }
        return true;
    }

    private void headerDone() {
        byte t = type;
        int length = lineLength;
        type = 0;
        cr = false;
        lineLength = 0;
        replyLineLength = Math.min(length, LINE_CAPTURE);
        switch (t) {
            case '+', '-' -> valueDone();
            case ':' -> {
                number(length);
                valueDone();
            }
            case '$' -> {
                long n = number(length);
                if (n == -1) {
                    valueDone();
                } else if (n < 0) {
                    throw new ProtocolException("bad bulk length " + n);
                } else {
                    skip = n;
                    crlf = 2;
                }
            }
            default -> { // '*'
                long n = number(length);
                if (n < -1) throw new ProtocolException("bad array length " + n);
                if (n <= 0) {
                    valueDone();
                } else {
                    if (depth == MAX_DEPTH) throw new ProtocolException("arrays nested deeper than " + MAX_DEPTH);
                    remaining[depth++] = n;
                }
            }
        }
    }

    /** One value is complete: it closes the aggregates it fills, or is itself a whole reply. */
    private void valueDone() {
        while (depth > 0) {
            if (--remaining[depth - 1] > 0) return;
            depth--;
        }
        listener.reply(topType, line, replyLineLength);
    }

    private long number(int length) {
        if (length == 0 || length > 20) throw new ProtocolException("bad number in reply header");
        boolean negative = line[0] == '-';
        int i = negative ? 1 : 0;
        if (i == length) throw new ProtocolException("bad number in reply header");
        long v = 0;
        for (; i < length; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) throw new ProtocolException("bad number in reply header");
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    private static String printable(byte b) {
        return b >= 32 && b < 127 ? "'" + (char) b + "'" : String.format("0x%02x", b & 0xff);
    }
}
