package io.kvasir.diff;

import io.kvasir.testing.DiffRunner;
import io.kvasir.testing.DiffScript;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every script under src/test/resources/diff, block by block, in RESP2 and RESP3, against the
 * real redis-server: raw reply bytes must be equal. {@code -Ddiff.only=NAME} runs the scripts whose
 * file name starts with NAME.
 */
class DifferentialTest {

    @TestFactory
    Stream<DynamicNode> scripts() throws IOException, URISyntaxException {
        RealRedis redis = RealRedis.get();
        int kvasirPort = TestServers.kvasir().port();
        URL dir = DifferentialTest.class.getResource("/diff");
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of(dir.toURI()))) {
            String only = System.getProperty("diff.only", ""); // e.g. -Ddiff.only=lists runs lists.txt alone
            files = s.filter(p -> p.toString().endsWith(".txt") && p.getFileName().toString().startsWith(only))
                    .sorted().toList();
        }
        List<DynamicNode> nodes = new ArrayList<>();
        for (Path f : files) {
            List<DiffScript.Block> blocks;
            try (InputStream in = Files.newInputStream(f)) {
                blocks = DiffScript.parse(f.getFileName().toString(), in);
            }
            List<DynamicNode> tests = new ArrayList<>();
            for (DiffScript.Block b : blocks) {
                for (int resp : new int[] {2, 3}) {
                    if ((resp == 2 && !b.resp2()) || (resp == 3 && !b.resp3())) continue;
                    tests.add(DynamicTest.dynamicTest(b.name() + " [RESP" + resp + "]",
                            () -> DiffRunner.run(b, resp, redis.port(), kvasirPort)));
                }
            }
            nodes.add(DynamicContainer.dynamicContainer(f.getFileName().toString(), tests));
        }
        return nodes.stream();
    }
}
