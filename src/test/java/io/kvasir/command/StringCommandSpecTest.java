package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Each string command's spec (arity, flags, key positions, ACL categories, tips, group, since)
 * against what the real redis-server reports in COMMAND INFO and COMMAND DOCS.
 */
class StringCommandSpecTest {
    private static final List<String> NAMES = List.of("get", "set", "getset", "getdel", "getex", "setnx", "setex",
            "psetex", "mset", "msetnx", "mget", "append", "strlen", "setrange", "getrange", "substr", "incr", "decr",
            "incrby", "decrby", "incrbyfloat", "lcs");

    @Test
    void specsMatchCommandInfo() throws Exception {
        CommandTable table = Commands.standard();
        try (RawClient redis = new RawClient(RealRedis.get().port())) {
            for (String name : NAMES) {
                CommandSpec spec = table.get(name);
                assertNotNull(spec, name);
                List<?> info = (List<?>) ((List<?>) parse(redis.call("COMMAND", "INFO", name))).get(0);
                assertEquals(info.get(1), (long) spec.arity(), name + " arity");
                assertEquals(new HashSet<>((List<?>) info.get(2)), flagNames(spec), name + " flags");
                assertEquals(List.of(info.get(3), info.get(4), info.get(5)),
                        List.of((long) spec.firstKey(), (long) spec.lastKey(), (long) spec.keyStep()), name + " keys");
                assertEquals(new HashSet<>((List<?>) info.get(6)), new HashSet<>(spec.aclCategoriesWithImplied()),
                        name + " acl categories");
                assertEquals(info.get(7), spec.tips(), name + " tips");

                List<?> docs = (List<?>) ((List<?>) parse(redis.call("COMMAND", "DOCS", name))).get(1);
                Map<String, Object> fields = new java.util.HashMap<>();
                for (int i = 0; i < docs.size(); i += 2) fields.put((String) docs.get(i), docs.get(i + 1));
                assertEquals(fields.get("group"), spec.group(), name + " group");
                assertEquals(fields.get("since"), spec.since(), name + " since");
            }
        }
    }

    private static Set<String> flagNames(CommandSpec spec) {
        Set<String> out = new HashSet<>();
        for (Map.Entry<Integer, String> f : CommandSpec.FLAG_NAMES) if (spec.has(f.getKey())) out.add(f.getValue());
        return out;
    }

    /** A RESP2 reply as Strings, Longs and Lists. */
    private static Object parse(String reply) {
        int[] pos = {0};
        return value(reply, pos);
    }

    private static Object value(String s, int[] pos) {
        int eol = s.indexOf("\r\n", pos[0]);
        char type = s.charAt(pos[0]);
        String head = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (type) {
            case '+', '-' -> { return head; }
            case ':' -> { return Long.parseLong(head); }
            case '$' -> {
                int n = Integer.parseInt(head);
                if (n < 0) return null;
                String v = s.substring(pos[0], pos[0] + n);
                pos[0] += n + 2;
                return v;
            }
            case '*' -> {
                int n = Integer.parseInt(head);
                List<Object> out = new ArrayList<>();
                for (int i = 0; i < n; i++) out.add(value(s, pos));
                return out;
            }
            default -> throw new IllegalArgumentException("unexpected reply type " + type);
        }
    }
}
