package io.kvasir.diff;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.DiffRunner;
import io.kvasir.testing.DiffScript;
import io.kvasir.testing.RealRedis;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * diff-requirepass/auth.txt against a redis-server and a Kvasir both started with
 * {@code requirepass secret}: NOAUTH, AUTH, HELLO AUTH, RESET and the unauthenticated protocol
 * limits, byte for byte. RESP2 only: the harness's HELLO 3 is refused before AUTH.
 */
class RequirepassDifferentialTest {
    private static RealRedis redis;
    private static KvasirServer kvasir;

    @BeforeAll
    static void start() {
        redis = RealRedis.startDedicated("--requirepass", "secret");
        kvasir = KvasirServer.builder().port(0).config("requirepass", "secret").start();
    }

    @AfterAll
    static void stop() {
        if (kvasir != null) kvasir.close();
        if (redis != null) redis.close();
    }

    @TestFactory
    Stream<DynamicTest> auth() throws IOException {
        List<DiffScript.Block> blocks;
        try (InputStream in = DiffRunner.resource("/diff-requirepass/auth.txt")) {
            blocks = DiffScript.parse("auth.txt", in);
        }
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.name(),
                () -> DiffRunner.run(b, 2, redis.port(), kvasir.port())));
    }
}
