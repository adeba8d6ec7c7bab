package io.kvasir.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.embed.KvasirServer;
import io.kvasir.store.Entry;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Table;
import io.kvasir.testing.RawClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The registry of watched keys: what marks a watcher dirty, and that every way out forgets its keys. */
class WatchesTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private final Keyspace ks = new Keyspace(2);
    private final Watches watches = new Watches(ks);

    {
        ks.events(watches);
    }

    /** Runs {@code r} holding every stripe lock, as commands hold the locks of their keys. */
    private void locked(Runnable r) {
        ks.lockAll();
        try {
            r.run();
        } finally {
            ks.unlockAll();
        }
    }

    private void watch(Watcher w, int db, String key) {
        locked(() -> watches.watch(w, db, b(key), 0, key.length()));
    }

    private void set(int db, String key, long expireAt) {
        byte[] k = b(key);
        locked(() -> {
            ks.db(db).putString(k, 0, k.length, b("v"), 0, 1, expireAt, new Entry());
            watches.modified(db, k, 0, k.length);
        });
    }

    @Test
    void aChangeMarksEveryWatcherOfThatKeyInThatDatabaseOnly() {
        Watcher a = new Watcher(), b = new Watcher(), c = new Watcher();
        watch(a, 0, "k");
        watch(b, 0, "k");
        watch(c, 1, "k");
        watch(c, 0, "other");
        set(0, "k", Table.NO_EXPIRE);
        assertTrue(a.dirty());
        assertTrue(b.dirty());
        assertFalse(c.dirty());
        for (Watcher w : new Watcher[] {a, b, c}) watches.unwatchAll(w);
        assertFalse(a.dirty());
        assertEquals(0, watches.watched.get());
    }

    @Test
    void watchingTwiceCountsOnce() {
        Watcher a = new Watcher();
        watch(a, 0, "k");
        watch(a, 0, "k");
        watch(a, 1, "k");
        assertEquals(2, a.count());
        assertEquals(2, watches.watched.get());
        watches.unwatchAll(a);
        assertEquals(0, watches.watched.get());
        assertFalse(a.watching());
    }

    @Test
    void reclaimingAKeyThatHadExpiredWhenWatchedIsNoChangeButWritingItIs() {
        Watcher a = new Watcher();
        set(0, "k", 1); // long past
        watch(a, 0, "k");
        byte[] k = b("k");
        locked(() -> assertFalse(ks.db(0).lookup(k, 0, k.length, new Entry()))); // reclaims it
        assertFalse(a.dirty());
        locked(() -> assertFalse(watches.expiredSinceWatched(a)));
        set(0, "k", Table.NO_EXPIRE);
        assertTrue(a.dirty());
        watches.unwatchAll(a);
    }

    @Test
    void aKeyLiveWhenWatchedThatExpiresFailsExec() {
        Watcher a = new Watcher();
        set(0, "k", System.currentTimeMillis() + 60_000);
        watch(a, 0, "k");
        locked(() -> assertFalse(watches.expiredSinceWatched(a)));
        byte[] k = b("k");
        locked(() -> {
            Entry e = new Entry();
            ks.db(0).lookup(k, 0, k.length, e);
            e.expireAt(1); // as if its deadline had passed
        });
        assertFalse(a.dirty());
        locked(() -> assertTrue(watches.expiredSinceWatched(a)));
        watches.unwatchAll(a);
    }

    @Test
    void flushAndSwapTouchOnlyWhatTheyChange() {
        Watcher here = new Watcher(), absent = new Watcher(), other = new Watcher();
        set(0, "k", Table.NO_EXPIRE);
        watch(here, 0, "k");
        watch(absent, 0, "nope");
        watch(other, 1, "k");
        locked(() -> ks.db(1).clear());
        assertFalse(here.dirty() || absent.dirty() || other.dirty());
        locked(() -> ks.swap(0, 1)); // k moves from 0 to 1: both watchers of k see it
        assertTrue(here.dirty());
        assertTrue(other.dirty());
        assertFalse(absent.dirty());
        for (Watcher w : new Watcher[] {here, absent, other}) watches.unwatchAll(w);
        Watcher again = new Watcher();
        watch(again, 1, "k");
        locked(() -> ks.db(1).clear());
        assertTrue(again.dirty());
        watches.unwatchAll(again);
    }

    @Test
    void aClientThatLeavesForgetsItsWatchedKeys() throws Exception {
        try (KvasirServer server = KvasirServer.builder().port(0).start()) {
            Watches registry = server.kvasir().watches();
            try (RawClient quitting = new RawClient(server.port()); RawClient killed = new RawClient(server.port());
                    RawClient admin = new RawClient(server.port())) {
                String id = killed.call("CLIENT", "ID").replaceAll("[^0-9]", "");
                assertEquals("+OK\r\n", quitting.call("WATCH", "a", "b", "c"));
                assertEquals("+OK\r\n", killed.call("WATCH", "a", "d"));
                assertEquals("+OK\r\n", killed.call("MULTI"));
                assertEquals("+QUEUED\r\n", killed.call("SET", "a", "v"));
                assertEquals(5, registry.watched.get());
                assertEquals("+OK\r\n", quitting.call("QUIT"));
                assertEquals(":1\r\n", admin.call("CLIENT", "KILL", "ID", id));
                long deadline = System.currentTimeMillis() + 5000;
                while (registry.watched.get() != 0 && System.currentTimeMillis() < deadline) Thread.sleep(10);
                assertEquals(0, registry.watched.get());
                assertEquals("$-1\r\n", admin.call("GET", "a"));
            }
        }
    }
}
