package io.kvasir.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sorted set scores against the real redis-server, many at a time: random doubles (random bit
 * patterns, so every exponent and subnormals) written in several textual forms are parsed by ZADD and
 * printed by ZSCORE and ZSCAN (the %.17g and listpack forms); random strings over a number-ish
 * alphabet probe what the float parser accepts (ZADD scores) and what range bounds accept (ZCOUNT).
 * Replies must match byte for byte, in RESP2 and RESP3.
 */
class ScoreNumbersDifferentialTest {
    static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        kvasir = KvasirServer.builder().port(0).config("save", "").start();
    }

    @AfterAll
    static void stop() {
        kvasir.close();
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomDoublesParseAndPrintAsRedisDoes(int resp) throws Exception {
        Random r = new Random(42 + resp);
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(List.of("DEL", "z", "big"));
        // a member of 65 bytes makes "big" a skiplist: its scores keep their own %.17g form in ZSCAN
        cmds.add(List.of("ZADD", "big", "0", "x".repeat(65)));
        for (int i = 0; i < 1500; i++) {
            double d;
            do {
                d = Double.longBitsToDouble(r.nextLong());
            } while (Double.isNaN(d));
            if (i % 3 == 0) d = Math.rint(d * 1e-300 * Math.pow(10, r.nextInt(25))); // integers of every size
            String text = switch (i % 4) {
                case 0 -> Double.toString(d);
                case 1 -> Double.toHexString(d);
                case 2 -> String.format(Locale.ROOT, "%.25e", d);
                default -> new java.math.BigDecimal(d).toPlainString();
            };
            String member = "m" + i;
            cmds.add(List.of("ZADD", "z", text, member));
            cmds.add(List.of("ZSCORE", "z", member));
            cmds.add(List.of("ZADD", "big", text, member));
            cmds.add(List.of("ZSCORE", "big", member));
            if (i % 100 == 99) {
                cmds.add(List.of("ZSCAN", "z", "0", "COUNT", "1000"));
                cmds.add(List.of("ZRANGE", "z", "0", "-1", "WITHSCORES"));
                cmds.add(List.of("DEL", "z"));
            }
        }
        compare(resp, cmds);
    }

    @ParameterizedTest(name = "RESP{0}")
    @ValueSource(ints = {2, 3})
    void randomStringsAreAcceptedOrRefusedAsRedisDoes(int resp) throws Exception {
        Random r = new Random(7 + resp);
        String[] pieces = {"0", "1", "9", "5", ".", "e", "E", "+", "-", "x", "X", "p", "P", "a", "f", "inf", "INF",
                "infinity", "nan", "(", " ", "\t", "0x", "1e308", "1e-320", "e400", "\u0000", "_", ")"};
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(List.of("DEL", "z"));
        cmds.add(List.of("ZADD", "z", "0", "zero", "1", "one", "-1", "minus", "inf", "top", "-inf", "bottom"));
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(5);
            for (int k = 0; k < n; k++) sb.append(pieces[r.nextInt(pieces.length)]);
            String s = sb.toString();
            cmds.add(List.of("ZADD", "z", s, "probe"));
            cmds.add(List.of("ZSCORE", "z", "probe"));
            cmds.add(List.of("ZCOUNT", "z", s, "+inf"));
            cmds.add(List.of("ZCOUNT", "z", "-inf", s));
            cmds.add(List.of("ZUNION", "1", "z", "WEIGHTS", s));
        }
        compare(resp, cmds);
    }

    /** Pipelines the commands to both servers and compares every reply. */
    static void compare(int resp, List<List<String>> cmds) throws Exception {
        List<String> expected = run(RealRedis.get().port(), resp, cmds);
        List<String> actual = run(kvasir.port(), resp, cmds);
        for (int i = 0; i < cmds.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "RESP" + resp + " " + cmds.get(i));
        }
    }

    static List<String> run(int port, int resp, List<List<String>> cmds) throws Exception {
        try (RawClient c = new RawClient(port)) {
            c.call("HELLO", Integer.toString(resp));
            c.call("SELECT", "9");
            List<String> replies = new ArrayList<>();
            for (int from = 0; from < cmds.size(); from += 200) {
                int to = Math.min(cmds.size(), from + 200);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (List<String> cmd : cmds.subList(from, to)) {
                    byte[][] args = new byte[cmd.size()][];
                    for (int i = 0; i < args.length; i++) args[i] = cmd.get(i).getBytes(StandardCharsets.ISO_8859_1);
                    out.writeBytes(RawClient.encode(args));
                }
                c.send(out.toByteArray());
                for (int i = from; i < to; i++) replies.add(c.readReply());
            }
            c.call("FLUSHDB");
            return replies;
        }
    }
}
