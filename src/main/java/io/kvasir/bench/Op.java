package io.kvasir.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmarked command, encoded once as a RESP template. As in redis-benchmark, each
 * {@code __rand_int__} in an argument is a fresh key number (written as 12 digits, so every
 * request of a template has the same length) and {@code __data__} is the payload of -d bytes.
 */
final class Op {
    static final String RAND = "__rand_int__";
    static final String DATA = "__data__";
    static final int DIGITS = 12;
    static final long MAX_KEYSPACE = 1_000_000_000_000L;

    /** What a successful reply looks like; any other reply (but an error) is "unexpected". */
    enum Expect {
        OK, PONG, BULK, INTEGER, ARRAY;

        boolean matches(byte type, byte[] line, int length) {
            return switch (this) {
                case OK -> type == '+' && length == 2 && line[0] == 'O' && line[1] == 'K';
                case PONG -> type == '+' && length == 4 && line[0] == 'P' && line[1] == 'O' && line[2] == 'N' && line[3] == 'G';
                case BULK -> type == '$';
                case INTEGER -> type == ':';
                case ARRAY -> type == '*';
            };
        }
    }

    final String name;
    final Expect expect;
    private final byte[] template;
    private final int[] holes;

    private Op(String name, Expect expect, byte[] template, int[] holes) {
        this.name = name;
        this.expect = expect;
        this.template = template;
        this.holes = holes;
    }

    int length() { return template.length; }

    /** Whether the request names keys (else one batch of it is as good as many). */
    boolean keyed() { return holes.length > 0; }

    /** Writes one request at {@code at}, each key hole filled with the next key number; returns its end. */
    int write(byte[] dst, int at, Keys keys) {
        System.arraycopy(template, 0, dst, at, template.length);
        for (int hole : holes) {
            long k = keys.next();
            digits(dst, at + hole, (int) (k / 1_000_000));   // two halves: int division is cheaper
            digits(dst, at + hole + DIGITS / 2, (int) (k % 1_000_000));
        }
        return at + template.length;
    }

    private static void digits(byte[] dst, int at, int sixDigits) {
        for (int i = at + 5; i >= at; i--) {
            dst[i] = (byte) ('0' + sixDigits % 10);
            sixDigits /= 10;
        }
    }

    /** A multibulk request; the arguments may hold {@link #RAND} and {@link #DATA}. */
    static Op command(String name, Expect expect, int dataSize, String... args) {
        String data = "x".repeat(dataSize);
        String zeros = "0".repeat(DIGITS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> holes = new ArrayList<>();
        ascii(out, "*" + args.length + "\r\n");
        for (String arg : args) {
            String a = arg.replace(DATA, data);
            int length = a.length() - countOf(a) * (RAND.length() - DIGITS);
            ascii(out, "$" + length + "\r\n");
            int from = 0;
            for (int at = a.indexOf(RAND); at >= 0; at = a.indexOf(RAND, from)) {
                ascii(out, a.substring(from, at));
                holes.add(out.size());
                ascii(out, zeros);
                from = at + RAND.length();
            }
            ascii(out, a.substring(from) + "\r\n");
        }
        return new Op(name, expect, out.toByteArray(), holes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** An inline request (a line of text, as telnet sends). */
    static Op inline(String name, Expect expect, String line) {
        return new Op(name, expect, (line + "\r\n").getBytes(StandardCharsets.US_ASCII), new int[0]);
    }

    /** The RESP multibulk for fixed arguments (the AUTH/SELECT handshake). */
    static byte[] encode(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ascii(out, "*" + args.length + "\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            ascii(out, "$" + b.length + "\r\n");
            out.writeBytes(b);
            ascii(out, "\r\n");
        }
        return out.toByteArray();
    }

    private static int countOf(String s) {
        int n = 0;
        for (int at = s.indexOf(RAND); at >= 0; at = s.indexOf(RAND, at + RAND.length())) n++;
        return n;
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** The -t tests, in redis-benchmark's names (ping selects both pings). */
    static Map<String, List<Op>> tests(int dataSize) {
        Map<String, List<Op>> t = new LinkedHashMap<>();
        Op inline = inline("PING_INLINE", Expect.PONG, "PING");
        Op mbulk = command("PING_MBULK", Expect.PONG, dataSize, "PING");
        t.put("ping", List.of(inline, mbulk));
        t.put("ping_inline", List.of(inline));
        t.put("ping_mbulk", List.of(mbulk));
        t.put("set", List.of(set(dataSize)));
        t.put("get", List.of(get(dataSize)));
        t.put("incr", List.of(command("INCR", Expect.INTEGER, dataSize, "INCR", "counter:" + RAND)));
        t.put("lpush", List.of(command("LPUSH", Expect.INTEGER, dataSize, "LPUSH", "mylist", DATA)));
        t.put("rpush", List.of(command("RPUSH", Expect.INTEGER, dataSize, "RPUSH", "mylist", DATA)));
        t.put("lpop", List.of(command("LPOP", Expect.BULK, dataSize, "LPOP", "mylist")));
        t.put("rpop", List.of(command("RPOP", Expect.BULK, dataSize, "RPOP", "mylist")));
        t.put("sadd", List.of(command("SADD", Expect.INTEGER, dataSize, "SADD", "myset", "element:" + RAND)));
        t.put("hset", List.of(command("HSET", Expect.INTEGER, dataSize, "HSET", "myhash", "element:" + RAND, DATA)));
        t.put("spop", List.of(command("SPOP", Expect.BULK, dataSize, "SPOP", "myset")));
        t.put("zadd", List.of(command("ZADD", Expect.INTEGER, dataSize, "ZADD", "myzset", "0", "element:" + RAND)));
        t.put("zpopmin", List.of(command("ZPOPMIN", Expect.ARRAY, dataSize, "ZPOPMIN", "myzset")));
        String[] mset = new String[21];
        mset[0] = "MSET";
        for (int i = 0; i < 10; i++) {
            mset[1 + 2 * i] = "key:" + RAND;
            mset[2 + 2 * i] = DATA;
        }
        t.put("mset", List.of(command("MSET (10 keys)", Expect.OK, dataSize, mset)));
        return t;
    }

    static Op set(int dataSize) { return command("SET", Expect.OK, dataSize, "SET", "key:" + RAND, DATA); }

    static Op get(int dataSize) { return command("GET", Expect.BULK, dataSize, "GET", "key:" + RAND); }
}
