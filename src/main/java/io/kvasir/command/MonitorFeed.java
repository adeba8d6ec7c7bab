package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.server.Client;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The MONITOR feed: after a command runs, one line per command to every monitoring client, as
 * Redis writes it: {@code +1700000000.123456 [0 127.0.0.1:5555] "set" "k" "v"}.
 */
final class MonitorFeed {
    private MonitorFeed() {}

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDACTED = "\"(redacted)\"".getBytes(StandardCharsets.US_ASCII);

    static void feed(Call call, Client[] monitors) {
        byte[] line = line(call);
        for (Client m : monitors) if (!m.replyOff()) m.channel().send(line); // unlike pushes, the feed obeys CLIENT REPLY OFF
    }

    static byte[] line(Call call) {
        Instant now = Instant.now();
        Args a = call.args();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        String head = "+" + now.getEpochSecond() + "." + String.format("%06d", now.getNano() / 1000)
                + " [" + call.client().db() + " " + call.client().addr() + "]";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < a.count(); i++) {
            out.write(' ');
            if (call.redacted(i)) out.writeBytes(REDACTED);
            else quote(out, a.buf(), a.off(i), a.len(i));
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    /** Quotes bytes as Redis's sdscatrepr: C escapes for quotes and controls, \xHH for other bytes. */
    static void quote(ByteArrayOutputStream out, byte[] b, int off, int len) {
        out.write('"');
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\\', '"' -> { out.write('\\'); out.write(c); }
                case '\n' -> { out.write('\\'); out.write('n'); }
                case '\r' -> { out.write('\\'); out.write('r'); }
                case '\t' -> { out.write('\\'); out.write('t'); }
                case 7 -> { out.write('\\'); out.write('a'); }
                case '\b' -> { out.write('\\'); out.write('b'); }
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.write(c);
                    } else {
                        out.write('\\');
                        out.write('x');
                        out.write(HEX[c >> 4]);
                        out.write(HEX[c & 15]);
                    }
                }
            }
        }
        out.write('"');
    }
}
