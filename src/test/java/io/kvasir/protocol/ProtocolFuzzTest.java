package io.kvasir.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seeded protocol fuzzer, differential: random mixtures of valid, malformed and truncated RESP
 * and inline requests go to the real redis-server and to Kvasir on fresh connections; everything
 * each server sends back before closing must be equal. A malformed frame must never disturb
 * another client, so a separate connection checks that Kvasir still answers after every case.
 */
class ProtocolFuzzTest {
    private static final String[] INTERESTING = {"*", "$", ":", "\r", "\n", "\r\n", "-", "0", "1", "9", "x",
            "\"", "'", " ", "\\", "\0", "-1", "99999999999999999999", "+", "\t"};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void sameBytesBackAsRedis(long seed) throws Exception {
        int redisPort = RealRedis.get().port();
        int kvasirPort = TestServers.kvasir().port();
        Random random = new Random(seed);
        try (Socket watcher = new Socket("127.0.0.1", kvasirPort)) {
            for (int i = 0; i < 60; i++) {
                byte[] input = randomInput(random);
                String expected = exchange(redisPort, input);
                String actual = exchange(kvasirPort, input);
                assertEquals(visible(expected), visible(actual), "seed " + seed + " case " + i + " input " + visible(new String(input, StandardCharsets.ISO_8859_1)));
                assertEquals("+PONG\r\n", ping(watcher), "another client must keep being served");
            }
        }
    }

    /** Sends the bytes, half-closes, and returns everything received until the server closes. */
    private static String exchange(int port, byte[] input) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(input);
            s.getOutputStream().flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) got.write(buf, 0, n);
            } catch (java.net.SocketException e) {
                // reset by the server after it closed: what arrived before counts
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String ping(Socket s) throws IOException {
        s.setSoTimeout(5000);
        s.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] b = new byte[7];
        int n = 0;
        while (n < 7) {
            int r = s.getInputStream().read(b, n, 7 - n);
            if (r < 0) break;
            n += r;
        }
        return new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    static byte[] randomInput(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + r.nextInt(5);
        for (int f = 0; f < frames; f++) {
            byte[] frame = r.nextInt(4) == 0 ? inline(r) : multibulk(r);
            if (r.nextInt(3) == 0) frame = mutate(r, frame);
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    private static String[] command(Random r) {
        String key = "fz" + r.nextInt(4);
        return switch (r.nextInt(8)) {
            case 0 -> new String[] {"PING"};
            case 1 -> new String[] {"PING", word(r)};
            case 2 -> new String[] {"ECHO", word(r)};
            case 3 -> new String[] {"SET", key, word(r)};
            case 4 -> new String[] {"GET", key};
            case 5 -> new String[] {"GET"};
            case 6 -> new String[] {"NOSUCHCOMMAND", word(r)};
            default -> new String[] {"SELECT", Integer.toString(r.nextInt(20) - 2)};
        };
    }

    private static String word(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(r.nextInt(5) == 0 ? INTERESTING[r.nextInt(INTERESTING.length)] : (char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    private static byte[] multibulk(Random r) {
        String[] args = command(r);
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] inline(Random r) {
        String[] args = command(r);
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) sb.append(r.nextBoolean() ? " " : "  ");
            switch (r.nextInt(4)) {
                case 0 -> sb.append('"').append(a.replace("\\", "\\\\").replace("\"", "\\x22")).append('"');
                case 1 -> sb.append('\'').append(a).append('\'');
                default -> sb.append(a);
            }
        }
        sb.append(r.nextBoolean() ? "\r\n" : "\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(Random r, byte[] frame) {
        String s = new String(frame, StandardCharsets.ISO_8859_1);
        int at = r.nextInt(s.length() + 1);
        String piece = INTERESTING[r.nextInt(INTERESTING.length)];
        String m = switch (r.nextInt(4)) {
            case 0 -> s.substring(0, at); // truncated
            case 1 -> s.substring(0, at) + piece + s.substring(at); // inserted
            case 2 -> at < s.length() ? s.substring(0, at) + piece + s.substring(at + 1) : s + piece; // replaced
            default -> s.replaceFirst("\\$\\d+", "\\$" + (r.nextBoolean() ? "-7" : r.nextBoolean() ? "abc" : "999999999999"));
        };
        return m.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String visible(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
