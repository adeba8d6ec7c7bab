package io.kvasir.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RealRedis;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.commands.JedisCommands;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.LPosParams;

/**
 * The list commands as Jedis (classic RESP2 and RESP3 {@link RedisClient}) and Lettuce (RESP3)
 * call them, including blocking pops woken by another connection. Each client runs the same calls
 * against the real redis-server and against Kvasir; the decoded results must be equal, and are
 * checked against the expected values.
 */
class ListClientsTest {
    private static KvasirServer own;

    @BeforeAll
    static void start() {
        own = KvasirServer.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    /** The common list calls through Jedis's command interface, results in order. */
    private static List<Object> jedisCalls(JedisCommands j) {
        List<Object> out = new ArrayList<>();
        j.del("jl", "jm", "jn");
        out.add(j.rpush("jl", "a", "b", "c", "1", "2"));
        out.add(j.lpush("jl", "z"));
        out.add(j.lrange("jl", 0, -1));
        out.add(j.llen("jl"));
        out.add(j.lindex("jl", -1));
        out.add(j.lset("jl", 1, "A"));
        out.add(j.linsert("jl", ListPosition.AFTER, "A", "after"));
        out.add(j.lrem("jl", 0, "b"));
        out.add(j.lpos("jl", "1"));
        out.add(j.lpos("jl", "c", LPosParams.lPosParams().rank(-1)));
        out.add(j.lpos("jl", "2", LPosParams.lPosParams().maxlen(2), 0));
        out.add(j.lpop("jl"));
        out.add(j.rpop("jl", 2));
        out.add(j.lmove("jl", "jm", ListDirection.LEFT, ListDirection.RIGHT));
        out.add(j.rpoplpush("jl", "jm"));
        out.add(j.lrange("jm", 0, -1));
        out.add(j.ltrim("jm", 0, 0));
        out.add(String.valueOf(j.lmpop(ListDirection.RIGHT, 5, "nokey", "jl", "jm")));
        out.add(String.valueOf(j.lmpop(ListDirection.LEFT, "nokey")));
        out.add(j.lpushx("jn", "x"));
        out.add(j.exists("jl", "jm", "jn"));
        j.rpush("jn", "p", "q");
        out.add(String.valueOf(j.blpop(0.0, "nokey", "jn")));
        out.add(j.brpop(0, "jn"));
        out.add(j.blpop(0.05, "jn"));
        out.add(j.blmove("nokey", "jn", ListDirection.LEFT, ListDirection.LEFT, 0.05));
        out.add(String.valueOf(j.blmpop(0.05, ListDirection.LEFT, "jn")));
        j.set("js", "string");
        out.add(assertThrows(JedisDataException.class, () -> j.rpush("js", "x")).getMessage());
        out.add(assertThrows(JedisDataException.class, () -> j.lset("jn", 0, "x")).getMessage());
        j.del("js");
        return out;
    }

    private static void compare(Function<Integer, JedisCommands> connect) throws Exception {
        List<Object> expected, actual;
        JedisCommands r = connect.apply(RealRedis.get().port()), k = connect.apply(own.port());
        try {
            expected = jedisCalls(r);
            actual = jedisCalls(k);
        } finally {
            ((AutoCloseable) r).close();
            ((AutoCloseable) k).close();
        }
        assertEquals(expected, actual);
        assertEquals(List.of("z", "a", "b", "c", "1", "2"), actual.get(2));
        assertEquals(List.of("c", "A"), actual.get(15));
    }

    @Test
    void jedisClassicInResp2() throws Exception {
        compare(port -> new Jedis("127.0.0.1", port));
    }

    @Test
    void jedisRedisClientInResp3() throws Exception {
        compare(port -> RedisClient.builder().hostAndPort("127.0.0.1", port)
                .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build()).build());
    }

    @Test
    void jedisBlpopIsWokenByAnotherConnection() throws Exception {
        try (Jedis waiter = new Jedis("127.0.0.1", own.port()); Jedis pusher = new Jedis("127.0.0.1", own.port())) {
            pusher.del("jw");
            Thread t = new Thread(() -> {
                try {
                    while (!pusher.info("clients").contains("blocked_clients:1")) Thread.sleep(2);
                    pusher.rpush("jw", "hello");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            assertEquals(List.of("jw", "hello"), waiter.blpop(5, "jw"));
            t.join();
        }
    }

    /** The common list calls through Lettuce's sync API, results in order. */
    private static List<Object> lettuceCalls(RedisCommands<String, String> s) {
        List<Object> out = new ArrayList<>();
        s.del("ll", "lm");
        out.add(s.rpush("ll", "a", "b", "a", "c"));
        out.add(s.lrange("ll", 0, -1));
        out.add(s.lpos("ll", "a"));
        out.add(s.lpos("ll", "a", 0));
        out.add(s.lpos("ll", "a", 1, LPosArgs.Builder.rank(-1)));
        out.add(s.lmove("ll", "lm", LMoveArgs.Builder.rightLeft()));
        out.add(s.lmpop(LMPopArgs.Builder.left().count(2), "nokey", "ll"));
        out.add(s.lpop("ll", 5));
        out.add(s.blpop(0.05, "ll"));
        out.add(s.blmove("lm", "ll", LMoveArgs.Builder.leftRight(), 0.05));
        out.add(s.blmpop(0.05, LMPopArgs.Builder.right(), "lm", "ll"));
        out.add(s.llen("ll"));
        out.add(assertThrows(RedisCommandExecutionException.class, () -> s.lpop("ll", -1)).getMessage());
        return out;
    }

    @Test
    void lettuceInResp3() throws Exception {
        List<List<Object>> results = new ArrayList<>();
        for (int port : new int[] {RealRedis.get().port(), own.port()}) {
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(RedisURI.create("127.0.0.1", port));
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                results.add(lettuceCalls(conn.sync()));
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        assertEquals(results.get(0), results.get(1));
        assertEquals(KeyValue.just("ll", List.of("a", "b")), results.get(1).get(6));
        assertNull(results.get(1).get(8)); // BLPOP on an emptied list timed out
    }

    @Test
    void lettuceAsyncBlmoveIsWokenByAnotherConnection() throws Exception {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(RedisURI.create("127.0.0.1", own.port()));
        try (StatefulRedisConnection<String, String> waiter = client.connect();
                StatefulRedisConnection<String, String> pusher = client.connect()) {
            pusher.sync().del("la", "lb");
            RedisFuture<String> moved = waiter.async().blmove("la", "lb", LMoveArgs.Builder.leftLeft(), 5.0);
            while (!pusher.sync().info("clients").contains("blocked_clients:1")) Thread.sleep(2);
            assertEquals(2L, pusher.sync().rpush("la", "first", "second"));
            assertEquals("first", moved.get(5, TimeUnit.SECONDS));
            assertEquals(List.of("first"), pusher.sync().lrange("lb", 0, -1));
            assertEquals(List.of("second"), pusher.sync().lrange("la", 0, -1));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
