package io.kvasir.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingInfo;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Lettuce 7 against Kvasir: it opens with HELLO 3 and then speaks RESP3. */
class LettuceClientTest {
    private static KvasirServer own;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        own = KvasirServer.builder().port(0).start();
        client = RedisClient.create(RedisURI.create("127.0.0.1", own.port()));
    }

    @AfterAll
    static void stop() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        own.close();
    }

    @Test
    void handshakeIsHello3AndTheConnectionSpeaksResp3() throws Exception {
        try (RawClient monitor = new RawClient(own.port())) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> sync = conn.sync();
                assertEquals("PONG", sync.ping());
                String hello = monitor.readReply();
                assertTrue(hello.contains("\"HELLO\" \"3\""), hello);
                assertTrue(sync.clientInfo().trim().endsWith(" resp=3"), sync.clientInfo());
            }
        }
    }

    @Test
    void commandsAndClientSubcommands() {
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            assertEquals("OK", sync.set("lettuce:k", "v"));
            assertEquals("v", sync.get("lettuce:k"));
            assertEquals("OK", sync.clientSetname("lettuce-app"));
            assertEquals("lettuce-app", sync.clientGetname());
            long id = sync.clientId();
            assertTrue(sync.clientList().contains("id=" + id + " "));
            assertEquals(-1L, sync.clientGetredir());
            TrackingInfo tracking = sync.clientTrackinginfo();
            assertEquals(-1L, tracking.getRedirect());
            assertTrue(tracking.getFlags().contains(TrackingInfo.TrackingFlag.OFF), tracking.toString());
            assertEquals("OK", sync.clientNoEvict(true));
            assertEquals("OK", sync.clientPause(1));
        }
    }

    @Test
    void clientSetinfoIsAnsweredAsByRedis70() {
        Function<Integer, String> attempt = port -> {
            RedisClient c = RedisClient.create(RedisURI.create("127.0.0.1", port));
            try (StatefulRedisConnection<String, String> conn = c.connect()) {
                return assertThrows(RedisCommandExecutionException.class,
                        () -> conn.sync().clientSetinfo("lib-name", "kvasir-test")).getMessage();
            } finally {
                c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        };
        assertEquals(attempt.apply(RealRedis.get().port()), attempt.apply(TestServers.kvasir().port()));
    }

    @Test
    void asyncPipelineWithManualFlush() throws Exception {
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisAsyncCommands<String, String> async = conn.async();
            conn.setAutoFlushCommands(false);
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                async.set("lettuce:pipe:" + i, "p" + i);
                gets.add(async.get("lettuce:pipe:" + i));
            }
            conn.flushCommands();
            for (int i = 0; i < 1000; i++) assertEquals("p" + i, gets.get(i).get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void oneConnectionSharedByThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        String key = "lettuce:thread:" + thread + ":" + i;
                        assertEquals("OK", sync.set(key, thread + "/" + i));
                        assertEquals(thread + "/" + i, sync.get(key));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void passwordsAsByRedis() {
        try (RealRedis redis = RealRedis.startDedicated("--requirepass", "secret");
                KvasirServer kvasir = KvasirServer.builder().port(0).config("requirepass", "secret").start()) {
            for (int port : new int[] {redis.port(), kvasir.port()}) {
                RedisClient c = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                        .withPassword("secret".toCharArray()).withClientName("with-password").build());
                try (StatefulRedisConnection<String, String> conn = c.connect()) {
                    assertEquals("PONG", conn.sync().ping());
                    assertEquals("with-password", conn.sync().clientGetname());
                } finally {
                    c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                }
            }
            Function<Integer, String> wrong = port -> {
                RedisClient c = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                        .withPassword("wrong".toCharArray()).build());
                try {
                    RedisConnectionException e = assertThrows(RedisConnectionException.class, c::connect);
                    Throwable root = e;
                    while (root.getCause() != null) root = root.getCause();
                    return root.getMessage();
                } finally {
                    c.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                }
            };
            assertEquals(wrong.apply(redis.port()), wrong.apply(kvasir.port()));
        }
    }
}
