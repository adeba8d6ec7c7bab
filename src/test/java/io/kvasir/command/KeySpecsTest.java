package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.Resp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The specs of the keyspace family against the real server's COMMAND INFO and COMMAND DOCS:
 * arity, flags, key positions, ACL categories, tips, group and version, subcommands included.
 * (Flags and categories are compared as sets: their order is the renderer's business.)
 */
class KeySpecsTest {
    private static final List<String> NAMES = List.of("del", "unlink", "exists", "type", "keys", "scan",
            "randomkey", "rename", "renamenx", "copy", "move", "expire", "pexpire", "expireat", "pexpireat",
            "ttl", "pttl", "expiretime", "pexpiretime", "persist", "touch", "object", "dbsize", "swapdb",
            "flushdb", "flushall");

    @Test
    void specsMatchCommandInfo() throws Exception {
        CommandTable table = new CommandTable();
        new KeyCommands().register(table);
        assertEquals(NAMES.size(), table.size());
        try (RawClient c = new RawClient(RealRedis.get().port())) {
            for (String name : NAMES) {
                CommandSpec spec = table.get(name);
                assertNotNull(spec, name);
                List<?> info = (List<?>) ((List<?>) Resp.parse(c.call("COMMAND", "INFO", name))).get(0);
                compare(c, spec, info);
                List<?> subs = (List<?>) info.get(9);
                assertEquals(subs.size(), spec.subcommands().size(), name + " subcommands");
                for (Object sub : subs) {
                    String full = (String) ((List<?>) sub).get(0);
                    CommandSpec s = spec.subcommands().get(full.substring(full.indexOf('|') + 1));
                    assertNotNull(s, full);
                    compare(c, s, (List<?>) sub);
                }
            }
        }
    }

    private static void compare(RawClient c, CommandSpec spec, List<?> info) throws Exception {
        String name = spec.name();
        assertEquals(info.get(0), name);
        assertEquals(((Long) info.get(1)).intValue(), spec.arity(), name + " arity");
        Set<String> flags = new TreeSet<>();
        for (Map.Entry<Integer, String> f : CommandSpec.FLAG_NAMES) if (spec.has(f.getKey())) flags.add(f.getValue());
        assertEquals(new TreeSet<>(strings(info.get(2))), flags, name + " flags");
        assertEquals(List.of(info.get(3), info.get(4), info.get(5)),
                List.of((long) spec.firstKey(), (long) spec.lastKey(), (long) spec.keyStep()), name + " keys");
        assertEquals(new TreeSet<>(strings(info.get(6))), new TreeSet<>(spec.aclCategoriesWithImplied()), name + " acl");
        assertEquals(strings(info.get(7)), spec.tips(), name + " tips");
        List<?> docs = (List<?>) Resp.parse(c.call("COMMAND", "DOCS", name));
        Map<String, Object> doc = new HashMap<>();
        List<?> fields = (List<?>) docs.get(1);
        for (int i = 0; i < fields.size(); i += 2) doc.put((String) fields.get(i), fields.get(i + 1));
        assertEquals(doc.get("group"), spec.group(), name + " group");
        assertEquals(doc.get("since"), spec.since(), name + " since");
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add((String) o);
        return out;
    }
}
