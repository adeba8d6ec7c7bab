package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.testing.RealRedis;
import io.kvasir.testing.Resp;
import io.kvasir.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * COMMAND DOCS of every command and subcommand in Kvasir's table, byte for byte against the real
 * redis-server, in RESP2 and RESP3: since, group, complexity, doc flags, history and the whole
 * argument grammar (what redis-cli reads for its hints). The summary is masked: Kvasir describes
 * its commands in its own words rather than reproducing Redis's documentation text. Subcommands are
 * sorted (Redis emits them in random hash order) and cut to those Kvasir implements.
 */
class CommandDocsTest {

    @TestFactory
    Stream<DynamicTest> everyCommandMatchesRedis() {
        return CommandTableOracle.compareEach(s -> new String[] {"COMMAND", "DOCS", s.name()}, CommandDocsTest::normalize);
    }

    /** Several names at once: any case, repeated, unknown (skipped), subcommands by full name. */
    @Test
    void namesAreLookedUpAsRedisLooksThemUp() throws Exception {
        String[] cmd = {"COMMAND", "DOCS", "PING", "ping", "nosuch", "Command|Count", "command|nosuch", "ping|x"};
        CommandSpec plain = CommandTableOracle.table().get("ping");
        for (int resp : new int[] {2, 3}) {
            assertEquals(normalize(plain, Resp.parse(CommandTableOracle.ask(RealRedis.get().port(), resp, cmd))).raw(),
                    normalize(plain, Resp.parse(CommandTableOracle.askKvasir(TestServers.kvasir().port(), resp, cmd))).raw());
        }
    }

    static Resp.Node normalize(CommandSpec spec, Resp.Node reply) {
        Set<String> keep = CommandTableOracle.implementedSubcommands(spec);
        List<Resp.Node> pairs = new ArrayList<>(reply.children());
        for (int i = 1; i < pairs.size(); i += 2) pairs.set(i, normalizeDoc(pairs.get(i), keep));
        return reply.withChildren(pairs);
    }

    private static Resp.Node normalizeDoc(Resp.Node doc, Set<String> keep) {
        Resp.Node out = doc.with("summary", Resp.bulk("<summary>"));
        Resp.Node subs = out.get("subcommands");
        if (subs == null) return out;
        Resp.Node sorted = subs.sortedPairs(keep::contains);
        List<Resp.Node> pairs = new ArrayList<>(sorted.children());
        for (int i = 1; i < pairs.size(); i += 2) pairs.set(i, normalizeDoc(pairs.get(i), Set.of()));
        return out.with("subcommands", sorted.withChildren(pairs));
    }
}
