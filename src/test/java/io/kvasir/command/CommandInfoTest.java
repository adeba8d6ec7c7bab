package io.kvasir.command;

import io.kvasir.testing.Resp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * COMMAND INFO of every command and subcommand in Kvasir's table, byte for byte against the real
 * redis-server, in RESP2 and RESP3: this guards every family's spec (arity, flags, key positions,
 * ACL categories, tips, key specs). Two things are normalized, both because Redis itself does not fix
 * them: subcommands come out in Redis's hash order (random per process), so both lists are sorted;
 * and a container lists only the subcommands Kvasir implements, so Redis's list is cut to those.
 */
class CommandInfoTest {

    @TestFactory
    Stream<DynamicTest> everyCommandMatchesRedis() {
        return CommandTableOracle.compareEach(s -> new String[] {"COMMAND", "INFO", s.name()}, CommandInfoTest::normalize);
    }

    /** Sorts (and cuts to Kvasir's) the subcommands of the single COMMAND INFO entry. */
    static Resp.Node normalize(CommandSpec spec, Resp.Node reply) {
        Set<String> keep = CommandTableOracle.implementedSubcommands(spec);
        List<Resp.Node> entries = new ArrayList<>();
        for (Resp.Node info : reply.children()) entries.add(normalizeInfo(info, keep));
        return reply.withChildren(entries);
    }

    static Resp.Node normalizeInfo(Resp.Node info, Set<String> keep) {
        if (info.children().size() != 10 || info.children().get(9).children().isEmpty()) return info;
        List<Resp.Node> fields = new ArrayList<>(info.children());
        fields.set(9, fields.get(9).sortedElements(sub -> keep.contains(sub.children().getFirst().text())));
        return info.withChildren(fields);
    }
}
