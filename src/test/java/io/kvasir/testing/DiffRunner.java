package io.kvasir.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a {@link DiffScript.Block} against the real redis-server and Kvasir and compares replies. */
public final class DiffRunner {
    private DiffRunner() {}

    private static final String NO_REPLY = "<no reply>";

    public static void run(DiffScript.Block block, int resp, int redisPort, int kvasirPort) throws Exception {
        Map<String, RawClient[]> others = new HashMap<>();
        try (RawClient mainRedis = new RawClient(redisPort); RawClient mainKvasir = new RawClient(kvasirPort)) {
            for (RawClient c : List.of(mainRedis, mainKvasir)) c.call("FLUSHALL");
            if (resp == 3) for (RawClient c : List.of(mainRedis, mainKvasir)) c.call("HELLO", "3");
            for (DiffScript.Step step : block.steps()) {
                String where = block.file() + ":" + step.lineNumber() + " [RESP" + resp + "] " + step.source();
                RawClient redis = mainRedis, kvasir = mainKvasir;
                if (step.client() != null) {
                    RawClient[] pair = others.get(step.client());
                    if (pair == null) others.put(step.client(), pair = open(resp, redisPort, kvasirPort));
                    redis = pair[0];
                    kvasir = pair[1];
                }
                switch (step.mode()) {
                    case SEND -> {
                        byte[] cmd = encode(step.args());
                        redis.send(cmd);
                        kvasir.send(cmd);
                    }
                    case RECV -> compare(DiffScript.Mode.EXACT, expectedReply(redis, where), reply(kvasir), where);
                    case SLEEP -> Thread.sleep(Long.parseLong(new String(step.args().get(0), StandardCharsets.US_ASCII)));
                    case RAW -> {
                        redis.send(step.raw());
                        kvasir.send(step.raw());
                        String expected = drain(redis);
                        String actual = drain(kvasir);
                        assertEquals(show(expected), show(actual), where);
                        if (expected.endsWith("<closed>") && step.client() == null) return;
                    }
                    default -> {
                        byte[] cmd = encode(step.args());
                        redis.send(cmd);
                        kvasir.send(cmd);
                        String expected = expectedReply(redis, where);
                        String actual = reply(kvasir);
                        compare(step.mode(), expected, actual, where);
                        if (expected.equals("<closed>") && step.client() == null) return;
                    }
                }
            }
        } finally {
            for (RawClient[] pair : others.values()) {
                pair[0].close();
                pair[1].close();
            }
        }
    }

    /** The real server's reply, failing the block if there is none. */
    private static String expectedReply(RawClient redis, String where) throws IOException {
        String expected = reply(redis);
        if (expected.equals(NO_REPLY)) {
            // a command that blocks (BLPOP k 0) or sends nothing stalls every later step
            fail(where + ": the real server sent no reply within the read timeout; give blocking commands a"
                    + " short timeout or a value to take, or send them with !send and read them later with !recv");
        }
        return expected;
    }

    /** Another connection to each server, in the block's protocol. */
    private static RawClient[] open(int resp, int redisPort, int kvasirPort) throws IOException {
        RawClient[] pair = {new RawClient(redisPort), new RawClient(kvasirPort)};
        if (resp == 3) for (RawClient c : pair) c.call("HELLO", "3");
        return pair;
    }

    private static String reply(RawClient c) throws IOException {
        try {
            return c.readReply();
        } catch (EOFException e) {
            return "<closed>";
        } catch (SocketTimeoutException e) {
            return NO_REPLY;
        }
    }

    private static void compare(DiffScript.Mode mode, String expected, String actual, String where) {
        switch (mode) {
            case EXACT -> assertEquals(show(expected), show(actual), where);
            case TYPE -> assertEquals(show(expected.substring(0, 1)), show(actual.isEmpty() ? "" : actual.substring(0, 1)),
                    where + "\n redis: " + show(expected) + "\nkvasir: " + show(actual));
            case SORTED -> assertEquals(show(sorted(expected)), show(sorted(actual)), where);
            case SKIP -> { }
            default -> fail("unexpected mode " + mode);
        }
    }

    /** Everything the server sends until it has been quiet for a moment, and "<closed>" if it closed. */
    private static String drain(RawClient c) throws IOException {
        StringBuilder sb = new StringBuilder();
        c.timeout(300);
        try {
            while (true) {
                sb.append(c.readReply());
            }
        } catch (SocketTimeoutException e) {
            // quiet: done
        } catch (EOFException e) {
            sb.append("<closed>");
        } catch (IOException e) {
            sb.append("<closed>");
        } finally {
            try {
                c.timeout(5000);
            } catch (IOException ignored) {
                // socket already closed
            }
        }
        return sb.toString();
    }

    static byte[] encode(List<byte[]> args) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            b.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(a);
            b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    /** Shows control bytes visibly so a failed comparison is readable. */
    static String show(String s) {
        return s.replace("\r\n", "\\r\\n");
    }

    // ---- order-free comparison ----

    /** Re-encodes a reply with the elements of every aggregate of scalars sorted. */
    static String sorted(String reply) {
        if (reply.startsWith("<")) return reply;
        int[] pos = {0};
        return sortNode(reply, pos);
    }

    private static String sortNode(String s, int[] pos) {
        int lineEnd = s.indexOf("\r\n", pos[0]);
        String head = s.substring(pos[0], lineEnd + 2);
        char t = head.charAt(0);
        pos[0] = lineEnd + 2;
        switch (t) {
            case '$', '=', '!' -> {
                long n = Long.parseLong(head.substring(1, head.length() - 2));
                if (n < 0) return head;
                String body = s.substring(pos[0], pos[0] + (int) n + 2);
                pos[0] += (int) n + 2;
                return head + body;
            }
            case '*', '~', '>', '%' -> {
                long n = Long.parseLong(head.substring(1, head.length() - 2));
                if (n < 0) return head;
                int items = (int) (t == '%' ? 2 * n : n);
                List<String> children = new ArrayList<>();
                boolean scalars = true;
                for (int i = 0; i < items; i++) {
                    char ct = s.charAt(pos[0]);
                    if (ct == '*' || ct == '~' || ct == '%' || ct == '>') scalars = false;
                    children.add(sortNode(s, pos));
                }
                if (t == '%') {
                    List<String> pairs = new ArrayList<>();
                    for (int i = 0; i < items; i += 2) pairs.add(children.get(i) + children.get(i + 1));
                    pairs.sort(null);
                    return head + String.join("", pairs);
                }
                if (scalars) children.sort(null);
                return head + String.join("", children);
            }
            default -> {
                return head;
            }
        }
    }

    public static InputStream resource(String path) {
        InputStream in = DiffRunner.class.getResourceAsStream(path);
        if (in == null) throw new IllegalArgumentException("no resource " + path);
        return in;
    }
}
