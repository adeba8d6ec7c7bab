package io.kvasir.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RealRedis;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * MULTI/EXEC/WATCH through Jedis 8 (classic RESP2 and RedisClient on RESP3) and Lettuce 7 (sync and
 * async), against Kvasir and, where results are compared, the real redis-server.
 */
class TransactionClientsTest {
    private static KvasirServer own;
    private static io.lettuce.core.RedisClient lettuce;

    @BeforeAll
    static void start() {
        own = KvasirServer.builder().port(0).config("io-threads", "2").start();
        lettuce = io.lettuce.core.RedisClient.create(RedisURI.create("127.0.0.1", own.port()));
    }

    @AfterAll
    static void stop() {
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        own.close();
    }

    // ---- Jedis ----

    /** What a classic Jedis transaction returns, with its errors as message strings. */
    private static List<Object> jedisTransaction(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.del("jt:s", "jt:h", "jt:n");
            Transaction t = j.multi();
            Response<String> set = t.set("jt:s", "v");
            Response<Long> bad = t.incr("jt:s");
            Response<Long> hset = t.hset("jt:h", "f", "1");
            Response<Map<String, String>> all = t.hgetAll("jt:h");
            Response<Long> n = t.incrBy("jt:n", 5);
            List<Object> raw = t.exec();
            List<Object> out = new ArrayList<>();
            for (Object o : raw) out.add(o instanceof JedisDataException e ? "error: " + e.getMessage() : o);
            out.add(set.get());
            out.add(assertThrows(JedisDataException.class, bad::get).getMessage());
            out.add(hset.get());
            out.add(all.get());
            out.add(n.get());
            return out;
        }
    }

    @Test
    void classicJedisTransactionGivesRedisResults() {
        assertEquals(jedisTransaction(RealRedis.get().port()), jedisTransaction(own.port()));
    }

    @Test
    void classicJedisWatchDiscardAndAbort() {
        try (Jedis j = new Jedis("127.0.0.1", own.port()); Jedis other = new Jedis("127.0.0.1", own.port())) {
            j.set("jw:k", "1");
            assertEquals("OK", j.watch("jw:k"));
            other.set("jw:k", "2");
            Transaction t = j.multi();
            t.set("jw:k", "3");
            assertNull(t.exec(), "a changed watched key aborts the transaction");
            assertEquals("2", j.get("jw:k"));

            assertEquals("OK", j.watch("jw:k"));
            Transaction t2 = j.multi();
            t2.set("jw:k", "4");
            assertEquals("OK", t2.discard());
            assertEquals("2", j.get("jw:k"));

            Transaction t3 = j.multi();
            t3.set("jw:k", "5");
            assertEquals(List.of("OK"), t3.exec());
            assertEquals("5", j.get("jw:k"));

            Transaction t4 = j.multi();
            t4.set("jw:k", "6");
            t4.sendCommand(() -> "NOSUCHCOMMAND".getBytes(), "x");
            JedisDataException abort = assertThrows(JedisDataException.class, t4::exec);
            assertEquals("EXECABORT Transaction discarded because of previous errors.", abort.getMessage());
            assertEquals("5", j.get("jw:k"));
        }
    }

    @Test
    void redisClientTransactionsOnResp3() {
        try (RedisClient c = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", own.port()))
                .clientConfig(DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build()).build();
                Jedis other = new Jedis("127.0.0.1", own.port())) {
            try (AbstractTransaction t = c.multi()) {
                t.set("jr:k", "1");
                Response<Map<String, String>> all = t.hgetAll("jr:h");
                Response<Long> n = t.incr("jr:n");
                List<Object> results = t.exec();
                assertEquals(3, results.size());
                assertEquals(Map.of(), all.get());
                assertEquals(1L, n.get());
            }
            try (AbstractTransaction t = c.transaction(false)) {
                t.watch("jr:k");
                other.set("jr:k", "changed");
                t.multi();
                t.set("jr:k", "mine");
                assertNull(t.exec());
            }
            assertEquals("changed", c.get("jr:k"));
        }
    }

    // ---- Lettuce ----

    @Test
    void lettuceSyncTransactionWithErrorsAndWatch() {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect();
                StatefulRedisConnection<String, String> otherConn = lettuce.connect()) {
            RedisCommands<String, String> sync = conn.sync(), other = otherConn.sync();
            sync.del("lt:s", "lt:z");
            assertEquals("OK", sync.multi());
            sync.set("lt:s", "v");
            sync.incr("lt:s");
            sync.zadd("lt:z", 1.5, "m");
            sync.zscore("lt:z", "m");
            TransactionResult r = sync.exec();
            assertTrue(!r.wasDiscarded());
            assertEquals(4, r.size());
            assertEquals("OK", r.get(0));
            assertInstanceOf(RedisCommandExecutionException.class, r.get(1));
            assertEquals(1L, (Long) r.get(2));
            assertEquals(1.5, (Double) r.get(3));

            assertEquals("OK", sync.watch("lt:s"));
            other.append("lt:s", "w");
            sync.multi();
            sync.set("lt:s", "mine");
            assertTrue(sync.exec().wasDiscarded());
            assertEquals("vw", sync.get("lt:s"));

            sync.multi();
            sync.set("lt:s", "x");
            assertEquals("OK", sync.discard());
            assertEquals("vw", sync.get("lt:s"));

            sync.multi();
            assertThrows(RedisCommandExecutionException.class, () -> sync.watch("lt:s"));
            sync.set("lt:s", "y");
            assertEquals(List.of("OK"), sync.exec().stream().toList());
        }
    }

    @Test
    void lettuceAsyncTransactionCompletesFuturesAtExec() throws Exception {
        try (StatefulRedisConnection<String, String> conn = lettuce.connect()) {
            RedisAsyncCommands<String, String> async = conn.async();
            async.del("la:l").get(5, TimeUnit.SECONDS);
            async.multi();
            RedisFuture<Long> push = async.rpush("la:l", "a", "b");
            RedisFuture<String> pop = async.lpop("la:l");
            RedisFuture<List<String>> range = async.lrange("la:l", 0, -1);
            TransactionResult r = async.exec().get(5, TimeUnit.SECONDS);
            assertEquals(3, r.size());
            assertEquals(2L, push.get(5, TimeUnit.SECONDS));
            assertEquals("a", pop.get(5, TimeUnit.SECONDS));
            assertEquals(List.of("b"), range.get(5, TimeUnit.SECONDS));
        }
    }

    /** Check-and-set with WATCH from several Lettuce connections at once: no increment is lost. */
    @Test
    void lettuceOptimisticLockingLosesNoUpdate() throws Exception {
        int clients = 4, increments = 100;
        try (StatefulRedisConnection<String, String> setup = lettuce.connect()) {
            setup.sync().set("lc:counter", "0");
        }
        IntFunction<Callable<Integer>> worker = w -> () -> {
            int retries = 0;
            try (StatefulRedisConnection<String, String> conn = lettuce.connect()) {
                RedisCommands<String, String> sync = conn.sync();
                for (int i = 0; i < increments; i++) {
                    while (true) {
                        sync.watch("lc:counter");
                        long n = Long.parseLong(sync.get("lc:counter"));
                        sync.multi();
                        sync.set("lc:counter", Long.toString(n + 1));
                        if (!sync.exec().wasDiscarded()) break;
                        retries++;
                    }
                }
            }
            return retries;
        };
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int w = 0; w < clients; w++) futures.add(pool.submit(worker.apply(w)));
            for (Future<Integer> f : futures) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        try (StatefulRedisConnection<String, String> check = lettuce.connect()) {
            assertEquals(Integer.toString(clients * increments), check.sync().get("lc:counter"));
        }
    }
}
