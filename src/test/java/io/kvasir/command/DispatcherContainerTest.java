package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's errors for a container command (a name with subcommands), against Redis's CONFIG:
 * a container alone, an unknown subcommand (quoted byte for byte, at most 128 bytes, up to a NUL),
 * and a subcommand's arity. The container is a stand-in with CONFIG's arities whose handlers never run.
 */
class DispatcherContainerTest {

    @Test
    void containerErrorsMatchRedis() throws Exception {
        Handler never = c -> { throw new AssertionError("only errors are expected"); };
        CommandTable t = new CommandTable();
        t.add(command("config", -2).handler(never)
                .sub(command("config|get", -3).flags("admin noscript loading stale").handler(never))
                .sub(command("config|help", 2).flags("loading stale").handler(never)));
        List<List<String>> requests = List.of(List.of("CONFIG"), List.of("config"), List.of("CONFIG", "GET"),
                List.of("config", "get"), List.of("CONFIG", "FOO"), List.of("cOnFiG", "fOo", "bar"),
                List.of("CONFIG", "a\r\nb"), List.of("CONFIG", "HELP", "extra"), List.of("CONFIG", "x".repeat(200)),
                List.of("CONFIG", "é".repeat(70)), List.of("CONFIG", "\u00ff\u0000abc"), List.of("CONFIG", ""));
        try (RawClient redis = new RawClient(RealRedis.get().port())) {
            for (List<String> r : requests) {
                byte[][] cmd = r.stream().map(a -> a.getBytes(a.startsWith("\u00ff") ? StandardCharsets.ISO_8859_1
                        : StandardCharsets.UTF_8)).toArray(byte[][]::new);
                redis.send(RawClient.encode(cmd));
                assertEquals(redis.readReply(), CommandTableOracle.run(t, cmd), String.join(" ", r));
            }
        }
    }
}
