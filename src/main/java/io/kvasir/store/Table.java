package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The keys of one database within one stripe, packed so that a string key costs no Java object:
 * an open-addressing index over one {@code long[]}, and entries appended into large byte pages.
 * The caller holds the stripe's lock for every call.
 *
 * <h2>Index</h2>
 * {@code slots[s] = hash << 32 | address}, 0 meaning empty (no entry has address 0). Linear
 * probing, backward-shift deletion (no tombstones). A key's home slot is
 * {@code (unsigned hash * capacity) >>> 32}: the top bits of the hash, scaled to a capacity that
 * need not be a power of two, so the table resizes to a load of 0.55 when it passes 0.8 (or falls
 * below 0.2) rather than doubling. Probes compare the 32-bit hash in the slot before touching an
 * entry, and resizing never reads entries.
 *
 * <p>Because home slots are monotonic in the hash, {@link #scan} walks keys in hash order: a
 * cursor is a position in hash space, which survives any resize. A key present for a whole scan
 * is returned exactly once (and no key twice).
 *
 * <h2>Entries</h2>
 * <pre>
 *   byte     header: bits 0-2 type (ValueType), bit 3 has-expire, bits 4-5 payload encoding
 *            (0 bytes, 1 long, 2 object, 3 packed), bits 6-7 flags ({@link #RAW_STRING} = 1, one spare = 2)
 *   3 bytes  LRU clock (little-endian, 24 bits)
 *   varint   key length K        (LEB128: 7 bits a byte, low first)
 *   varint   payload length P
 *   8 bytes  expiry, Unix ms (little-endian; only with has-expire)
 *   K bytes  key
 *   P bytes  payload: the string itself; or a long in its P = 1..8 low bytes, sign-extended
 *            (strings that are integers, OBJECT ENCODING "int"); or a 4-byte index into
 *            {@code objects} (collection values); or a small collection's packed form itself
 *            (a listpack hash: no object of its own, read in place through the string views)
 * </pre>
 * A 16-byte key with a 16-byte value takes 38 bytes, plus 8 bytes per index slot (about 13 per
 * key at the average load).
 *
 * <h2>Addresses and pages</h2>
 * An address {@code >= 0} is {@code page << 15 | offset} into {@code pages}: pages hold up to
 * 32 KiB and entries never straddle two. The last page starts small and doubles up to 32 KiB, so
 * the 16 x 256 mostly tiny tables stay cheap (byte 0 of page 0 is never used, so address 0 can
 * mean empty). Entries larger than {@link #MAX_PACKED} (huge keys or values) get an array of
 * their own in {@code objects}; their address is {@code 0x80000000 | index}. Packed pages
 * address 2 GiB of entries per table.
 *
 * <p>A write whose entry keeps its layout (same size and field positions: SET over a value of
 * the same length, INCR within the same byte count, EXPIRE on a key that has a deadline) is done
 * in place, as is any resize of the last entry of the last page, or of an entry in its own array
 * within that array (which {@link #resizeString} leaves room to grow, so APPEND is amortized). Otherwise the entry is
 * rewritten at the end and its old bytes become garbage; when garbage passes the live bytes, the
 * live entries are copied in slot order into exactly sized fresh pages. Slots never move while
 * compacting, so slot handles stay valid until the next insert or removal. Addresses, and so the
 * byte views ({@link #keyArray}, {@link #stringArray}), are valid until the next write to the
 * table; after it, a view still reads its old bytes unless its own key was written (a moved
 * entry's old bytes are never reused in place, and compaction copies into fresh pages), so a
 * value may be copied from a view into another key of the same table.
 */
public final class Table {
    public static final long NO_EXPIRE = -1;
    public static final int NONE = -1;

    /** Set when a string was modified in place (APPEND, SETRANGE): OBJECT ENCODING says "raw". */
    public static final byte RAW_STRING = 1;

    /** The end of hash space: a scan cursor that means "this table is done". */
    public static final long SCAN_DONE = 1L << 32;

    private static final int MIN_CAPACITY = 8;
    private static final double MAX_LOAD = 0.8, RESIZE_LOAD = 0.55, MIN_LOAD = 0.2;

    private static final int PAGE_BITS = 15;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int PAGE_MASK = PAGE_SIZE - 1;
    private static final int MAX_PAGES = 1 << (31 - PAGE_BITS);
    private static final int FIRST_PAGE = 64;
    /** Entries above this size live in an array of their own. */
    static final int MAX_PACKED = PAGE_SIZE / 8;
    private static final int OWN_ARRAY = 0x80000000;
    /** Garbage below this is never worth a compaction. */
    private static final int MIN_GARBAGE = 1024;

    private static final int TYPE_MASK = 0x07;
    private static final int HAS_EXPIRE = 0x08;
    private static final int ENC_MASK = 0x30;
    private static final int ENC_BYTES = 0x00, ENC_LONG = 0x10, ENC_OBJECT = 0x20, ENC_PACKED = 0x30;
    private static final int FLAG_SHIFT = 6;
    private static final long HASH_BITS = 0xFFFFFFFF00000000L;

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private long[] slots;
    private int size;
    private int expiring;

    private byte[][] pages;    // null while nothing is packed
    private int pageCount;
    private int top;           // first free byte of the last page
    private long sealedBytes;  // lengths of the pages before the last
    private long liveBytes;    // bytes of live packed entries

    private Object[] objects;  // collection values and own-array entries; null while none
    private int objectCount;   // indexes handed out so far
    private int[] freeObjects;
    private int freeCount;

    public Table() {
        slots = new long[MIN_CAPACITY];
    }

    public int size() { return size; }

    /** Keys with a time to live (INFO keyspace "expires"). */
    public int expiring() { return expiring; }

    public int capacity() { return slots.length; }

    /** True if slot {@code s} (0 to capacity - 1) holds a key. */
    public boolean occupied(int s) { return (int) slots[s] != 0; }

    private int home(int hash) {
        return (int) (((hash & 0xFFFFFFFFL) * slots.length) >>> 32);
    }

    private static int capacityFor(int keys) {
        return Math.max(MIN_CAPACITY, (int) Math.ceil(keys / RESIZE_LOAD));
    }

    // ---- addresses and entry fields ----

    private int addr(int s) { return (int) slots[s]; }

    private byte[] array(int a) { return a < 0 ? (byte[]) objects[a & ~OWN_ARRAY] : pages[a >>> PAGE_BITS]; }

    private static int offset(int a) { return a < 0 ? 0 : a & PAGE_MASK; }

    // LEB128 varints (7 bits a byte, low first), shared with the packed collection encodings
    static int readVar(byte[] b, int p) {
        int v = b[p];
        if (v >= 0) return v;
        v &= 0x7F;
        for (int shift = 7; ; shift += 7) {
            int x = b[++p];
            v |= (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
    }

    static int skipVar(byte[] b, int p) {
        while (b[p++] < 0) { }
        return p;
    }

    static int writeVar(byte[] b, int p, int v) {
        for (; v >= 0x80; v >>>= 7) b[p++] = (byte) (v | 0x80);
        b[p++] = (byte) v;
        return p;
    }

    static int varLen(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }

    private static int entrySize(int klen, int plen, boolean expires) {
        return 4 + varLen(klen) + varLen(plen) + (expires ? 8 : 0) + klen + plen;
    }

    /** Position of the expiry field (or of the key when there is none). */
    private static int afterLengths(byte[] b, int o) { return skipVar(b, skipVar(b, o + 4)); }

    private static int keyOff(byte[] b, int o) {
        int p = afterLengths(b, o);
        return (b[o] & HAS_EXPIRE) != 0 ? p + 8 : p;
    }

    private static int payloadOff(byte[] b, int o) { return keyOff(b, o) + readVar(b, o + 4); }

    private static int payloadLen(byte[] b, int o) { return readVar(b, skipVar(b, o + 4)); }

    private static int entrySize(byte[] b, int o) { return payloadOff(b, o) + payloadLen(b, o) - o; }

    /** Bytes that hold {@code v} sign-extended (1 to 8). */
    private static int longSize(long v) {
        return (72 - Long.numberOfLeadingZeros(v ^ (v >> 63))) >>> 3;
    }

    private static void writeLong(byte[] b, int p, int n, long v) {
        for (int i = 0; i < n; i++) b[p + i] = (byte) (v >>> (i << 3));
    }

    private static long readLong(byte[] b, int p, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) v |= (b[p + i] & 0xFFL) << (i << 3);
        int unused = 64 - (n << 3);
        return v << unused >> unused;
    }

    private static int writeHead(byte[] b, int o, int header, int lru, int klen, int plen, long expireAt) {
        b[o] = (byte) header;
        writeLru(b, o, lru);
        int p = writeVar(b, writeVar(b, o + 4, klen), plen);
        if ((header & HAS_EXPIRE) != 0) {
            LONGS.set(b, p, expireAt);
            p += 8;
        }
        return p;
    }

    private static void writeLru(byte[] b, int o, int clock) {
        b[o + 1] = (byte) clock;
        b[o + 2] = (byte) (clock >>> 8);
        b[o + 3] = (byte) (clock >>> 16);
    }

    private static int readLru(byte[] b, int o) {
        return (b[o + 1] & 0xFF) | (b[o + 2] & 0xFF) << 8 | (b[o + 3] & 0xFF) << 16;
    }

    private int header(int s) {
        int a = addr(s);
        return array(a)[offset(a)] & 0xFF;
    }

    // ---- lookup ----

    public int find(byte[] k, int off, int len, int hash) {
        long[] t = slots;
        int cap = t.length;
        for (int s = home(hash); ; ) {
            long e = t[s];
            if ((int) e == 0) return NONE;
            if ((int) (e >>> 32) == hash && keyEquals((int) e, k, off, len)) return s;
            if (++s == cap) s = 0;
        }
    }

    /**
     * Warms the cache for a later {@link #find} of {@code hash}: reads the home slot and returns
     * it (0 if empty). Called without the stripe's lock, so it only reads, tolerates a table being
     * resized meanwhile (a stale array is merely a useless read), and never throws.
     */
    long prefetchSlot(int hash) {
        long[] t = slots;
        if (t == null || t.length == 0) return 0;
        int home = (int) (((hash & 0xFFFFFFFFL) * t.length) >>> 32);
        return home < t.length ? t[home] : 0;
    }

    /** Second step of a prefetch: reads the first byte of the entry a slot value points at. */
    int prefetchEntry(long slot) {
        int a = (int) slot;
        if (a == 0) return 0;
        byte[] b;
        if (a < 0) {
            Object[] o = objects;
            int i = a & ~OWN_ARRAY;
            if (o == null || i >= o.length || !(o[i] instanceof byte[] own)) return 0;
            b = own;
        } else {
            byte[][] p = pages;
            int page = a >>> PAGE_BITS;
            if (p == null || page >= p.length || p[page] == null) return 0;
            b = p[page];
        }
        int off = a < 0 ? 0 : a & PAGE_MASK;
        return off < b.length ? b[off] : 0;
    }

    private boolean keyEquals(int a, byte[] k, int off, int len) {
        byte[] b = array(a);
        int o = offset(a);
        if (readVar(b, o + 4) != len) return false;
        int ko = keyOff(b, o);
        return Arrays.equals(b, ko, ko + len, k, off, off + len);
    }

    // ---- reads of a slot ----

    public byte type(int s) { return (byte) (header(s) & TYPE_MASK); }

    /** Flags are {@link #RAW_STRING} and one spare bit (2); every put clears them. */
    public boolean flag(int s, byte flag) { return (header(s) >>> FLAG_SHIFT & flag) != 0; }

    public void flag(int s, byte flag, boolean on) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        int bits = (flag & 3) << FLAG_SHIFT;
        b[o] = (byte) (on ? b[o] | bits : b[o] & ~bits);
    }

    /** All flags at once: a value copied or moved to another key keeps them. */
    public byte flags(int s) { return (byte) (header(s) >>> FLAG_SHIFT & 3); }

    public void flags(int s, byte flags) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        b[o] = (byte) (b[o] & ~(3 << FLAG_SHIFT) | (flags & 3) << FLAG_SHIFT);
    }

    public long expireAt(int s) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        return (b[o] & HAS_EXPIRE) == 0 ? NO_EXPIRE : (long) LONGS.get(b, afterLengths(b, o));
    }

    public int lru(int s) {
        int a = addr(s);
        return readLru(array(a), offset(a));
    }

    public void lru(int s, int clock) {
        int a = addr(s);
        writeLru(array(a), offset(a), clock);
    }

    public byte[] keyArray(int s) { return array(addr(s)); }

    public int keyOffset(int s) {
        int a = addr(s);
        return keyOff(array(a), offset(a));
    }

    public int keyLength(int s) {
        int a = addr(s);
        return readVar(array(a), offset(a) + 4);
    }

    public int hashAt(int s) { return (int) (slots[s] >>> 32); }

    /**
     * Bytes the entry in slot {@code s} takes in storage (MEMORY USAGE): its packed record, or its
     * whole own array for a large one; a collection value's own objects are not included.
     */
    public int entryBytes(int s) {
        int a = addr(s);
        byte[] b = array(a);
        return a < 0 ? (int) ((16L + b.length + 7) & ~7L) : entrySize(b, offset(a));
    }

    /** True if the string value is held as a long (OBJECT ENCODING "int"). */
    public boolean isLong(int s) { return (header(s) & ENC_MASK) == ENC_LONG; }

    /**
     * True if the collection value is packed into the entry ({@link #putPacked}): its bytes are
     * {@link #stringLength} bytes of {@link #stringArray} from {@link #stringOffset}.
     */
    public boolean isPacked(int s) { return (header(s) & ENC_MASK) == ENC_PACKED; }

    public long longValue(int s) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        return readLong(b, payloadOff(b, o), payloadLen(b, o));
    }

    /**
     * The bytes of a string value that is not {@link #isLong}: {@link #stringLength} bytes of
     * {@link #stringArray} from {@link #stringOffset}, in place in storage (no copy).
     */
    public byte[] stringArray(int s) { return array(addr(s)); }

    public int stringOffset(int s) {
        int a = addr(s);
        return payloadOff(array(a), offset(a));
    }

    public int stringLength(int s) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        if ((b[o] & ENC_MASK) == ENC_LONG) return Numbers.digits(readLong(b, payloadOff(b, o), payloadLen(b, o)));
        return payloadLen(b, o);
    }

    /**
     * The value of a collection type. For a string this allocates a copy: a {@code Long} for an
     * int-encoded one, else a {@code byte[]} (prefer the views above).
     */
    public Object object(int s) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        int p = payloadOff(b, o);
        return switch (b[o] & ENC_MASK) {
            case ENC_OBJECT -> objects[(int) INTS.get(b, p)];
            case ENC_LONG -> readLong(b, p, payloadLen(b, o));
            default -> Arrays.copyOfRange(b, p, p + payloadLen(b, o));
        };
    }

    // ---- writes ----

    /** Sets a raw string value for the key, inserting it if absent; returns its slot. */
    public int putString(byte[] k, int off, int len, int hash, byte[] v, int voff, int vlen, long expireAt) {
        int s = store(k, off, len, hash, ValueType.STRING | ENC_BYTES, vlen, expireAt);
        int a = addr(s);
        byte[] b = array(a);
        System.arraycopy(v, voff, b, payloadOff(b, offset(a)), vlen);
        compactIfWasteful();
        return s;
    }

    /** Sets an integer string value (encoding "int"); returns the slot. */
    public int putLong(byte[] k, int off, int len, int hash, long v, long expireAt) {
        int n = longSize(v);
        int s = store(k, off, len, hash, ValueType.STRING | ENC_LONG, n, expireAt);
        int a = addr(s);
        byte[] b = array(a);
        writeLong(b, payloadOff(b, offset(a)), n, v);
        compactIfWasteful();
        return s;
    }

    /**
     * Sets a value of a collection type; returns the slot. Type STRING with a {@code byte[]} or
     * {@code Long} value (what {@link #object} returns for strings) stores a string.
     */
    public int putObject(byte[] k, int off, int len, int hash, byte type, Object v, long expireAt) {
        if (type == ValueType.STRING) {
            if (v instanceof Long l) return putLong(k, off, len, hash, l, expireAt);
            byte[] bytes = (byte[]) v;
            return putString(k, off, len, hash, bytes, 0, bytes.length, expireAt);
        }
        int s = store(k, off, len, hash, type | ENC_OBJECT, 4, expireAt);
        int index = allocObject(v);
        int a = addr(s);
        byte[] b = array(a);
        INTS.set(b, payloadOff(b, offset(a)), index);
        compactIfWasteful();
        return s;
    }

    /**
     * Sets a collection value of {@code type} packed into the entry itself (the bytes are copied);
     * returns the slot.
     */
    public int putPacked(byte[] k, int off, int len, int hash, byte type, byte[] v, int voff, int vlen, long expireAt) {
        int s = store(k, off, len, hash, type | ENC_PACKED, vlen, expireAt);
        int a = addr(s);
        byte[] b = array(a);
        System.arraycopy(v, voff, b, payloadOff(b, offset(a)), vlen);
        compactIfWasteful();
        return s;
    }

    /** Replaces the packed collection value at slot {@code s} with these bytes, keeping type, TTL, LRU and flags. */
    public void setPacked(int s, byte[] v, int off, int len) {
        int h = header(s);
        if ((h & ENC_MASK) != ENC_PACKED) throw new IllegalStateException("not packed");
        reshape(s, h & ~HAS_EXPIRE, len, expireAt(s), false, false);
        int a = addr(s);
        byte[] b = array(a);
        System.arraycopy(v, off, b, payloadOff(b, offset(a)), len);
        compactIfWasteful();
    }

    /**
     * Replaces the collection value at slot {@code s} with an object (an encoding conversion; a
     * packed value becomes an object), keeping type, TTL, LRU and flags.
     */
    public void setObject(int s, Object v) {
        int h = header(s);
        if ((h & ENC_MASK) == ENC_PACKED) {
            reshape(s, h & ~HAS_EXPIRE & ~ENC_MASK | ENC_OBJECT, 4, expireAt(s), false, false);
            int a = addr(s);
            byte[] b = array(a);
            INTS.set(b, payloadOff(b, offset(a)), allocObject(v));
            compactIfWasteful();
            return;
        }
        if ((h & ENC_MASK) != ENC_OBJECT) throw new IllegalStateException("not a collection");
        int a = addr(s);
        byte[] b = array(a);
        objects[(int) INTS.get(b, payloadOff(b, offset(a)))] = v;
    }

    /**
     * Replaces the value at slot {@code s} with a byte string (INCRBYFLOAT), keeping the TTL and
     * LRU; flags are cleared. Like a put, without finding the key again.
     */
    public void setString(int s, byte[] v, int off, int len) {
        replace(s, ValueType.STRING | ENC_BYTES, len, expireAt(s));
        int a = addr(s);
        byte[] b = array(a);
        System.arraycopy(v, off, b, payloadOff(b, offset(a)), len);
        compactIfWasteful();
    }

    /** Replaces the value at slot {@code s} with an integer string (INCR), as {@link #setString}. */
    public void setLong(int s, long v) {
        int n = longSize(v);
        replace(s, ValueType.STRING | ENC_LONG, n, expireAt(s));
        int a = addr(s);
        byte[] b = array(a);
        writeLong(b, payloadOff(b, offset(a)), n, v);
        compactIfWasteful();
    }

    public void setExpireAt(int s, long at) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        boolean has = (b[o] & HAS_EXPIRE) != 0;
        if (has && at != NO_EXPIRE) {
            LONGS.set(b, afterLengths(b, o), at);
        } else if (has || at != NO_EXPIRE) {
            reshape(s, b[o] & 0xFF, payloadLen(b, o), at, true, false);
            compactIfWasteful();
        }
    }

    /**
     * Makes the string at slot {@code s} a byte string (not int-encoded) of {@code length} bytes,
     * keeping its first bytes and zero-filling any growth; flags, TTL and LRU are kept. The caller
     * may then write the value through {@link #stringArray}/{@link #stringOffset} until the next
     * write to this table (SETRANGE, SETBIT). Large strings get room to grow, so repeated growth
     * is amortized O(1) per byte.
     */
    public void resizeString(int s, int length) {
        int h = header(s);
        if ((h & ENC_MASK) == ENC_OBJECT) throw new IllegalStateException("not a string");
        if ((h & ENC_MASK) == ENC_LONG) {
            byte[] digits = Numbers.longBytes(longValue(s));
            reshape(s, h & ~ENC_MASK, length, expireAt(s), false, true);
            int a = addr(s);
            byte[] b = array(a);
            int p = payloadOff(b, offset(a));
            int n = Math.min(length, digits.length);
            System.arraycopy(digits, 0, b, p, n);
            Arrays.fill(b, p + n, p + length, (byte) 0);
        } else {
            reshape(s, h, length, expireAt(s), true, true);
        }
        compactIfWasteful();
    }

    /** Appends to the string at slot {@code s} (APPEND); see {@link #resizeString}. */
    public void append(int s, byte[] v, int off, int len) {
        int old = stringLength(s);
        resizeString(s, old + len);
        int a = addr(s);
        byte[] b = array(a);
        System.arraycopy(v, off, b, payloadOff(b, offset(a)) + old, len);
    }

    /**
     * The slot of the key (inserted if absent, else with any collection value released) pointed
     * at an entry with the given header and payload length: key, expiry and LRU (kept when the
     * key existed) are written, flags are cleared, the caller writes the payload.
     */
    private int store(byte[] k, int off, int len, int hash, int header, int plen, long expireAt) {
        int s = find(k, off, len, hash);
        if (s == NONE) return insert(k, off, len, hash, header, plen, expireAt);
        replace(s, header, plen, expireAt);
        return s;
    }

    /** Points slot {@code s} at a new value of this header and payload length (see {@link #store}). */
    private void replace(int s, int header, int plen, long expireAt) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        if ((b[o] & ENC_MASK) == ENC_OBJECT) freeObject((int) INTS.get(b, payloadOff(b, o)));
        reshape(s, header, plen, expireAt, false, false);
    }

    private int insert(byte[] k, int off, int len, int hash, int header, int plen, long expireAt) {
        if (size + 1 > slots.length * MAX_LOAD) rehash(capacityFor(size + 1));
        boolean expires = expireAt != NO_EXPIRE;
        int n = entrySize(len, plen, expires);
        int a = place(n, n);
        byte[] b = array(a);
        int p = writeHead(b, offset(a), expires ? header | HAS_EXPIRE : header, 0, len, plen, expireAt);
        System.arraycopy(k, off, b, p, len);
        int cap = slots.length;
        int s = home(hash);
        while ((int) slots[s] != 0) if (++s == cap) s = 0;
        slots[s] = (long) hash << 32 | (a & 0xFFFFFFFFL);
        size++;
        if (expires) expiring++;
        return s;
    }

    /**
     * Gives the entry at slot {@code s} a new header (type, encoding, flags), payload length and
     * expiry, keeping its key and LRU and, with {@code keep}, the start of its payload
     * (zero-filling growth). In place when the layout allows, else moved (its slot is not).
     * {@code roomy} leaves an own-array entry room to grow.
     */
    private void reshape(int s, int header, int plen, long expireAt, boolean keep, boolean roomy) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        boolean had = (b[o] & HAS_EXPIRE) != 0, expires = expireAt != NO_EXPIRE;
        header = expires ? header | HAS_EXPIRE : header & ~HAS_EXPIRE;
        if (had != expires) expiring += expires ? 1 : -1;
        int klen = readVar(b, o + 4);
        int plenAt = skipVar(b, o + 4);
        int oldPlen = readVar(b, plenAt);
        int key = keyOff(b, o);
        int oldSize = key + klen + oldPlen - o;
        int n = entrySize(klen, plen, expires);
        if (had == expires && varLen(plen) == varLen(oldPlen) && resizeInPlace(a, b, o, oldSize, n)) {
            b[o] = (byte) header;
            writeVar(b, plenAt, plen);
            if (expires) LONGS.set(b, plenAt + varLen(plen), expireAt);
            if (keep && plen > oldPlen) Arrays.fill(b, key + klen + oldPlen, key + klen + plen, (byte) 0);
            return;
        }
        int na = place(n, roomy ? n + Math.min(n, 1 << 20) : n);
        byte[] nb = array(na);
        int p = writeHead(nb, offset(na), header, readLru(b, o), klen, plen, expireAt);
        System.arraycopy(b, key, nb, p, klen);
        if (keep) {
            int kept = Math.min(plen, oldPlen);
            System.arraycopy(b, key + klen, nb, p + klen, kept);
            Arrays.fill(nb, p + klen + kept, p + klen + plen, (byte) 0);
        }
        release(a, oldSize);
        slots[s] = slots[s] & HASH_BITS | (na & 0xFFFFFFFFL);
    }

    /** True (with the accounting done) if the entry at {@code a} can take {@code n} bytes where it is. */
    private boolean resizeInPlace(int a, byte[] b, int o, int oldSize, int n) {
        if (a < 0) return n > MAX_PACKED && n <= b.length && n * 2L >= b.length;
        if (n > MAX_PACKED) return false;
        if (n == oldSize) return true;
        boolean last = (a >>> PAGE_BITS) == pageCount - 1 && o + oldSize == top;
        if (!last || o + n > b.length) return false;
        top = o + n;
        liveBytes += n - oldSize;
        return true;
    }

    /** Space for an entry of {@code n} bytes ({@code capacity} if it gets its own array). */
    private int place(int n, int capacity) {
        if (n > MAX_PACKED) return OWN_ARRAY | allocObject(new byte[Math.max(n, capacity)]);
        byte[] page = pageCount == 0 ? null : pages[pageCount - 1];
        if (page == null || top + n > page.length) {
            if (page != null && top + n <= PAGE_SIZE) {
                pages[pageCount - 1] = Arrays.copyOf(page, Math.min(PAGE_SIZE, Math.max(page.length * 2, top + n)));
            } else {
                openPage(Math.max(pageCount == 0 ? FIRST_PAGE : PAGE_SIZE / 4, n + 1));
            }
        }
        int a = (pageCount - 1) << PAGE_BITS | top;
        top += n;
        liveBytes += n;
        return a;
    }

    private void openPage(int length) {
        if (pageCount == MAX_PAGES) throw new IllegalStateException("table holds 2 GiB of entries");
        if (pages == null) pages = new byte[4][];
        else if (pageCount == pages.length) pages = Arrays.copyOf(pages, pageCount * 2);
        if (pageCount > 0) sealedBytes += pages[pageCount - 1].length;
        pages[pageCount++] = new byte[length];
        top = pageCount == 1 ? 1 : 0;
    }

    /**
     * Forgets the entry at {@code a}: its own array is freed, its packed bytes become garbage
     * (never reused in place, so a view of them stays readable).
     */
    private void release(int a, int n) {
        if (a < 0) freeObject(a & ~OWN_ARRAY);
        else liveBytes -= n;
    }

    private int allocObject(Object v) {
        int i;
        if (freeCount > 0) {
            i = freeObjects[--freeCount];
        } else {
            if (objects == null) objects = new Object[4];
            else if (objectCount == objects.length) objects = Arrays.copyOf(objects, objectCount * 2);
            i = objectCount++;
        }
        objects[i] = v;
        return i;
    }

    private void freeObject(int i) {
        objects[i] = null;
        if (freeObjects == null) freeObjects = new int[4];
        else if (freeCount == freeObjects.length) freeObjects = Arrays.copyOf(freeObjects, freeCount * 2);
        freeObjects[freeCount++] = i;
    }

    private void compactIfWasteful() {
        long garbage = garbageBytes();
        if (garbage > liveBytes && garbage > MIN_GARBAGE) compact();
    }

    /** Copies the live packed entries, in slot order, into exactly sized fresh pages. */
    private void compact() {
        byte[][] old = pages;
        long remaining = liveBytes;
        pages = null;
        pageCount = 0;
        sealedBytes = 0;
        top = 0;
        for (int s = 0; s < slots.length; s++) {
            int a = (int) slots[s];
            if (a <= 0) continue; // empty, or in an array of its own
            byte[] b = old[a >>> PAGE_BITS];
            int o = a & PAGE_MASK;
            int n = entrySize(b, o);
            if (pageCount == 0 || top + n > pages[pageCount - 1].length) {
                openPage((int) Math.min(PAGE_SIZE, remaining + (pageCount == 0 ? 1 : 0)));
            }
            System.arraycopy(b, o, pages[pageCount - 1], top, n);
            slots[s] = slots[s] & HASH_BITS | ((pageCount - 1) << PAGE_BITS | top);
            top += n;
            remaining -= n;
        }
    }

    /** Bytes of live packed entries (tests, memory reports). */
    long liveBytes() { return liveBytes; }

    /** Bytes of packed pages below the last one's end that no live entry uses. */
    long garbageBytes() { return sealedBytes + top - liveBytes; }

    /**
     * Approximate heap bytes the table holds (its object, index, pages and own arrays; not the
     * collection values it refers to), for MEMORY USAGE of collections kept in tables.
     */
    long heapBytes() {
        long n = 64 + 16 + 8L * slots.length;
        if (pageCount > 0) n += 16 + 4L * pages.length + 16L * pageCount + sealedBytes + pages[pageCount - 1].length;
        if (objects != null) {
            n += 16 + 4L * objects.length;
            for (int i = 0; i < objectCount; i++) if (objects[i] instanceof byte[] b) n += 16 + b.length;
        }
        return n;
    }

    private void rehash(int capacity) {
        long[] old = slots;
        slots = new long[capacity];
        for (long e : old) {
            if ((int) e == 0) continue;
            int s = home((int) (e >>> 32));
            while ((int) slots[s] != 0) if (++s == capacity) s = 0;
            slots[s] = e;
        }
    }

    /** Removes the key at slot {@code s}, shifting later members of its probe run back. */
    public void removeAt(int s) {
        int a = addr(s);
        byte[] b = array(a);
        int o = offset(a);
        if ((b[o] & HAS_EXPIRE) != 0) expiring--;
        if ((b[o] & ENC_MASK) == ENC_OBJECT) freeObject((int) INTS.get(b, payloadOff(b, o)));
        release(a, a < 0 ? 0 : entrySize(b, o));
        size--;
        int cap = slots.length;
        int hole = s;
        for (int i = s + 1 == cap ? 0 : s + 1; (int) slots[i] != 0; i = i + 1 == cap ? 0 : i + 1) {
            int h = home((int) (slots[i] >>> 32));
            // move i into the hole unless its home lies cyclically in (hole, i]
            int fromHome = i >= h ? i - h : i - h + cap;
            int fromHole = i >= hole ? i - hole : i - hole + cap;
            if (fromHome >= fromHole) {
                slots[hole] = slots[i];
                hole = i;
            }
        }
        slots[hole] = 0;
        if (size == 0) {
            clear();
            return;
        }
        if (size < cap * MIN_LOAD && cap > MIN_CAPACITY) rehash(capacityFor(size));
        compactIfWasteful();
    }

    public void clear() {
        slots = new long[MIN_CAPACITY];
        size = 0;
        expiring = 0;
        pages = null;
        pageCount = 0;
        top = 0;
        sealedBytes = 0;
        liveBytes = 0;
        objects = null;
        objectCount = 0;
        freeObjects = null;
        freeCount = 0;
    }

    // ---- iteration ----

    /** Receives the slots of a scan. */
    public interface SlotVisitor {
        void visit(Table table, int slot);
    }

    /**
     * Visits every key whose hash lies in [cursor, next) and returns next, which is at most
     * {@code homeSlots} home slots further (or {@link #SCAN_DONE}). Cursors are positions in hash
     * space, so one returned before a resize stays good after it. The visitor must not insert or
     * remove keys.
     */
    public long scan(long cursor, int homeSlots, SlotVisitor visitor) {
        if (cursor >= SCAN_DONE) return SCAN_DONE;
        int cap = slots.length;
        int from = home((int) cursor);
        int to = (int) Math.min(cap, (long) from + Math.max(1, homeSlots));
        // Walk from the first home slot to the end of the run that follows the last one.
        for (int i = from, steps = 0; steps < cap; steps++) {
            long e = slots[i];
            if ((int) e == 0) {
                if (steps >= to - from) break;
            } else {
                int hash = (int) (e >>> 32);
                int h = home(hash);
                if (h >= from && h < to && Integer.toUnsignedLong(hash) >= cursor) visitor.visit(this, i);
            }
            if (++i == cap) i = 0;
        }
        // the least hash whose home is slot `to`
        return to == cap ? SCAN_DONE : (((long) to << 32) + cap - 1) / cap;
    }

    /** Visits every key. The visitor must not insert or remove keys. */
    public void forEach(SlotVisitor visitor) {
        for (int i = 0; i < slots.length; i++) if ((int) slots[i] != 0) visitor.visit(this, i);
    }

    /** A random occupied slot, or {@link #NONE} when empty. */
    public int randomSlot(java.util.random.RandomGenerator random) {
        if (size == 0) return NONE;
        int cap = slots.length;
        int s = random.nextInt(cap);
        while ((int) slots[s] == 0) if (++s == cap) s = 0;
        return s;
    }
}
