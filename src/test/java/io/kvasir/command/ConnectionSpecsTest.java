package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The specs of the connection and client commands against the real server's COMMAND INFO:
 * arity, flags, key positions, ACL categories, tips and the list of subcommands.
 */
class ConnectionSpecsTest {
    private static final List<String> COMMANDS = List.of("hello", "auth", "reset", "quit", "ping", "echo", "select",
            "monitor", "client");
    /** Client-side caching is not implemented yet. */
    private static final List<String> MISSING = List.of("client|tracking", "client|caching");

    /** A RESP2 reply parsed into strings, longs and lists. */
    private static Object parse(String s, int[] pos) {
        int eol = s.indexOf("\r\n", pos[0]);
        char type = s.charAt(pos[0]);
        String line = s.substring(pos[0] + 1, eol);
        pos[0] = eol + 2;
        switch (type) {
            case '+' -> { return line; }
            case ':' -> { return Long.parseLong(line); }
            case '$' -> {
                int n = Integer.parseInt(line);
                String v = s.substring(pos[0], pos[0] + n);
                pos[0] += n + 2;
                return v;
            }
            case '*' -> {
                List<Object> items = new ArrayList<>();
                for (int i = Integer.parseInt(line); i > 0; i--) items.add(parse(s, pos));
                return items;
            }
            default -> throw new IllegalArgumentException("unexpected reply " + line);
        }
    }

    /** Our spec in COMMAND INFO's shape: name, arity, flags, first, last, step, categories, tips, key specs. */
    private static List<Object> describe(CommandSpec spec) {
        List<Object> flags = new ArrayList<>();
        for (Map.Entry<Integer, String> f : CommandSpec.FLAG_NAMES) if (spec.has(f.getKey())) flags.add(f.getValue());
        return List.of(spec.name(), (long) spec.arity(), flags, (long) spec.firstKey(), (long) spec.lastKey(),
                (long) spec.keyStep(), List.copyOf(spec.aclCategoriesWithImplied()), List.copyOf(spec.tips()), List.of());
    }

    @SuppressWarnings("unchecked")
    private static void compare(List<Object> redis, CommandSpec spec) {
        String name = (String) redis.get(0);
        assertNotNull(spec, "no spec for " + name);
        assertEquals(redis.subList(0, 9), describe(spec), name);
        List<Object> subs = new ArrayList<>((List<Object>) redis.get(9));
        subs.removeIf(sub -> MISSING.contains(((List<Object>) sub).get(0)));
        assertEquals(subs.size(), spec.subcommands().size(), name + " subcommands " + subs);
        for (Object sub : subs) {
            List<Object> s = (List<Object>) sub;
            String full = (String) s.get(0);
            compare(s, spec.subcommands().get(full.substring(full.indexOf('|') + 1)));
        }
    }

    /** A flat RESP2 map (key, value, key, value...) as a map. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object flat) {
        List<Object> l = (List<Object>) flat;
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < l.size(); i += 2) m.put((String) l.get(i), l.get(i + 1));
        return m;
    }

    /** COMMAND DOCS fields our specs hold besides the summary (ours is in our own words) and the arguments. */
    @SuppressWarnings("unchecked")
    private static void compareDocs(String name, Map<String, Object> redis, CommandSpec spec) {
        assertNotNull(spec, "no spec for " + name);
        assertEquals(redis.get("since"), spec.since(), name);
        assertEquals(redis.get("group"), spec.group(), name);
        assertEquals(redis.get("complexity"), spec.complexity(), name);
        List<Object> history = new ArrayList<>();
        for (String h : spec.history()) history.add(List.of(h.split("\u0000", 2)));
        assertEquals(redis.getOrDefault("history", List.of()), history, name);
        if (redis.containsKey("subcommands")) {
            map(redis.get("subcommands")).forEach((sub, docs) -> {
                if (!MISSING.contains(sub)) {
                    compareDocs(sub, map(docs), spec.subcommands().get(sub.substring(sub.indexOf('|') + 1)));
                }
            });
        }
    }

    @Test
    void specsMatchCommandDocs() throws IOException {
        CommandTable table = Commands.standard();
        try (RawClient redis = new RawClient(RealRedis.get().port())) {
            List<String> request = new ArrayList<>(List.of("COMMAND", "DOCS"));
            request.addAll(COMMANDS);
            Map<String, Object> docs = map(parse(redis.call(request.toArray(new String[0])), new int[1]));
            assertEquals(COMMANDS.size(), docs.size());
            docs.forEach((name, d) -> compareDocs(name, map(d), table.get(name)));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void specsMatchCommandInfo() throws IOException {
        CommandTable table = Commands.standard();
        try (RawClient redis = new RawClient(RealRedis.get().port())) {
            String[] request = new String[COMMANDS.size() + 2];
            request[0] = "COMMAND";
            request[1] = "INFO";
            for (int i = 0; i < COMMANDS.size(); i++) request[i + 2] = COMMANDS.get(i);
            List<Object> infos = (List<Object>) parse(redis.call(request), new int[1]);
            for (Object info : infos) {
                List<Object> entry = (List<Object>) info;
                compare(entry, table.get((String) entry.get(0)));
            }
            assertEquals(COMMANDS.size(), infos.size());
        }
    }
}
