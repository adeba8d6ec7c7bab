package io.kvasir.store;

import java.util.Arrays;

/**
 * The keys of one database within one stripe: an open-addressing hash table (linear probing,
 * backward-shift deletion, no tombstones) whose home slot is the top bits of the key's hash.
 *
 * <p>Because home slots follow hash order, {@link #scan} walks keys by hash value: a cursor is a
 * position in hash space, which survives any growth of the table. A key present for a whole SCAN
 * is returned exactly once.
 *
 * <p>Slots are handles: valid until the next insert or removal in this table. The caller holds
 * the stripe's lock for every call.
 *
 * <p>Storage here is one array per field; the compact packed layout (keys and small values in
 * large byte pages, issue #4) replaces these arrays behind the same methods.
 */
public final class Table {
    public static final long NO_EXPIRE = -1;
    public static final int NONE = -1;
    private static final int MIN_CAPACITY = 8;

    private int[] hashes;
    private byte[][] keys;     // null = empty slot
    private Object[] values;   // byte[] (raw string), Long (int string), or a collection object
    private byte[] types;
    private byte[] flags;      // RAW_STRING, ...
    private long[] expires;
    private int[] lrus;
    private int size;
    private int expiring;
    private int shift;         // 32 - log2(capacity)

    public Table() {
        allocate(MIN_CAPACITY);
    }

    private void allocate(int capacity) {
        hashes = new int[capacity];
        keys = new byte[capacity][];
        values = new Object[capacity];
        types = new byte[capacity];
        flags = new byte[capacity];
        expires = new long[capacity];
        lrus = new int[capacity];
        shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    public int size() { return size; }

    /** Keys with a time to live (INFO keyspace "expires"). */
    public int expiring() { return expiring; }

    public int capacity() { return keys.length; }

    /** True if slot {@code s} (0 to capacity - 1) holds a key. */
    public boolean occupied(int s) { return keys[s] != null; }

    private int home(int hash) { return hash >>> shift; }

    private int mask() { return keys.length - 1; }

    // ---- lookup ----

    public int find(byte[] k, int off, int len, int hash) {
        int m = mask();
        for (int s = home(hash); ; s = (s + 1) & m) {
            byte[] key = keys[s];
            if (key == null) return NONE;
            if (hashes[s] == hash && Arrays.equals(key, 0, key.length, k, off, off + len)) return s;
        }
    }

    // ---- reads of a slot ----

    public byte type(int s) { return types[s]; }

    /** Set when a string was modified in place (APPEND, SETRANGE): OBJECT ENCODING says "raw". */
    public static final byte RAW_STRING = 1;

    public boolean flag(int s, byte flag) { return (flags[s] & flag) != 0; }
    public void flag(int s, byte flag, boolean on) { flags[s] = (byte) (on ? flags[s] | flag : flags[s] & ~flag); }
    public long expireAt(int s) { return expires[s]; }
    public int lru(int s) { return lrus[s]; }
    public void lru(int s, int clock) { lrus[s] = clock; }

    public byte[] keyArray(int s) { return keys[s]; }
    public int keyOffset(int s) { return 0; }
    public int keyLength(int s) { return keys[s].length; }
    public int hashAt(int s) { return hashes[s]; }

    /** True if the string value is held as a long (OBJECT ENCODING "int"). */
    public boolean isLong(int s) { return values[s] instanceof Long; }
    public long longValue(int s) { return (Long) values[s]; }

    /** The bytes of a raw string value: {@link #stringArray} from {@link #stringOffset}. */
    public byte[] stringArray(int s) { return (byte[]) values[s]; }
    public int stringOffset(int s) { return 0; }
    public int stringLength(int s) {
        Object v = values[s];
        return v instanceof Long l ? io.kvasir.protocol.Numbers.digits(l) : ((byte[]) v).length;
    }

    public Object object(int s) { return values[s]; }

    // ---- writes ----

    /** Sets a raw string value for the key, inserting it if absent; returns its slot. */
    public int putString(byte[] k, int off, int len, int hash, byte[] v, int voff, int vlen, long expireAt) {
        int s = slotFor(k, off, len, hash);
        types[s] = ValueType.STRING;
        values[s] = (voff == 0 && vlen == v.length) ? v : Arrays.copyOfRange(v, voff, voff + vlen);
        setExpireAt(s, expireAt);
        return s;
    }

    /** Sets an integer string value (encoding "int"); returns the slot. */
    public int putLong(byte[] k, int off, int len, int hash, long v, long expireAt) {
        int s = slotFor(k, off, len, hash);
        types[s] = ValueType.STRING;
        values[s] = v;
        setExpireAt(s, expireAt);
        return s;
    }

    /** Sets a value of a collection type; returns the slot. */
    public int putObject(byte[] k, int off, int len, int hash, byte type, Object v, long expireAt) {
        int s = slotFor(k, off, len, hash);
        types[s] = type;
        values[s] = v;
        setExpireAt(s, expireAt);
        return s;
    }

    public void setExpireAt(int s, long at) {
        if ((expires[s] != NO_EXPIRE) != (at != NO_EXPIRE)) expiring += at != NO_EXPIRE ? 1 : -1;
        expires[s] = at;
    }

    /** The slot of the key, inserted if absent; a value written there starts with no flags. */
    private int slotFor(byte[] k, int off, int len, int hash) {
        int s = find(k, off, len, hash);
        if (s != NONE) {
            flags[s] = 0;
            return s;
        }
        if ((size + 1) * 4 > keys.length * 3) {
            resize(keys.length * 2);
        }
        int m = mask();
        s = home(hash);
        while (keys[s] != null) s = (s + 1) & m;
        keys[s] = Arrays.copyOfRange(k, off, off + len);
        hashes[s] = hash;
        flags[s] = 0;
        expires[s] = NO_EXPIRE;
        lrus[s] = 0;
        size++;
        return s;
    }

    private void resize(int capacity) {
        int[] oh = hashes;
        byte[][] ok = keys;
        Object[] ov = values;
        byte[] ot = types;
        byte[] of = flags;
        long[] oe = expires;
        int[] ol = lrus;
        allocate(capacity);
        int m = mask();
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] == null) continue;
            int s = home(oh[i]);
            while (keys[s] != null) s = (s + 1) & m;
            hashes[s] = oh[i];
            keys[s] = ok[i];
            values[s] = ov[i];
            types[s] = ot[i];
            flags[s] = of[i];
            expires[s] = oe[i];
            lrus[s] = ol[i];
        }
    }

    /** Removes the key at slot {@code s}, shifting later members of its probe run back. */
    public void removeAt(int s) {
        if (expires[s] != NO_EXPIRE) expiring--;
        size--;
        int m = mask();
        int hole = s;
        for (int i = (s + 1) & m; keys[i] != null; i = (i + 1) & m) {
            int h = home(hashes[i]);
            // move i into the hole if its home is not in (hole, i] (cyclically)
            if (((i - h) & m) >= ((i - hole) & m)) {
                copySlot(i, hole);
                hole = i;
            }
        }
        keys[hole] = null;
        values[hole] = null;
        if (size * 8 < keys.length && keys.length > MIN_CAPACITY * 4) resize(keys.length / 2);
    }

    private void copySlot(int from, int to) {
        hashes[to] = hashes[from];
        keys[to] = keys[from];
        values[to] = values[from];
        types[to] = types[from];
        flags[to] = flags[from];
        expires[to] = expires[from];
        lrus[to] = lrus[from];
    }

    public void clear() {
        allocate(MIN_CAPACITY);
        size = 0;
        expiring = 0;
    }

    // ---- iteration ----

    /** Receives the slots of a scan. */
    public interface SlotVisitor {
        void visit(Table table, int slot);
    }

    /** The end of hash space: a scan cursor that means "this table is done". */
    public static final long SCAN_DONE = 1L << 32;

    /**
     * Visits every key whose hash lies in [cursor, next) and returns next, which is at most
     * {@code homeSlots} home slots further (or {@link #SCAN_DONE}).
     */
    public long scan(long cursor, int homeSlots, SlotVisitor visitor) {
        if (cursor >= SCAN_DONE) return SCAN_DONE;
        int cap = keys.length;
        int from = (int) (cursor >>> shift);
        int to = (int) Math.min(cap, (long) from + Math.max(1, homeSlots));
        int m = mask();
        // Walk from the first slot to the end of the run that follows the last home slot.
        for (int i = from, steps = 0; steps < cap; i = (i + 1) & m, steps++) {
            if (keys[i] == null) {
                if (steps >= to - from) break;
                continue;
            }
            int h = home(hashes[i]);
            long uh = Integer.toUnsignedLong(hashes[i]);
            if (h >= from && h < to && uh >= cursor) visitor.visit(this, i);
        }
        return to == cap ? SCAN_DONE : ((long) to) << shift;
    }

    /** Visits every key. The visitor must not insert or remove keys. */
    public void forEach(SlotVisitor visitor) {
        for (int i = 0; i < keys.length; i++) if (keys[i] != null) visitor.visit(this, i);
    }

    /** A random occupied slot, or {@link #NONE} when empty. */
    public int randomSlot(java.util.random.RandomGenerator random) {
        if (size == 0) return NONE;
        int m = mask();
        int s = random.nextInt(keys.length);
        while (keys[s] == null) s = (s + 1) & m;
        return s;
    }
}
