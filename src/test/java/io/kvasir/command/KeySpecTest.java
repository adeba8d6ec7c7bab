package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.testing.RealRedis;
import io.kvasir.testing.Resp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Key specs beyond a plain range (keyword searches, key counts, range limits) and the GETKEYS errors
 * they lead to, on a table of commands Kvasir does not have yet, declared with the key specs Redis
 * reports for them (checked first), then asked for the keys of the same command lines as Redis.
 */
class KeySpecTest {
    private static final Handler NONE = c -> { };

    private static CommandTable table() {
        CommandTable t = new CommandTable();
        t.addAll(new CommandCommands());
        t.add(command("zunionstore", -4).flags("write denyoom movablekeys").keys(1, 1, 1)
                .keySpec(KeySpec.index(1).flags("OW update"))
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RO access")).acl("@sortedset").handler(NONE));
        t.add(command("lmpop", -4).flags("write movablekeys")
                .keySpec(KeySpec.index(1).keynum(0, 1, 1).flags("RW access delete")).acl("@list").handler(NONE));
        t.add(command("xread", -4).flags("readonly blocking movablekeys")
                .keySpec(KeySpec.keyword("STREAMS", 1).range(-1, 1, 2).flags("RO access")).acl("@stream").handler(NONE));
        t.add(command("eval", -3).flags("noscript stale skip_monitor no_mandatory_keys movablekeys")
                .keySpec(KeySpec.index(2).keynum(0, 1, 1).flags("RW access update")
                        .notes("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE"))
                .acl("@scripting").handler(NONE));
        t.add(command("georadius", -6).flags("write denyoom movablekeys").keys(1, 1, 1)
                .keySpec(KeySpec.index(1).flags("RO access"))
                .keySpec(KeySpec.keyword("STORE", 6).flags("OW update"))
                .keySpec(KeySpec.keyword("STOREDIST", 6).flags("OW update")).acl("@geo").handler(NONE));
        return t;
    }

    @Test
    void declaredSpecsAreRedisSpecs() throws Exception {
        CommandTable t = table();
        for (String name : List.of("zunionstore", "lmpop", "xread", "eval", "georadius")) {
            for (int resp : new int[] {2, 3}) {
                Resp.Node redis = Resp.parse(CommandTableOracle.ask(RealRedis.get().port(), resp, "COMMAND", "INFO", name));
                Resp.Node ours = Resp.parse(CommandTableOracle.run(t, resp, "COMMAND", "INFO", name));
                for (int field : new int[] {1, 2, 3, 4, 5, 8}) {
                    assertEquals(redis.children().getFirst().children().get(field).raw(),
                            ours.children().getFirst().children().get(field).raw(), name + " field " + field);
                }
            }
        }
    }

    @Test
    void keysFoundAsRedisFindsThem() throws Exception {
        CommandTable t = table();
        List<String> lines = List.of(
                "zunionstore d 2 a b", "zunionstore d 1 a weights 2", "zunionstore d 0 x", "zunionstore d x a",
                "zunionstore d 3 a b", "zunionstore d -1 a",
                "lmpop 2 a b left", "lmpop 0 a left", "lmpop x a left", "lmpop 3 a b",
                "xread streams a b 0 0", "xread count 1 streams a 0", "xread count 1 streams a b c 1 2 3",
                "xread block 0 STREAMS a 0", "xread count 1 streamsx a b", "xread count 1 block 2 streams",
                "eval s 0", "eval s 2 a b c", "eval s 1 a", "eval s 3 a b", "eval s x a",
                "georadius k 0 0 1 m", "georadius k 0 0 1 m store d", "georadius k 0 0 1 m STOREDIST d",
                "georadius k 0 0 1 m store", "georadius k 0 0 1 m store d storedist e", "georadius store 0 0 1 m x y");
        for (String line : lines) {
            for (String sub : List.of("GETKEYS", "GETKEYSANDFLAGS")) {
                String[] cmd = ("COMMAND " + sub + " " + line).split(" ");
                for (int resp : new int[] {2, 3}) {
                    assertEquals(CommandTableOracle.show(CommandTableOracle.ask(RealRedis.get().port(), resp, cmd)),
                            CommandTableOracle.show(CommandTableOracle.run(t, resp, cmd)), String.join(" ", cmd) + " [RESP" + resp + "]");
                }
            }
        }
    }
}
