package io.kvasir.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.embed.KvasirServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lettuce 7's client-side cache against Kvasir: a value read once is served from the local cache,
 * and dropped from it when another client writes the key (CLIENT TRACKING invalidation pushes over
 * RESP3). (Jedis 8's cache refuses servers older than Redis 7.4, so it refuses Kvasir as it refuses
 * Redis 7.0.)
 */
class ClientSideCachingTest {
    private static KvasirServer own;
    private static RedisClient lettuce;

    @BeforeAll
    static void start() {
        own = KvasirServer.builder().port(0).start();
        lettuce = RedisClient.create(RedisURI.create("127.0.0.1", own.port()));
    }

    @AfterAll
    static void stop() {
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        own.close();
    }

    @Test
    void lettuceDropsACachedValueAnotherClientWrites() throws Exception {
        Map<String, String> local = new ConcurrentHashMap<>();
        try (StatefulRedisConnection<String, String> tracked = lettuce.connect();
             StatefulRedisConnection<String, String> other = lettuce.connect()) {
            RedisCommands<String, String> writer = other.sync();
            writer.set("csc:lettuce", "v1");
            CacheFrontend<String, String> cache =
                    ClientSideCaching.enable(CacheAccessor.forMap(local), tracked, TrackingArgs.Builder.enabled());
            try {
                assertEquals("v1", cache.get("csc:lettuce"));
                assertEquals("v1", local.get("csc:lettuce"), "the value read is cached locally");
                assertEquals("v1", cache.get("csc:lettuce"));

                writer.set("csc:lettuce", "v2");
                waitFor(() -> !local.containsKey("csc:lettuce"));
                assertEquals("v2", cache.get("csc:lettuce"));
                assertEquals("v2", local.get("csc:lettuce"));

                writer.del("csc:lettuce");
                waitFor(() -> !local.containsKey("csc:lettuce"));
            } finally {
                cache.close();
            }
        }
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("no invalidation within 5s");
            Thread.sleep(10);
        }
    }
}
