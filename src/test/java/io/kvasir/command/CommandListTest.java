package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.testing.RealRedis;
import io.kvasir.testing.Resp;
import io.kvasir.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * COMMAND COUNT, COMMAND LIST and its filters, and GETKEYS/GETKEYSANDFLAGS of every command in the
 * table, against the real server. Kvasir implements part of Redis's table, so lists are compared with
 * Redis's lists cut to the commands Kvasir has; key extraction is compared reply for reply.
 */
class CommandListTest {
    private static int redis() { return RealRedis.get().port(); }
    private static int kvasir() { return TestServers.kvasir().port(); }

    private static Set<String> kvasirNames() {
        return CommandTableOracle.everySpec().stream().map(CommandSpec::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(int port, String... cmd) throws Exception {
        Set<String> out = new TreeSet<>();
        for (Resp.Node n : Resp.parse(CommandTableOracle.ask(port, 2, cmd)).children()) out.add(n.text());
        return out;
    }

    @Test
    void countMatchesEveryWayOfListingTheTable() throws Exception {
        int size = CommandTableOracle.table().size();
        assertEquals(":" + size + "\r\n", CommandTableOracle.ask(kvasir(), 2, "COMMAND", "COUNT"));
        assertEquals(size, Resp.parse(CommandTableOracle.ask(kvasir(), 2, "COMMAND")).children().size());
        assertEquals(size, Resp.parse(CommandTableOracle.ask(kvasir(), 2, "COMMAND", "INFO")).children().size());
        assertEquals(2 * size, Resp.parse(CommandTableOracle.ask(kvasir(), 2, "COMMAND", "DOCS")).children().size());
    }

    @Test
    void listNamesEveryCommandAndSubcommandAndNothingRedisLacks() throws Exception {
        Set<String> listed = names(kvasir(), "COMMAND", "LIST");
        assertEquals(kvasirNames(), listed);
        Set<String> unknownToRedis = new TreeSet<>(listed);
        unknownToRedis.removeAll(names(redis(), "COMMAND", "LIST"));
        assertEquals(Set.of(), unknownToRedis);
    }

    @Test
    void filterByAclCategoryMatchesRedis() throws Exception {
        List<String> categories = new ArrayList<>(names(redis(), "ACL", "CAT"));
        assertTrue(categories.size() >= 21, "ACL CAT lists the categories");
        categories.addAll(List.of("CONNECTION", "Keyspace", "nosuch", "@read", ""));
        for (String cat : categories) {
            Set<String> expected = names(redis(), "COMMAND", "LIST", "FILTERBY", "ACLCAT", cat);
            expected.retainAll(kvasirNames());
            assertEquals(expected, names(kvasir(), "COMMAND", "LIST", "FILTERBY", "aclcat", cat), cat);
        }
    }

    @Test
    void filterByPatternMatchesRedis() throws Exception {
        for (String p : List.of("*", "g*", "G?T", "*e*", "[gs]et", "[^g]et", "[a-f]*", "[f-a]*", "*|*", "command|*",
                "COMMAND|GET*", "\\g*", "*[", "[", "s[e-", "???", "****t", "*\\|*", "", "[Z-a]*", "[a-Z]*", "g\\",
                "[\\]]*", "[]*", "[^]*", "*[^a-z|]*")) {
            Set<String> expected = names(redis(), "COMMAND", "LIST", "FILTERBY", "PATTERN", p);
            expected.retainAll(kvasirNames());
            assertEquals(expected, names(kvasir(), "COMMAND", "LIST", "filterby", "pattern", p), p);
        }
    }

    @Test
    void filterByModuleIsEmpty() throws Exception {
        for (String m : List.of("x", "redisearch")) {
            assertEquals(CommandTableOracle.ask(redis(), 2, "COMMAND", "LIST", "FILTERBY", "MODULE", m),
                    CommandTableOracle.ask(kvasir(), 2, "COMMAND", "LIST", "FILTERBY", "MODULE", m));
        }
    }

    /**
     * For every command: GETKEYS and GETKEYSANDFLAGS of command lines one argument too short, of the
     * right size and longer, filled with names and with the word GET (which changes SET's key flags).
     */
    @TestFactory
    Stream<DynamicTest> getKeysOfEveryCommandMatchesRedis() {
        List<DynamicTest> tests = new ArrayList<>();
        for (CommandSpec spec : CommandTableOracle.everySpec()) {
            for (int resp : new int[] {2, 3}) {
                tests.add(DynamicTest.dynamicTest(spec.name() + " [RESP" + resp + "]", () -> {
                    for (List<String> line : lines(spec)) {
                        for (String sub : List.of("GETKEYS", "GETKEYSANDFLAGS")) {
                            List<String> cmd = new ArrayList<>(List.of("COMMAND", sub));
                            cmd.addAll(line);
                            String[] c = cmd.toArray(String[]::new);
                            assertEquals(CommandTableOracle.show(CommandTableOracle.ask(redis(), resp, c)),
                                    CommandTableOracle.show(CommandTableOracle.askKvasir(kvasir(), resp, c)),
                                    String.join(" ", c) + " [RESP" + resp + "]");
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static List<List<String>> lines(CommandSpec spec) {
        int min = Math.abs(spec.arity());
        int max = spec.arity() < 0 ? min + 3 : min + 1;
        List<String> head = spec.parent() == null ? List.of(spec.name()) : List.of(spec.parent().name(), spec.shortName());
        List<List<String>> out = new ArrayList<>();
        for (String filler : List.of("k", "GET")) {
            for (int n = Math.max(head.size(), min - 1); n <= max; n++) {
                List<String> line = new ArrayList<>(head);
                for (int i = line.size(); i < n; i++) line.add(filler.equals("k") ? "k" + i : filler);
                out.add(line);
            }
        }
        return out;
    }
}
