package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kvasir.metrics.Counter;
import io.kvasir.metrics.Counters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LazyExpiryTest {

    @Test
    void aKeyPastItsDeadlineIsDeletedOnAccessAndCounted() {
        Keyspace ks = new Keyspace(1);
        Counter expired = new Counters().counter();
        ks.countExpiredIn(expired);
        Db db = ks.db(0);
        byte[] a = "a".getBytes(StandardCharsets.US_ASCII), b = "b".getBytes(StandardCharsets.US_ASCII);
        byte[] v = "v".getBytes(StandardCharsets.US_ASCII);
        Entry e = new Entry();
        db.putString(a, 0, 1, v, 0, 1, Clock.now() - 1, e);
        db.putString(b, 0, 1, v, 0, 1, Clock.now() - 1, e);
        assertEquals(2, db.size());
        assertFalse(db.lookup(a, 0, 1, e));
        assertFalse(db.delete(b, 0, 1), "DEL of an expired key deletes nothing visible");
        assertEquals(0, db.size());
        assertEquals(2, expired.sum());
    }
}
