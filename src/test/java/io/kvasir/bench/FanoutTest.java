package io.kvasir.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Short fan-out runs against Kvasir (on more event loops than subscribers' channels, so deliveries
 * cross loops) and the real redis-server, and runs that a stray publisher disturbs on purpose: the
 * tool must notice.
 */
@Timeout(120)
class FanoutTest {
    private static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        kvasir = KvasirServer.builder().port(0).config("io-threads", "3").start();
    }

    @AfterAll
    static void stop() {
        kvasir.close();
    }

    record Run(int code, Fanout.Outcome outcome, String out, String err) {}

    static Run run(int port, String... args) {
        Fanout f = new Fanout();
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(f);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("-p", Integer.toString(port), "-q"));
        all.addAll(List.of(args));
        int code = cl.execute(all.toArray(String[]::new));
        return new Run(code, f.outcome(), out.toString(), err.toString());
    }

    /** Every message reached each subscriber of its channel: subscribers x messages / channels, when they divide evenly. */
    static void assertDelivered(Run r, long messages, long perMessage) {
        assertEquals(0, r.code(), r.err());
        assertNotNull(r.outcome(), r.err());
        assertEquals(messages, r.outcome().messages());
        assertEquals(messages * perMessage, r.outcome().deliveries());
        assertEquals(messages, r.outcome().fanout().getTotalCount(), "one fan-out latency per timed message");
        assertEquals(messages, r.outcome().publish().getTotalCount(), "one round trip per timed PUBLISH");
        assertTrue(r.out().contains("verified: every subscriber got each of its messages once"), r.out());
    }

    @Test
    void channelsOverSeveralPublishers() {
        Run r = run(kvasir.port(), "-s", "60", "--channels", "3", "--publishers", "3", "-n", "900", "--warmup", "90",
                "-P", "8", "--window", "40");
        assertDelivered(r, 900, 20);
    }

    @Test
    void patternsInResp3() {
        Run r = run(kvasir.port(), "-s", "40", "--channels", "2", "--patterns", "--resp3", "-n", "400", "--warmup", "0",
                "-P", "16", "-d", "100");
        assertDelivered(r, 400, 20);
    }

    @Test
    void theRealServerPassesToo() {
        Run r = run(RealRedis.get().port(), "-s", "30", "--channels", "2", "--publishers", "2", "-n", "400",
                "--warmup", "40", "-P", "4");
        assertDelivered(r, 400, 15);
    }

    @Test
    void aStrangeMessageFailsTheRun() throws Exception {
        Run r = disturbed("garbage");
        assertEquals(1, r.code(), r.out());
        assertNull(r.outcome());
        assertTrue(r.err().contains("FAILED: unexpected frame on fanout:000000"), r.err());
    }

    @Test
    void aRepeatedMessageFailsTheRun() throws Exception {
        Run r = disturbed("000000000000xxxx");   // publisher 0's message 0 once more
        assertEquals(1, r.code(), r.out());
        assertTrue(r.err().contains("repeated or out of order"), r.err());
    }

    /** A run while another client keeps publishing {@code payload} to the run's first channel. */
    private static Run disturbed(String payload) throws Exception {
        AtomicBoolean over = new AtomicBoolean();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RawClient stray = new RawClient(kvasir.port())) {
            Future<?> publishing = pool.submit(() -> {
                while (!over.get()) {
                    stray.call("PUBLISH", "fanout:000000", payload);
                    Thread.sleep(1);
                }
                return null;
            });
            Run r = run(kvasir.port(), "-s", "10", "-n", "1000000", "--warmup", "0", "-P", "4");
            over.set(true);
            publishing.get();
            return r;
        } finally {
            pool.shutdownNow();
        }
    }
}
