package io.kvasir.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.server.Kvasir;
import io.kvasir.testing.RawClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.Resp;
import io.kvasir.testing.TestServers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/** What the COMMAND tests share: Kvasir's table, and asking both servers the same question. */
final class CommandTableOracle {
    private CommandTableOracle() {}

    static CommandTable table() {
        return TestServers.kvasir().kvasir().commands();
    }

    /** Every command and subcommand in Kvasir's table, by full name ("get", "config|get"). */
    static List<CommandSpec> everySpec() {
        List<CommandSpec> out = new ArrayList<>();
        for (CommandSpec s : table().all()) {
            out.add(s);
            out.addAll(s.subcommands().values());
        }
        return out;
    }

    /** Names of the subcommands Kvasir implements under {@code spec} (empty for a plain command). */
    static Set<String> implementedSubcommands(CommandSpec spec) {
        return spec.subcommands().values().stream().map(CommandSpec::name).collect(Collectors.toSet());
    }

    /** One test per spec and protocol: both servers' replies to {@code request(spec)}, normalized, must be equal. */
    static Stream<DynamicTest> compareEach(Function<CommandSpec, String[]> request,
                                           java.util.function.BiFunction<CommandSpec, Resp.Node, Resp.Node> normalize) {
        RealRedis redis = RealRedis.get();
        int kvasir = TestServers.kvasir().port();
        List<DynamicTest> tests = new ArrayList<>();
        for (CommandSpec spec : everySpec()) {
            for (int resp : new int[] {2, 3}) {
                String[] cmd = request.apply(spec);
                tests.add(DynamicTest.dynamicTest(spec.name() + " [RESP" + resp + "]", () -> {
                    String expected = normalize.apply(spec, Resp.parse(ask(redis.port(), resp, cmd))).raw();
                    String actual = normalize.apply(spec, Resp.parse(askKvasir(kvasir, resp, cmd))).raw();
                    assertEquals(show(expected), show(actual), String.join(" ", cmd) + " [RESP" + resp + "]");
                }));
            }
        }
        return tests.stream();
    }

    /**
     * Kvasir's reply: over the wire in RESP2; in RESP3 through the server's dispatcher with a RESP3 reply
     * writer, so that the RESP3 forms are checked whether or not this build's table has HELLO.
     */
    static String askKvasir(int port, int resp, String... cmd) throws IOException {
        return resp == 2 ? ask(port, 2, cmd) : run(table(), resp, cmd);
    }

    /** Runs one command through a dispatcher over {@code t}, as a connection speaking {@code resp} would. */
    static String run(CommandTable t, int resp, String... cmd) {
        Kvasir server = TestServers.kvasir().kvasir();
        Client client = new Client(0, "127.0.0.1:0", "127.0.0.1:0", null);
        client.resp(resp);
        ByteBuf out = Unpooled.buffer();
        try {
            Reply reply = new Reply(out);
            reply.resp(resp);
            new Dispatcher(server, t).execute(new Call(server, client), Args.of(cmd), reply);
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    /** Runs one command (given as raw bytes) through a dispatcher over {@code t} in RESP2. */
    static String run(CommandTable t, byte[]... cmd) {
        Kvasir server = TestServers.kvasir().kvasir();
        ByteBuf out = Unpooled.buffer();
        try {
            new Dispatcher(server, t).execute(new Call(server, new Client(0, "127.0.0.1:0", "127.0.0.1:0", null)),
                    Args.of(cmd), new Reply(out));
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    /** Raw RESP with its line breaks visible, one element per line. */
    static String show(String raw) {
        return raw.replace("\r\n", "\\r\\n\n");
    }

    /** Sends one command on a fresh connection speaking {@code resp}; returns the raw reply. */
    static String ask(int port, int resp, String... cmd) throws IOException {
        try (RawClient c = new RawClient(port)) {
            if (resp == 3) c.call("HELLO", "3");
            return c.call(cmd);
        }
    }
}
