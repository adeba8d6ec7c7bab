package io.kvasir.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ClientAttributeOption;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SortingParams;

/**
 * Jedis 8 against Kvasir: the classic {@link Jedis} (RESP2) and {@link RedisClient} (HELLO 3
 * first). Where a reply is compared, it is compared with the real redis-server's.
 */
class JedisClientTest {
    private static KvasirServer own; // a server of this class's own, so CLIENT LIST shows only our clients

    @BeforeAll
    static void start() {
        own = KvasirServer.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    @Test
    void classicJedisWorksInResp2() {
        try (Jedis j = new Jedis("127.0.0.1", own.port())) {
            assertEquals("PONG", j.ping());
            assertEquals("OK", j.set("jedis:classic", "v1"));
            assertEquals("v1", j.get("jedis:classic"));
            assertEquals("OK", j.clientSetname("classic"));
            assertEquals("classic", j.clientGetname());
            String info = j.clientInfo();
            assertTrue(info.startsWith("id=" + j.clientId() + " "), info);
            assertTrue(info.contains(" name=classic "), info);
            assertTrue(info.trim().endsWith(" resp=2"), info);
        }
    }

    @Test
    void redisClientWithResp3SendsHello3First() throws Exception {
        try (RawClient monitor = new RawClient(own.port());
                RedisClient client = RedisClient.builder().hostAndPort("127.0.0.1", own.port())
                        .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build()).build()) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            assertEquals("PONG", client.ping());
            assertEquals("OK", client.set("jedis:resp3", "v3"));
            assertEquals("v3", client.get("jedis:resp3"));
            String hello = monitor.readReply();
            assertTrue(hello.contains("\"HELLO\" \"3\""), hello);
            try (RawClient raw = new RawClient(own.port())) {
                String list = raw.call("CLIENT", "LIST");
                assertTrue(list.lines().anyMatch(l -> l.contains(" cmd=get ") && l.endsWith(" resp=3")), list);
            }
        }
    }

    @Test
    void redisClientWithDefaults() {
        try (RedisClient client = RedisClient.create("127.0.0.1", own.port())) {
            assertEquals("PONG", client.ping());
            assertEquals("OK", client.set("jedis:default", "d"));
            assertEquals("d", client.get("jedis:default"));
        }
    }

    @Test
    void clientSetInfoIsAnsweredAsByRedis70() {
        Function<Integer, String> attempt = port -> {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", j.ping()); // the handshake's own CLIENT SETINFO did not break the connection
                return assertThrows(JedisDataException.class,
                        () -> j.clientSetInfo(ClientAttributeOption.LIB_NAME, "kvasir-test")).getMessage();
            }
        };
        assertEquals(attempt.apply(RealRedis.get().port()), attempt.apply(TestServers.kvasir().port()));
    }

    @Test
    void pipelineOfAThousandCommands() {
        try (Jedis j = new Jedis("127.0.0.1", own.port())) {
            Pipeline p = j.pipelined();
            List<Response<String>> gets = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                p.set("jedis:pipe:" + i, "value-" + i);
                gets.add(p.get("jedis:pipe:" + i));
            }
            p.sync();
            for (int i = 0; i < 500; i++) assertEquals("value-" + i, gets.get(i).get());
        }
    }

    @Test
    void severalThreadsWithTheirOwnConnectionsAndASharedPool() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (RedisClient shared = RedisClient.builder().hostAndPort("127.0.0.1", own.port()).build()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", own.port())) {
                        j.clientSetname("worker-" + thread);
                        for (int i = 0; i < 200; i++) {
                            String key = "jedis:thread:" + thread + ":" + i;
                            assertEquals("OK", j.set(key, "j" + i));
                            assertEquals("j" + i, shared.get(key));
                            assertEquals("OK", shared.set(key, "s" + i));
                            assertEquals("s" + i, j.get(key));
                        }
                        assertEquals("worker-" + thread, j.clientGetname());
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
                HostAndPort at = new HostAndPort("127.0.0.1", port);
                try (Jedis j = new Jedis(at, DefaultJedisClientConfig.builder().password("secret").build());
                        RedisClient r = RedisClient.builder().hostAndPort(at)
                                .clientConfig(DefaultJedisClientConfig.builder().password("secret")
                                        .protocol(RedisProtocol.RESP3).build()).build()) {
                    assertEquals("PONG", j.ping());
                    assertEquals("OK", r.set("jedis:auth", "a"));
                    assertEquals("a", j.get("jedis:auth"));
                }
            }
            Function<Integer, String> noPassword = port -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    return assertThrows(JedisDataException.class, j::ping).getMessage();
                }
            };
            assertEquals(noPassword.apply(redis.port()), noPassword.apply(kvasir.port()));
            Function<Integer, String> wrongPassword = port -> {
                HostAndPort at = new HostAndPort("127.0.0.1", port);
                return assertThrows(JedisDataException.class, () -> {
                    try (RedisClient r = RedisClient.builder().hostAndPort(at).clientConfig(
                            DefaultJedisClientConfig.builder().password("wrong").protocol(RedisProtocol.RESP3).build())
                            .build()) {
                        r.ping();
                    }
                }).getMessage();
            };
            assertEquals(wrongPassword.apply(redis.port()), wrongPassword.apply(kvasir.port()));
        }
    }

    @Test
    void sortAsByRedis() {
        Function<Integer, List<Object>> calls = port -> {
            List<Object> out = new ArrayList<>();
            String l = "jedis:sort:l", w = "jedis:sort:w_", o = "jedis:sort:o_", dst = "jedis:sort:dst";
            try (Jedis j = new Jedis("127.0.0.1", port);
                    RedisClient r = RedisClient.builder().hostAndPort("127.0.0.1", port)
                            .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build()).build()) {
                j.del(l, dst, w + "1", w + "2", w + "3", o + "1", o + "3");
                j.rpush(l, "3", "1", "2");
                j.mset(w + "1", "30", w + "2", "10", w + "3", "20", o + "1", "one", o + "3", "three");
                out.add(j.sort(l));
                out.add(j.sort(l, new SortingParams().desc().limit(0, 2)));
                out.add(j.sort(l, new SortingParams().by(w + "*").get("#", o + "*")));
                out.add(r.sort(l, new SortingParams().by(w + "*").desc().get(o + "*")));
                out.add(j.sort(l, new SortingParams().nosort().alpha()));
                out.add(r.sortReadonly(l, new SortingParams().alpha().desc()));
                out.add(j.sort(l, new SortingParams().by(w + "*").get(o + "*"), dst));
                out.add(j.lrange(dst, 0, -1));
                out.add(r.sort(l, dst));
                j.rpush(l, "x");
                out.add(assertThrows(JedisDataException.class, () -> j.sort(l)).getMessage());
                j.del(l, dst, w + "1", w + "2", w + "3", o + "1", o + "3");
            }
            return out;
        };
        assertEquals(calls.apply(RealRedis.get().port()), calls.apply(own.port()));
    }
}
