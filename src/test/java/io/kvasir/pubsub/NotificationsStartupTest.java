package io.kvasir.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvasir.embed.KvasirServer;
import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * notify-keyspace-events given at startup, which the differential scripts (CONFIG SET on a running
 * server) do not reach: the real server and Kvasir start with the same value, run the same commands,
 * and a subscriber on each must read the same bytes. "AKEn" is the case where the value shown ("AKE")
 * does not say everything in force: new keys are still notified.
 */
class NotificationsStartupTest {
    /** PING's reply to a subscribed RESP2 client. */
    private static final String PONG = "*2\r\n$4\r\npong\r\n$0\r\n\r\n";

    @Test
    void classesGivenAtStartupAreInForce() throws Exception {
        compare("AKEn");
        compare("Elx");
    }

    private static void compare(String classes) throws Exception {
        try (RealRedis redis = RealRedis.startDedicated("--notify-keyspace-events", classes);
                KvasirServer kvasir = KvasirServer.builder().port(0).config("notify-keyspace-events", classes).start()) {
            assertEquals(run(redis.port()), run(kvasir.port()), classes);
        }
    }

    /** What a subscriber reads while another client writes, and CONFIG GET of the directive. */
    private static List<String> run(int port) throws Exception {
        List<String> seen = new ArrayList<>();
        try (RawClient sub = new RawClient(port); RawClient main = new RawClient(port)) {
            seen.add(main.call("CONFIG", "GET", "notify-keyspace-events"));
            seen.add(sub.call("PSUBSCRIBE", "__key*@*__:*"));
            main.call("SET", "k", "v");
            main.call("RPUSH", "l", "a");
            main.call("LPOP", "l");
            main.call("SET", "e", "v", "PX", "1");
            Thread.sleep(10);
            main.call("GET", "e"); // expired by now: actively or by this lookup, an "expired" either way
            sub.command("PING"); // its reply comes after every message published so far
            String reply;
            do {
                reply = sub.readReply();
                seen.add(reply);
            } while (!reply.equals(PONG));
        }
        return seen;
    }
}
