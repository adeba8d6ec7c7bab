package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvasir.protocol.Reply;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The argument grammar file against the real server: every line, rendered as COMMAND DOCS renders
 * it, must equal the "arguments" Redis reports for that command, in RESP2 and RESP3, whether or not
 * Kvasir implements the command yet; and the file must describe every command Redis documents.
 */
class ArgumentGrammarTest {
    private static final Map<String, List<Argument>> GRAMMAR = ArgumentGrammar.load();

    @TestFactory
    Stream<DynamicTest> everyLineMatchesRedis() {
        int port = RealRedis.get().port();
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, List<Argument>> e : GRAMMAR.entrySet()) {
            for (int resp : new int[] {2, 3}) {
                tests.add(DynamicTest.dynamicTest(e.getKey() + " [RESP" + resp + "]", () -> {
                    Resp.Node docs = Resp.parse(CommandTableOracle.ask(port, resp, "COMMAND", "DOCS", e.getKey()));
                    assertEquals(2, docs.children().size(), "Redis documents " + e.getKey());
                    Resp.Node expected = docs.children().get(1).get("arguments");
                    String actual = render(resp, e.getValue());
                    assertEquals(expected == null ? "" : CommandTableOracle.show(expected.raw()), CommandTableOracle.show(actual));
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void describesEveryCommandRedisDocuments() throws Exception {
        Resp.Node all = Resp.parse(CommandTableOracle.ask(RealRedis.get().port(), 2, "COMMAND", "DOCS"));
        List<String> missing = new ArrayList<>();
        for (int i = 0; i + 1 < all.children().size(); i += 2) {
            Resp.Node doc = all.children().get(i + 1);
            Resp.Node subs = doc.get("subcommands");
            if (subs == null) {
                if (doc.get("arguments") != null && !GRAMMAR.containsKey(all.children().get(i).text())) {
                    missing.add(all.children().get(i).text());
                }
                continue;
            }
            for (int j = 0; j + 1 < subs.children().size(); j += 2) {
                String name = subs.children().get(j).text();
                if (subs.children().get(j + 1).get("arguments") != null && !GRAMMAR.containsKey(name)) missing.add(name);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void malformedNotationIsRejected() {
        for (String bad : List.of("key", "key:nosuchtype", "[key:key", "key:key]", "a(x:string | y:string z:string)",
                "a(x:string y:string | z:string)", "x:string@", "x:string#", "\"unterminated", "EX=seconds:integer",
                "a(", ")")) {
            assertThrows(IllegalArgumentException.class, () -> ArgumentGrammar.parse(bad), bad);
        }
    }

    @Test
    void continuationLinesJoinTheirCommand() throws Exception {
        String file = "# comment\nset key:key\n    value:string [NX]\nget key:key\n";
        Map<String, List<Argument>> g = ArgumentGrammar.parseFile(new java.io.ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("set", "get"), List.copyOf(g.keySet()));
        assertEquals(List.of("key", "value", "nx"), g.get("set").stream().map(Argument::name).toList());
    }

    private static String render(int resp, List<Argument> args) {
        if (args.isEmpty()) return "";
        ByteBuf out = Unpooled.buffer();
        try {
            Reply r = new Reply(out);
            r.resp(resp);
            Argument.replyAll(r, args);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }
}
