package io.kvasir.store;

import io.kvasir.metrics.Counter;
import io.kvasir.metrics.Counters;
import java.util.function.BooleanSupplier;

/**
 * All databases, split by cluster hash slot into {@link #STRIPES} stripes, each with its own
 * lock. Slot {@code s} lives in stripe {@code s >>> SLOT_SHIFT}, so a stripe is a run of
 * consecutive slots and keys with the same {hash tag} always share a stripe.
 */
public final class Keyspace {
    public static final int STRIPES = 256;
    static final int SLOT_SHIFT = Integer.numberOfTrailingZeros(Crc16.SLOTS / STRIPES);

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Db[] dbs;
    // What a key's access field holds: the LRU clock, or the LFU counter (maxmemory-policy *-lfu).
    private volatile boolean lfu;
    private volatile int lfuLogFactor = 10;
    private volatile int lfuDecayTime = 1;
    private final EncodingLimits limits = new EncodingLimits();
    private Counter expired = new Counters().counter();
    private KeyEvents events = KeyEvents.NONE;
    /** Keyspace notifications of keys created and expired; null while none is wanted (read on every write). */
    volatile KeyNotices notices;
    /** True while expired keys must stay stored (CLIENT PAUSE WRITE/ALL): a lookup treats them as absent. */
    private BooleanSupplier expiryHeld = () -> false;

    public Keyspace(int databases) {
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Stripe(i, databases);
        dbs = new Db[databases];
        for (int i = 0; i < databases; i++) dbs[i] = new Db(this, i);
    }

    public int databases() { return dbs.length; }

    /** Where keys deleted on access because their deadline passed are counted (INFO expired_keys). */
    public void countExpiredIn(Counter counter) { this.expired = counter; }

    void expiredOnAccess() { expired.increment(); }

    /** Set once, before the server takes requests: while it says so, lookups leave expired keys in place. */
    public void holdExpiryWhile(BooleanSupplier held) { this.expiryHeld = held; }

    /** True while expired keys must stay stored (CLIENT PAUSE). */
    public boolean expiryHeld() { return expiryHeld.getAsBoolean(); }

    /**
     * Deletes a key found past its deadline on access, unless deletions are held (a paused
     * dataset must not change, as in Redis, which then answers as if the key were gone and
     * deletes it after the pause).
     */
    void expireOnAccess(int db, Table t, int s) {
        if (expiryHeld()) return;
        removeExpired(db, t, s);
        expiredOnAccess();
    }

    public Db db(int index) { return dbs[index]; }

    /** Who follows changes to keys; set once, before the server takes requests. */
    public void events(KeyEvents e) { this.events = e; }

    public KeyEvents events() { return events; }

    /** Who is told of keys created and expired (keyspace notifications), or null for nobody; may change at any time. */
    public void notices(KeyNotices n) { this.notices = n; }

    /**
     * Deletes the key at slot {@code s} of table {@code t} (of database {@code db}), whose deadline
     * has passed, telling the followers first: in Redis an expired key's deletion is a change to
     * it (a WATCH on it fails, unless it had already expired when watched), and an "expired" keyspace
     * notification. The caller holds the stripe lock and counts the expiry.
     */
    public void removeExpired(int db, Table t, int s) {
        events.modified(db, t.keyArray(s), t.keyOffset(s), t.keyLength(s));
        KeyNotices n = notices;
        if (n != null) n.expired(db, t.keyArray(s), t.keyOffset(s), t.keyLength(s));
        t.removeAt(s);
    }

    public Stripe stripe(int index) { return stripes[index]; }

    /**
     * Loads into the cache what looking up these keys of database {@code db} will read, for
     * {@code n} keys at once: first every key's index slot, then every entry those slots point
     * at. The loads of one pass do not depend on each other, so the processor overlaps their cache
     * misses instead of taking them one request at a time, as executing a pipeline does. Reads
     * only, without locks: a hint, never a result.
     */
    public int prefetch(int db, byte[] buf, int[] offs, int[] lens, int n, Table[] tables, long[] slots) {
        for (int i = 0; i < n; i++) {
            if (i > 0 && sameKey(buf, offs[i - 1], lens[i - 1], offs[i], lens[i])) { // a pipeline on one key: loaded already
                tables[i] = null;
                continue;
            }
            Table t = stripes[stripeOf(buf, offs[i], lens[i])].table(db);
            tables[i] = t;
            slots[i] = t == null ? 0 : t.prefetchSlot(Hashing.hash(buf, offs[i], lens[i]));
        }
        int sink = 0;
        for (int i = 0; i < n; i++) if (tables[i] != null) sink += tables[i].prefetchEntry(slots[i]);
        return sink;
    }

    private static boolean sameKey(byte[] b, int off1, int len1, int off2, int len2) {
        return len1 == len2 && java.util.Arrays.equals(b, off1, off1 + len1, b, off2, off2 + len2);
    }

    public static int stripeOf(byte[] k, int off, int len) {
        return Crc16.slot(k, off, len) >>> SLOT_SHIFT;
    }

    Stripe stripeFor(byte[] k, int off, int len) {
        return stripes[stripeOf(k, off, len)];
    }

    /** Switches keys' access field between LRU clock and LFU counter (maxmemory-policy, lfu-*). */
    public void accessPolicy(boolean lfu, int logFactor, int decayTime) {
        this.lfu = lfu;
        this.lfuLogFactor = logFactor;
        this.lfuDecayTime = decayTime;
    }

    public boolean lfu() { return lfu; }

    /** The thresholds of the compact collection encodings. */
    public EncodingLimits limits() { return limits; }

    /** OBJECT FREQ: the decayed LFU counter of an access field. */
    public int frequency(int access) {
        return Lfu.frequency(access, lfuDecayTime);
    }

    /** The access field of a value just created. */
    int newAccess() {
        return lfu ? Lfu.initial() : Clock.lruClock();
    }

    /** The access field after the key is read or written. */
    int accessed(int access) {
        return lfu ? Lfu.accessed(access, lfuLogFactor, lfuDecayTime) : Clock.lruClock();
    }

    /** Locks every stripe, in order (FLUSHALL, SWAPDB, KEYS, and transactions that need all). */
    public void lockAll() {
        for (Stripe s : stripes) s.lock();
    }

    public void unlockAll() {
        for (int i = STRIPES - 1; i >= 0; i--) stripes[i].unlock();
    }

    /** Swaps two databases' contents; the caller holds every stripe lock. */
    public void swap(int a, int b) {
        events.swapping(a, b);
        for (Stripe s : stripes) {
            Table t = s.dbs[a];
            s.dbs[a] = s.dbs[b];
            s.dbs[b] = t;
        }
    }
}
