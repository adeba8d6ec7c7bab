package io.kvasir.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slow log entries hold what Redis's hold: the arguments cut as Redis cuts them, passwords
 * redacted, the client's address. Ids, times and durations vary, so those fields are blanked.
 */
class SlowLogTest {

    @Test
    void entriesMatchRedis() throws IOException {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"SET", "k", "x".repeat(200)});
        List<String> many = new ArrayList<>(List.of("CONFIG", "GET"));
        for (int i = 0; i < 40; i++) many.add("pattern" + i);
        commands.add(many.toArray(String[]::new));
        commands.add(new String[] {"CONFIG", "SET", "masterauth", "secret", "hz", "10"});
        commands.add(new String[] {"CONFIG", "SET", "masterauth", ""});
        commands.add(new String[] {"ECHO", "é".repeat(100)});
        assertEquals(entries(RealRedis.get().port(), commands), entries(TestServers.kvasir().port(), commands));
    }

    private static String entries(int port, List<String[]> commands) throws IOException {
        try (RawClient c = new RawClient(port); RawClient admin = new RawClient(port)) {
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            admin.call("SLOWLOG", "RESET");
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            for (String[] cmd : commands) c.call(cmd);
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            String reply = admin.call("SLOWLOG", "GET", "-1");
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            admin.call("SLOWLOG", "RESET");
            // blank each entry's id, time and duration, and the client's port
            return reply.replaceAll("\\*6\r\n:\\d+\r\n:\\d+\r\n:\\d+\r\n", "*6\r\n:id\r\n:time\r\n:usec\r\n")
                    .replaceAll("\\$\\d+\r\n127\\.0\\.0\\.1:\\d+\r\n", "\\$addr\r\n127.0.0.1:port\r\n");
        }
    }
}
