package io.kvasir.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.TestServers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What CLIENT LIST and INFO show of client-side caching, and tracking-table-max-keys, with the same
 * scenario run on the real redis-server and on Kvasir. Client ids differ between the two, so the
 * scenario reports them by role.
 */
class TrackingObservabilityTest {

    @Test
    void clientListFlagsAndRedirectAsRedis() throws IOException {
        assertEquals(clientListScenario(RealRedis.get().port()), clientListScenario(TestServers.kvasir().port()));
    }

    /** The flags and redir fields of a tracking client's CLIENT LIST line, at each step. */
    private static List<String> clientListScenario(int port) throws IOException {
        List<String> seen = new ArrayList<>();
        try (RawClient a = new RawClient(port); RawClient r = new RawClient(port); RawClient w = new RawClient(port)) {
            String aid = id(a), rid = id(r);
            seen.add(line(w, aid, rid));
            a.call("CLIENT", "TRACKING", "on");
            seen.add(line(w, aid, rid));
            a.call("CLIENT", "TRACKING", "on", "redirect", rid, "optin");
            seen.add(line(w, aid, rid));
            a.call("CLIENT", "TRACKING", "off");
            a.call("CLIENT", "TRACKING", "on", "bcast", "redirect", rid);
            seen.add(line(w, aid, rid));
            w.call("CLIENT", "KILL", "ID", rid);
            w.call("SET", "obs:k", "1"); // an invalidation finds the redirect client gone
            seen.add(line(w, aid, rid));
            a.call("WATCH", "obs:k");
            w.call("SET", "obs:k", "2");
            a.call("CLIENT", "NO-EVICT", "on");
            a.call("MULTI");
            seen.add(line(w, aid, rid));
            a.call("DISCARD");
            a.call("CLIENT", "NO-EVICT", "off");
            a.call("CLIENT", "TRACKING", "on", "bcast");
            seen.add(line(w, aid, rid));
            a.call("RESET");
            seen.add(line(w, aid, rid));
        }
        return seen;
    }

    private static String id(RawClient c) throws IOException {
        String r = c.call("CLIENT", "ID");
        return r.substring(1, r.length() - 2);
    }

    private static final Pattern FIELDS = Pattern.compile(" (flags=\\S*) .* (redir=\\S*) ");

    /** "flags=... redir=..." of client {@code aid}, ids named by role. */
    private static String line(RawClient w, String aid, String rid) throws IOException {
        String reply = w.call("CLIENT", "LIST", "ID", aid);
        Matcher m = FIELDS.matcher(reply);
        assertTrue(m.find(), reply);
        return m.group(1) + " " + m.group(2).replace("redir=" + rid, "redir=R").replace("redir=" + aid, "redir=A");
    }

    @Test
    void infoCountsAsRedis() throws IOException {
        assertEquals(infoScenario(RealRedis.get().port()), infoScenario(TestServers.kvasir().port()));
    }

    /**
     * INFO's tracking fields at each step: keys and items absolute (FLUSHALL empties the table), the
     * client and prefix counts as changes from the start (other tests' connections may still be closing).
     */
    private static List<String> infoScenario(int port) throws IOException {
        List<String> seen = new ArrayList<>();
        try (RawClient admin = new RawClient(port); RawClient t1 = new RawClient(port); RawClient t2 = new RawClient(port);
             RawClient b1 = new RawClient(port); RawClient b2 = new RawClient(port)) {
            admin.call("FLUSHALL");
            long[] base = counts(admin);
            seen.add(delta(counts(admin), base));
            t1.call("CLIENT", "TRACKING", "on");
            t1.call("MGET", "i:1", "i:2", "i:3");
            t2.call("CLIENT", "TRACKING", "on");
            t2.call("GET", "i:1");
            t2.call("GET", "i:1");
            seen.add(delta(counts(admin), base));
            b1.call("CLIENT", "TRACKING", "on", "bcast", "prefix", "a", "prefix", "b");
            b2.call("CLIENT", "TRACKING", "on", "bcast", "prefix", "a");
            b2.call("CLIENT", "TRACKING", "on", "bcast");
            seen.add(delta(counts(admin), base));
            admin.call("SET", "i:1", "x");
            seen.add(delta(counts(admin), base));
            t1.call("CLIENT", "TRACKING", "off"); // what it read stays in the table
            b1.call("CLIENT", "TRACKING", "off");
            seen.add(delta(counts(admin), base));
            admin.call("DEL", "i:2", "i:3");
            b2.call("RESET");
            seen.add(delta(counts(admin), base));
            t2.call("GET", "i:4");
            admin.call("FLUSHDB");
            seen.add(delta(counts(admin), base));
        }
        return seen;
    }

    /** tracking_clients, tracking_total_keys, tracking_total_items, tracking_total_prefixes. */
    private static long[] counts(RawClient c) throws IOException {
        String info = c.call("INFO", "everything");
        String[] names = {"tracking_clients", "tracking_total_keys", "tracking_total_items", "tracking_total_prefixes"};
        long[] out = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            Matcher m = Pattern.compile("\r\n" + names[i] + ":(\\d+)\r\n").matcher(info);
            assertTrue(m.find(), names[i]);
            out[i] = Long.parseLong(m.group(1));
        }
        return out;
    }

    private static String delta(long[] now, long[] base) {
        return "clients+" + (now[0] - base[0]) + " keys=" + now[1] + " items=" + now[2] + " prefixes+" + (now[3] - base[3]);
    }

    /**
     * Past tracking-table-max-keys the table evicts keys, sending their invalidations: after reading
     * ten keys with a limit of three, seven distinct ones are announced and three stay tracked, on
     * both servers (which seven is chance on both).
     */
    @Test
    void tableOverTheLimitEvictsWithInvalidations() throws IOException {
        for (int port : new int[] {RealRedis.get().port(), TestServers.kvasir().port()}) {
            try (RawClient admin = new RawClient(port); RawClient t = new RawClient(port)) {
                admin.call("FLUSHALL");
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "tracking-table-max-keys", "3"));
                try {
                    t.call("HELLO", "3");
                    t.call("CLIENT", "TRACKING", "on");
                    Set<String> read = new HashSet<>();
                    for (int i = 0; i < 10; i++) {
                        read.add("e:" + i);
                        t.command("GET", "e:" + i);
                    }
                    Set<String> evicted = new HashSet<>();
                    int replies = 0;
                    while (replies < 10 || evicted.size() < 7) {
                        String r = t.readReply();
                        if (r.startsWith(">")) {
                            Set<String> keys = TrackingConcurrencyTest.keysOf(r);
                            assertTrue(read.containsAll(keys), r);
                            for (String k : keys) assertTrue(evicted.add(k), "announced twice: " + k);
                        } else {
                            replies++;
                        }
                    }
                    assertEquals(7, evicted.size(), "port " + port);
                    assertEquals("+PONG\r\n", t.call("PING"), "nothing more was announced");
                    assertEquals(3, counts(admin)[1], "tracked keys, port " + port);
                    // a key still tracked is announced when written, an evicted one is not
                    read.removeAll(evicted);
                    String kept = read.iterator().next(), gone = evicted.iterator().next();
                    admin.call("SET", gone, "1");
                    admin.call("SET", kept, "1");
                    assertEquals(Set.of(kept), TrackingConcurrencyTest.keysOf(t.readReply()));
                } finally {
                    admin.call("CONFIG", "SET", "tracking-table-max-keys", "1000000");
                }
            }
        }
    }
}
