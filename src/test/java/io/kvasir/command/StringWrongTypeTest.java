package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * String commands against a key of another type (a list), compared with the real redis-server:
 * which error wins (syntax, number, type), which commands overwrite the key and which leave it alone.
 */
class StringWrongTypeTest {
    private static final String[][] COMMANDS = {
        {"GET", "l"}, {"SET", "l", "v", "GET"}, {"SET", "l", "v", "NX", "GET"}, {"SET", "l", "v", "XX", "GET"},
        {"SET", "l", "v", "GET", "EX", "0"}, {"SET", "l", "v", "GET", "EX", "x"}, {"SET", "l", "v", "GET", "NX", "XX"},
        {"SET", "l", "v", "NX"}, {"SET", "l", "v", "XX"}, {"SET", "l", "v", "KEEPTTL"}, {"SET", "l", "v"},
        {"GETSET", "l", "v"}, {"GETDEL", "l"}, {"GETEX", "l"}, {"GETEX", "l", "EX", "0"}, {"GETEX", "l", "PERSIST"},
        {"GETEX", "l", "FOO"}, {"SETNX", "l", "v"}, {"SETEX", "l", "100", "v"}, {"SETEX", "l", "0", "v"},
        {"PSETEX", "l", "100000", "v"}, {"MSET", "l", "v", "s", "w"}, {"MSETNX", "l", "v", "new", "w"},
        {"MGET", "l", "s", "missing"}, {"APPEND", "l", "x"}, {"APPEND", "l", ""}, {"STRLEN", "l"},
        {"SETRANGE", "l", "0", "x"}, {"SETRANGE", "l", "0", ""}, {"SETRANGE", "l", "-1", "x"},
        {"SETRANGE", "l", "x", "x"}, {"GETRANGE", "l", "0", "1"}, {"GETRANGE", "l", "a", "1"}, {"SUBSTR", "l", "0", "1"},
        {"INCR", "l"}, {"DECR", "l"}, {"INCRBY", "l", "1"}, {"INCRBY", "l", "x"}, {"DECRBY", "l", "1"},
        {"DECRBY", "l", "-9223372036854775808"}, {"INCRBYFLOAT", "l", "1"}, {"INCRBYFLOAT", "l", "x"},
        {"INCRBYFLOAT", "l", "inf"}, {"LCS", "l", "s"}, {"LCS", "s", "l"}, {"LCS", "l", "s", "FOO"},
        {"LCS", "l", "missing", "LEN", "IDX"}, {"LCS", "missing", "l", "IDX"},
    };

    private static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        kvasir = KvasirServer.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        kvasir.close();
    }

    @Test
    void repliesAndEffectsMatchRedis() throws Exception {
        RealRedis redis = RealRedis.get();
        try (RawClient r = new RawClient(redis.port()); RawClient k = new RawClient(kvasir.port())) {
            r.call("FLUSHALL");
            List<String> mismatches = new ArrayList<>();
            for (String[] cmd : COMMANDS) {
                r.call("DEL", "l", "new");
                r.call("RPUSH", "l", "a");
                r.call("SET", "s", "abc");
                k.call("DEL", "l", "new");
                k.call("RPUSH", "l", "a");
                k.call("SET", "s", "abc");
                // the command, then what it left behind
                for (String[] step : new String[][] {cmd, {"GET", "l"}, {"MGET", "s", "new"}}) {
                    String expected = r.call(step), actual = k.call(step);
                    if (!expected.equals(actual)) {
                        mismatches.add(String.join(" ", cmd) + " / " + String.join(" ", step)
                                + ": redis " + show(expected) + " kvasir " + show(actual));
                    }
                }
            }
            r.call("FLUSHALL");
            assertEquals(List.of(), mismatches);
        }
    }

    private static String show(String s) {
        return s.replace("\r\n", "\\r\\n");
    }
}
