package io.kvasir.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RealRedis;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RPatternTopic;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Publish/subscribe through real clients: Jedis (classic RESP2 and RESP3 {@link RedisClient}),
 * Lettuce (RESP3) and Redisson's topics. Each scenario runs against the real redis-server and
 * against Kvasir; what the client's listener saw, and what the calls returned, must be equal, and
 * are checked against the expected events.
 */
class PubSubClientsTest {
    private static KvasirServer own;

    @BeforeAll
    static void start() {
        own = KvasirServer.builder().port(0).start();
    }

    @AfterAll
    static void stop() {
        own.close();
    }

    private static void sameOnBoth(IntFunction<List<String>> scenario, List<String> expected) {
        List<String> redis = scenario.apply(RealRedis.get().port());
        List<String> kvasir = scenario.apply(own.port());
        assertEquals(redis, kvasir);
        assertEquals(expected, kvasir);
    }

    private static void await(BooleanSupplier done) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!done.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out");
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A JedisPubSub that writes down every event it is told of. */
    private static final class Recorder extends JedisPubSub {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override public void onMessage(String channel, String message) { events.add("message " + channel + " " + message); }
        @Override public void onPMessage(String pattern, String channel, String message) {
            events.add("pmessage " + pattern + " " + channel + " " + message);
        }
        @Override public void onSubscribe(String channel, int n) { events.add("subscribe " + channel + " " + n); }
        @Override public void onUnsubscribe(String channel, int n) { events.add("unsubscribe " + channel + " " + n); }
        @Override public void onPSubscribe(String pattern, int n) { events.add("psubscribe " + pattern + " " + n); }
        @Override public void onPUnsubscribe(String pattern, int n) { events.add("punsubscribe " + pattern + " " + n); }
    }

    /**
     * Subscribes through {@code subscribe} (which blocks its thread, as Jedis does) and publishes with
     * a classic Jedis on another connection.
     */
    private static List<String> jedisScenario(int port, BiConsumer<JedisPubSub, String[]> subscribe) {
        Recorder r = new Recorder();
        Jedis publisher = new Jedis("127.0.0.1", port);
        Thread t = Thread.ofPlatform().start(() -> subscribe.accept(r, new String[] {"jp:a", "jp:b"}));
        await(() -> r.events.size() == 2);
        r.psubscribe("jp:*");
        await(() -> r.events.size() == 3);
        List<String> out = new ArrayList<>();
        out.add("published " + publisher.publish("jp:a", "one"));
        out.add("published " + publisher.publish("jp:c", "two"));
        out.add("published " + publisher.publish("other", "none"));
        out.add("numsub " + publisher.pubsubNumSub("jp:a", "jp:c"));
        out.add("numpat " + publisher.pubsubNumPat());
        await(() -> r.events.size() == 6);
        r.unsubscribe("jp:a", "jp:b");
        await(() -> r.events.size() == 8);
        r.punsubscribe("jp:*");
        await(() -> !t.isAlive());
        publisher.close();
        out.addAll(r.events);
        return out;
    }

    private static final List<String> JEDIS_EXPECTED = List.of("published 2", "published 1", "published 0",
            "numsub {jp:a=1, jp:c=0}", "numpat 1",
            "subscribe jp:a 1", "subscribe jp:b 2", "psubscribe jp:* 3",
            "message jp:a one", "pmessage jp:* jp:a one", "pmessage jp:* jp:c two",
            "unsubscribe jp:a 2", "unsubscribe jp:b 1", "punsubscribe jp:* 0");

    @Test
    void jedisClassicResp2() {
        sameOnBoth(port -> {
            try (Jedis sub = new Jedis("127.0.0.1", port)) {
                return jedisScenario(port, sub::subscribe);
            }
        }, JEDIS_EXPECTED);
    }

    @Test
    void jedisRedisClientResp3() {
        DefaultJedisClientConfig resp3 = DefaultJedisClientConfig.builder().protocol(RedisProtocol.RESP3).build();
        sameOnBoth(port -> {
            try (RedisClient sub = RedisClient.builder().hostAndPort("127.0.0.1", port).clientConfig(resp3).build()) {
                return jedisScenario(port, sub::subscribe);
            }
        }, JEDIS_EXPECTED);
    }

    @Test
    void lettuceResp3() {
        sameOnBoth(port -> {
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(RedisURI.create("127.0.0.1", port));
            try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                    StatefulRedisConnection<String, String> pub = client.connect()) {
                List<String> events = Collections.synchronizedList(new ArrayList<>());
                sub.addListener(new RedisPubSubAdapter<>() {
                    @Override public void message(String channel, String message) { events.add("message " + channel + " " + message); }
                    @Override public void message(String pattern, String channel, String message) {
                        events.add("pmessage " + pattern + " " + channel + " " + message);
                    }
                    @Override public void smessage(String channel, String message) { events.add("smessage " + channel + " " + message); }
                    @Override public void subscribed(String channel, long n) { events.add("subscribe " + channel + " " + n); }
                    @Override public void psubscribed(String pattern, long n) { events.add("psubscribe " + pattern + " " + n); }
                    @Override public void ssubscribed(String channel, long n) { events.add("ssubscribe " + channel + " " + n); }
                    @Override public void unsubscribed(String channel, long n) { events.add("unsubscribe " + channel + " " + n); }
                });
                RedisPubSubCommands<String, String> s = sub.sync();
                s.subscribe("lp:a");
                s.psubscribe("lp:*");
                s.ssubscribe("lp:s");
                List<String> out = new ArrayList<>();
                out.add("ping " + s.ping()); // RESP3: commands still work while subscribed
                out.add("get " + s.get("lp:nokey"));
                out.add("published " + pub.sync().publish("lp:a", "one"));
                out.add("published " + pub.sync().spublish("lp:s", "two"));
                out.add("published " + pub.sync().publish("lp:s", "three"));
                out.add("channels " + pub.sync().pubsubChannels("lp:*"));
                out.add("shardnumsub " + pub.sync().pubsubShardNumsub("lp:s"));
                await(() -> events.size() == 7);
                s.unsubscribe("lp:a");
                await(() -> events.size() == 8);
                out.addAll(events);
                return out;
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }, List.of("ping PONG", "get null", "published 2", "published 1", "published 1", "channels [lp:a]",
                "shardnumsub {lp:s=1}",
                "subscribe lp:a 1", "psubscribe lp:* 2", "ssubscribe lp:s 1",
                "message lp:a one", "pmessage lp:* lp:a one", "smessage lp:s two", "pmessage lp:* lp:s three",
                "unsubscribe lp:a 1"));
    }

    @Test
    void redissonTopics() {
        sameOnBoth(port -> {
            Config config = new Config();
            config.useSingleServer().setAddress("redis://127.0.0.1:" + port);
            RedissonClient redisson = Redisson.create(config);
            try {
                List<String> events = Collections.synchronizedList(new ArrayList<>());
                RTopic topic = redisson.getTopic("rt:news", StringCodec.INSTANCE);
                RPatternTopic pattern = redisson.getPatternTopic("rt:*", StringCodec.INSTANCE);
                int id = topic.addListener(String.class, (ch, msg) -> events.add("topic " + ch + " " + msg));
                pattern.addListener(String.class, (pat, ch, msg) -> events.add("pattern " + pat + " " + ch + " " + msg));
                List<String> out = new ArrayList<>();
                out.add("subscribers " + topic.countSubscribers());
                out.add("published " + topic.publish("hello"));
                await(() -> events.size() == 2);
                events.sort(null); // two connections of Redisson's: their order is not defined
                out.addAll(events);
                topic.removeListener(id);
                out.add("subscribers " + topic.countSubscribers());
                out.add("published " + topic.publish("again"));
                await(() -> events.size() == 3);
                out.add(events.get(2));
                return out;
            } finally {
                redisson.shutdown();
            }
        }, List.of("subscribers 1", "published 2", "pattern rt:* rt:news hello", "topic rt:news hello",
                "subscribers 0", "published 1", "pattern rt:* rt:news again"));
    }

    @Test
    void subscribedClientsShowInClientListAndInfo() {
        for (int port : new int[] {RealRedis.get().port(), own.port()}) {
            Recorder r = new Recorder();
            try (Jedis sub = new Jedis("127.0.0.1", port); Jedis admin = new Jedis("127.0.0.1", port)) {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        sub.subscribe(r, "vis:a", "vis:b");
                    } catch (JedisConnectionException expected) {
                        // killed below
                    }
                });
                await(() -> r.events.size() == 2);
                r.psubscribe("vis:*");
                await(() -> r.events.size() == 3);
                String list = admin.clientList(redis.clients.jedis.args.ClientType.PUBSUB);
                assertTrue(list.contains(" flags=P ") && list.contains(" sub=2 psub=1 ssub=0 "), list);
                String info = admin.info("stats");
                assertTrue(info.contains("pubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:0\r\n"), info);
                assertEquals(1, admin.clientKill(redis.clients.jedis.params.ClientKillParams.clientKillParams()
                        .type(redis.clients.jedis.args.ClientType.PUBSUB)));
                await(() -> !t.isAlive());
                await(() -> admin.info("stats").contains("pubsub_channels:0\r\npubsub_patterns:0\r\n"));
            }
        }
    }
}
