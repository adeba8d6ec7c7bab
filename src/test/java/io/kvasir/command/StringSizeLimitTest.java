package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * APPEND, SETRANGE and LCS under a small proto-max-bulk-len (1mb, the least Redis allows),
 * compared with the real redis-server set to the same limit. The default limit (512mb) is too
 * big to reach in a test; the differential script covers the requests that only exceed it.
 */
class StringSizeLimitTest {
    private static final String LIMIT = "1048576";

    private static final String[][] COMMANDS = {
        {"SETRANGE", "k", "1048575", "x"}, {"APPEND", "k", "y"}, {"APPEND", "k", ""}, {"STRLEN", "k"},
        {"SETRANGE", "k", "1048575", "z"}, {"SETRANGE", "k", "1048576", "z"}, {"SETRANGE", "k", "1048575", "zz"},
        {"SETRANGE", "k", "0", ""}, {"SETRANGE", "n", "1048576", ""}, {"SETRANGE", "n", "1048576", "a"},
        {"SETRANGE", "n", "1048570", "abcdef"}, {"SETRANGE", "n", "1048570", "abcdefg"}, {"STRLEN", "n"},
        {"SET", "a", "x"}, {"SETRANGE", "a", "510", "x"}, {"SETRANGE", "b", "599", "y"},
        {"LCS", "a", "a", "LEN"}, {"LCS", "b", "b", "LEN"}, {"LCS", "a", "b", "LEN"}, {"LCS", "b", "missing"},
        {"SETRANGE", "c", "510", "x"}, {"SETRANGE", "c", "511", "x"}, {"LCS", "c", "c", "LEN"},
    };

    @Test
    void limitsMatchRedis() throws Exception {
        try (KvasirServer kvasir = KvasirServer.builder().port(0).config("proto-max-bulk-len", LIMIT).start();
                RawClient k = new RawClient(kvasir.port());
                RawClient r = new RawClient(RealRedis.get().port())) {
            String old = r.call("CONFIG", "GET", "proto-max-bulk-len").split("\r\n")[4];
            r.call("FLUSHALL");
            r.call("CONFIG", "SET", "proto-max-bulk-len", LIMIT);
            try {
                for (String[] cmd : COMMANDS) {
                    assertEquals(r.call(cmd), k.call(cmd), String.join(" ", cmd));
                }
            } finally {
                r.call("CONFIG", "SET", "proto-max-bulk-len", old);
                r.call("FLUSHALL");
            }
            assertEquals(List.of(old), List.of(r.call("CONFIG", "GET", "proto-max-bulk-len").split("\r\n")[4]));
        }
    }
}
