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

    /** The block's variables ({@code !capture}), each server's own. */
    private record Vars(Map<String, String> redis, Map<String, String> kvasir) {}

    public static void run(DiffScript.Block block, int resp, int redisPort, int kvasirPort) throws Exception {
        Map<String, RawClient[]> named = new HashMap<>();
        Vars vars = new Vars(new HashMap<>(), new HashMap<>());
        try (RawClient redis = new RawClient(redisPort); RawClient kvasir = new RawClient(kvasirPort)) {
            for (RawClient c : List.of(redis, kvasir)) c.call("FLUSHALL");
            if (resp == 3) for (RawClient c : List.of(redis, kvasir)) c.call("HELLO", "3");
            for (DiffScript.Step step : block.steps()) {
                String where = block.file() + ":" + step.lineNumber() + " [RESP" + resp + "] " + step.source();
                if (step.connection() != null) {
                    RawClient[] pair = named.get(step.connection());
                    if (pair == null) named.put(step.connection(), pair = open(resp, redisPort, kvasirPort));
                    if (!runStep(step, pair[0], pair[1], where, vars)) { // closed: a later use opens it anew
                        for (RawClient c : named.remove(step.connection())) c.close();
                    }
                } else if (!runStep(step, redis, kvasir, where, vars)) {
                    return;
                }
            }
        } finally {
            for (RawClient[] pair : named.values()) for (RawClient c : pair) c.close();
        }
    }

    /** A named connection to each server, in the block's protocol. */
    private static RawClient[] open(int resp, int redisPort, int kvasirPort) throws IOException {
        RawClient[] pair = {new RawClient(redisPort), new RawClient(kvasirPort)};
        if (resp == 3) for (RawClient c : pair) c.call("HELLO", "3");
        return pair;
    }

    /** Runs one step on a pair of connections; false once the server closed the connection. */
    private static boolean runStep(DiffScript.Step step, RawClient redis, RawClient kvasir, String where, Vars vars)
            throws Exception {
        switch (step.mode()) {
            case SLEEP -> Thread.sleep(Long.parseLong(new String(step.args().get(0), StandardCharsets.US_ASCII)));
            case RAW -> {
                redis.send(step.raw());
                kvasir.send(step.raw());
                String expected = drain(redis);
                String actual = drain(kvasir);
                assertEquals(show(expected), show(actual), where);
                if (expected.endsWith("<closed>")) return false;
            }
            default -> {
                if (!step.args().isEmpty()) {
                    redis.send(encode(substitute(step.args(), vars.redis())));
                    kvasir.send(encode(substitute(step.args(), vars.kvasir())));
                }
                List<String> expected = new ArrayList<>(), actual = new ArrayList<>();
                for (int i = 0; i < step.replies() && !expected.contains("<closed>"); i++) {
                    expected.add(reply(redis));
                    if (expected.getLast().equals(NO_REPLY)) {
                        // a command that blocks (BLPOP k 0) or sends nothing stalls every later step
                        fail(where + ": the real server sent no reply within the read timeout; give blocking"
                                + " commands a short timeout or a value to take (or !replies 0 for no reply)");
                    }
                    actual.add(reply(kvasir));
                }
                if (step.capture() != null && !expected.isEmpty()) {
                    vars.redis().put(step.capture(), value(expected.getFirst()));
                    vars.kvasir().put(step.capture(), value(actual.getFirst()));
                }
                if (step.vars()) {
                    expected.replaceAll(r -> named(r, vars.redis()));
                    actual.replaceAll(r -> named(r, vars.kvasir()));
                }
                if (step.mode() == DiffScript.Mode.UNORDERED) {
                    expected.sort(null);
                    actual.sort(null);
                }
                for (int i = 0; i < expected.size(); i++) {
                    compare(step.mode(), expected.get(i), actual.get(i), where + " (reply " + (i + 1) + ")");
                }
                if (expected.contains("<closed>")) return false;
            }
        }
        return true;
    }

    /** The arguments with each {name} replaced by that server's variable. */
    private static List<byte[]> substitute(List<byte[]> args, Map<String, String> vars) {
        if (vars.isEmpty()) return args;
        List<byte[]> out = new ArrayList<>(args.size());
        for (byte[] a : args) {
            String s = new String(a, StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> v : vars.entrySet()) s = s.replace("{" + v.getKey() + "}", v.getValue());
            out.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** The value of an integer, simple or bulk string reply, as {@code !capture} keeps it. */
    private static String value(String reply) {
        int eol = reply.indexOf("\r\n");
        return switch (reply.isEmpty() ? ' ' : reply.charAt(0)) {
            case ':', '+' -> reply.substring(1, eol);
            case '$' -> reply.substring(eol + 2, reply.length() - 2);
            default -> throw new IllegalStateException("!capture needs an integer or string reply, not " + show(reply));
        };
    }

    /** The reply with each integer element equal to a variable written as {name}. */
    private static String named(String reply, Map<String, String> vars) {
        for (Map.Entry<String, String> v : vars.entrySet()) {
            reply = reply.replace(":" + v.getValue() + "\r\n", ":{" + v.getKey() + "}\r\n");
        }
        return reply;
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
            case EXACT, UNORDERED -> assertEquals(show(expected), show(actual), where);
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
