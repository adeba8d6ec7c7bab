package io.kvasir.store;

import io.kvasir.protocol.Numbers;
import io.kvasir.protocol.Reply;

/**
 * A run of list elements packed into one byte array: one node of a {@link ListValue}.
 *
 * <p>Each element is one entry laid out as in Redis's listpack: an encoding byte that holds a
 * small integer itself or announces what follows, the data, then the entry's own length written
 * backwards (the "back-length"), so the run can be walked in both directions:
 *
 * <pre>
 * 0xxxxxxx                     integer 0..127 (the byte itself)
 * 10LLLLLL data                string of up to 63 bytes
 * 110xxxxx xxxxxxxx            integer -4096..4095 (13-bit two's complement)
 * 1110LLLL LLLLLLLL data       string of up to 4095 bytes
 * 11110000 L L L L data        longer string, 32-bit little-endian length
 * 11110001..11110100 n bytes   integer in 2, 3, 4 or 8 little-endian bytes
 * back-length                  1..5 bytes, 7 bits each, read right to left; every byte but the
 *                              leftmost has its top bit set ("more to the left")
 * </pre>
 *
 * An element that is exactly a Redis integer (strict decimal, no '+', no leading zero, within a
 * long) is stored as an integer and read back as its decimal digits, which are the same bytes.
 * Entries occupy {@code buf[start, end)}; the room kept free before and after them lets pushes at
 * either end run in amortized constant time, as in an array deque. Not thread-safe: a node is
 * only touched under its key's stripe lock. (Not final: a {@link ListValue} of one node is that
 * node itself.)
 */
class ListNode {
    private static final int STR6 = 0x80, INT13 = 0xC0, STR12 = 0xE0, STR32 = 0xF0, INT16 = 0xF1, INT24 = 0xF2,
            INT32 = 0xF3, INT64 = 0xF4;
    /** Node sizes of the negative list-max-listpack-size values -1..-5. */
    private static final int[] SIZE_LIMITS = {4096, 8192, 16384, 32768, 65536};
    /** Largest node (in listpack bytes) a count-limited fill may build. */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    /** Header and end byte of a listpack: what a node's bytes are counted with for the fill limit. */
    private static final int LISTPACK_OVERHEAD = 7;

    byte[] buf;
    int start, end;
    int count;

    ListNode(int capacity) {
        buf = new byte[capacity];
    }

    /** A node of {@code count} entries filling {@code buf}. */
    ListNode(byte[] buf, int count) {
        this.buf = buf;
        this.end = buf.length;
        this.count = count;
    }

    /** Takes over the entries of {@code other} (which must no longer be used). */
    final void adopt(ListNode other) {
        buf = other.buf;
        start = other.start;
        end = other.end;
        count = other.count;
    }

    int bytes() { return end - start; }

    // ---- the entry format ----

    /** True if the bytes are exactly a Redis integer (as the listpack stores them as integers). */
    static boolean isInt(byte[] b, int off, int len) {
        if (len == 0 || len > 20) return false;
        if (len == 1 && b[off] == '0') return true;
        int i = off, end = off + len;
        boolean negative = b[i] == '-';
        if (negative && ++i == end) return false;
        if (b[i] < '1' || b[i] > '9') return false;
        long v = 0; // accumulated negatively so that Long.MIN_VALUE fits
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) return false;
            v = v * 10 - d;
        }
        return negative || v != Long.MIN_VALUE;
    }

    private static int intEncodedSize(long v) {
        if (v >= 0 && v <= 127) return 1;
        if (v >= -4096 && v <= 4095) return 2;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 3;
        if (v >= -(1 << 23) && v < (1 << 23)) return 4;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 5;
        return 9;
    }

    private static int strEncodedSize(int len) {
        return len <= 63 ? 1 + len : len <= 4095 ? 2 + len : 5 + len;
    }

    private static int backlenSize(int l) {
        return l < 1 << 7 ? 1 : l < 1 << 14 ? 2 : l < 1 << 21 ? 3 : l < 1 << 28 ? 4 : 5;
    }

    /** Bytes the entry for this element takes: encoding, data and back-length. */
    static int entrySize(byte[] v, int off, int len) {
        int enc = isInt(v, off, len) ? intEncodedSize(Numbers.parseLong(v, off, len)) : strEncodedSize(len);
        return enc + backlenSize(enc);
    }

    /** Writes the entry for this element at {@code p}; returns the position after it. */
    static int writeEntry(byte[] d, int p, byte[] v, int off, int len) {
        int s = p;
        if (isInt(v, off, len)) {
            long x = Numbers.parseLong(v, off, len);
            switch (intEncodedSize(x)) {
                case 1 -> d[p++] = (byte) x;
                case 2 -> {
                    d[p++] = (byte) (INT13 | (x >> 8) & 0x1F);
                    d[p++] = (byte) x;
                }
                case 3 -> p = writeLE(d, p, INT16, x, 2);
                case 4 -> p = writeLE(d, p, INT24, x, 3);
                case 5 -> p = writeLE(d, p, INT32, x, 4);
                default -> p = writeLE(d, p, INT64, x, 8);
            }
        } else {
            if (len <= 63) {
                d[p++] = (byte) (STR6 | len);
            } else if (len <= 4095) {
                d[p++] = (byte) (STR12 | len >> 8);
                d[p++] = (byte) len;
            } else {
                p = writeLE(d, p, STR32, len, 4);
            }
            System.arraycopy(v, off, d, p, len);
            p += len;
        }
        int l = p - s, n = backlenSize(l);
        for (int k = n - 1; k >= 0; k--) {
            d[p + k] = (byte) ((l & 0x7F) | (k > 0 ? 0x80 : 0));
            l >>>= 7;
        }
        return p + n;
    }

    private static int writeLE(byte[] d, int p, int tag, long x, int n) {
        d[p++] = (byte) tag;
        for (int i = 0; i < n; i++, x >>= 8) d[p++] = (byte) x;
        return p;
    }

    private long readLE(int p, int n) {
        long x = 0;
        for (int i = n - 1; i >= 0; i--) x = x << 8 | (buf[p + i] & 0xFF);
        return x << (64 - 8 * n) >> (64 - 8 * n); // sign-extend
    }

    /** Length of the encoding and data of the entry at {@code p} (without its back-length). */
    private int encodedLength(int p) {
        int b = buf[p] & 0xFF;
        if (b < STR6) return 1;
        if (b < INT13) return 1 + (b & 0x3F);
        if (b < STR12) return 2;
        if (b < STR32) return 2 + ((b & 0x0F) << 8 | buf[p + 1] & 0xFF);
        return switch (b) {
            case STR32 -> 5 + (int) readLE(p + 1, 4);
            case INT16 -> 3;
            case INT24 -> 4;
            case INT32 -> 5;
            default -> 9;
        };
    }

    /** Total length of the entry at {@code p}. */
    int entryLength(int p) {
        int l = encodedLength(p);
        return l + backlenSize(l);
    }

    /** The position of the entry after the one at {@code p} ({@link #end} after the last). */
    int next(int p) {
        return p + entryLength(p);
    }

    /** The position of the entry before the one at {@code p}; {@code p} must not be the first. */
    int prev(int p) {
        int q = p - 1, l = 0, shift = 0;
        while (true) {
            int b = buf[q] & 0xFF;
            l |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) break;
            q--;
        }
        return q - l;
    }

    /** The position of the last entry; the node must not be empty. */
    int last() {
        return prev(end);
    }

    boolean isIntAt(int p) {
        int b = buf[p] & 0xFF;
        return b < STR6 || (b >= INT13 && b < STR12) || (b >= INT16 && b <= INT64);
    }

    /** The integer stored at {@code p} (an entry for which {@link #isIntAt} holds). */
    long intAt(int p) {
        int b = buf[p] & 0xFF;
        if (b < STR6) return b;
        if (b < STR12) {
            int raw = (b & 0x1F) << 8 | buf[p + 1] & 0xFF;
            return raw >= 4096 ? raw - 8192 : raw;
        }
        return readLE(p + 1, b == INT16 ? 2 : b == INT24 ? 3 : b == INT32 ? 4 : 8);
    }

    /** Where the bytes of the string stored at {@code p} begin. */
    int strOffset(int p) {
        int b = buf[p] & 0xFF;
        return p + (b < INT13 ? 1 : b < STR32 ? 2 : 5);
    }

    int strLength(int p) {
        int b = buf[p] & 0xFF;
        if (b < INT13) return b & 0x3F;
        if (b < STR32) return (b & 0x0F) << 8 | buf[p + 1] & 0xFF;
        return (int) readLE(p + 1, 4);
    }

    /** The element at {@code p} as a bulk reply, straight from the node. */
    void reply(int p, Reply r) {
        if (isIntAt(p)) r.bulk(intAt(p));
        else r.bulk(buf, strOffset(p), strLength(p));
    }

    /** The element at {@code p} as a new array. */
    byte[] element(int p) {
        if (isIntAt(p)) return Numbers.longBytes(intAt(p));
        int off = strOffset(p);
        return java.util.Arrays.copyOfRange(buf, off, off + strLength(p));
    }

    /** True if the element at {@code p} equals the needle. */
    boolean matches(int p, ListValue.Needle n) {
        if (isIntAt(p)) return n.isInt && n.value == intAt(p);
        // a string entry is never an integer, so an integer needle cannot equal it
        return !n.isInt && strLength(p) == n.len
                && java.util.Arrays.equals(buf, strOffset(p), strOffset(p) + n.len, n.b, n.off, n.off + n.len);
    }

    // ---- the fill limit ----

    /**
     * True if an element of {@code len} bytes may join this node under list-max-listpack-size
     * {@code fill}: negative values limit the node's bytes (-1 = 4 KB ... -5 = 64 KB), positive ones
     * its element count (within a safety size of 8 KB). The element's entry overhead is
     * overestimated, as Redis 7.0 does, so nodes split where they split in Redis.
     */
    boolean allowInsert(int len, int fill) {
        int overhead = (len < 254 ? 1 : 5) + (len < 64 ? 1 : len < 16384 ? 2 : 5);
        long size = LISTPACK_OVERHEAD + (long) bytes() + len + overhead;
        if (fill < 0) return size <= SIZE_LIMITS[(fill < -SIZE_LIMITS.length ? SIZE_LIMITS.length : -fill) - 1];
        return size <= SIZE_SAFETY_LIMIT && count < fill;
    }

    // ---- changes ----

    void pushTail(byte[] v, int off, int len) {
        int n = entrySize(v, off, len);
        if (buf.length - end < n) makeRoom(0, n);
        end = writeEntry(buf, end, v, off, len);
        count++;
    }

    void pushHead(byte[] v, int off, int len) {
        int n = entrySize(v, off, len);
        if (start < n) makeRoom(n, 0);
        start -= n;
        writeEntry(buf, start, v, off, len);
        count++;
    }

    /**
     * Inserts an element so that its entry begins at {@code p} (an entry position, or {@link #end}).
     * Returns how far the entries before {@code p} moved (0 or minus the entry's size); those after it
     * moved by the entry's size plus that.
     */
    int insertAt(int p, byte[] v, int off, int len) {
        int n = entrySize(v, off, len);
        int shift = openGap(p, n);
        writeEntry(buf, p + shift, v, off, len);
        count++;
        return shift;
    }

    /**
     * Removes the entry at {@code p}. Returns how far the entries before it moved (0 or its size);
     * those after it moved by that minus its size, so the next entry is at {@code p} plus the result.
     */
    int removeAt(int p) {
        int n = entryLength(p);
        count--;
        int shift;
        if (p - start < end - (p + n)) { // move the shorter side over the hole
            System.arraycopy(buf, start, buf, start + n, p - start);
            start += n;
            shift = n;
        } else {
            System.arraycopy(buf, p + n, buf, p, end - (p + n));
            end -= n;
            shift = 0;
        }
        if (buf.length > 64 && bytes() < buf.length >> 2) shift += shrink();
        return shift;
    }

    /** Replaces the element at {@code p}; returns where its entry is now (the array may have been reallocated). */
    int replaceAt(int p, byte[] v, int off, int len) {
        int old = entryLength(p), n = entrySize(v, off, len);
        if (n > old && buf.length - end < n - old) {
            int rel = p - start;
            makeRoom(0, n - old);
            p = start + rel;
        }
        System.arraycopy(buf, p + old, buf, p + n, end - (p + old));
        end += n - old;
        writeEntry(buf, p, v, off, len);
        return p;
    }

    /** Drops the first {@code n} entries. */
    void dropHead(int n) {
        int p = start;
        for (int i = 0; i < n; i++) p = next(p);
        start = p;
        count -= n;
        if (buf.length > 64 && bytes() < buf.length >> 2) shrink();
    }

    /** Drops the last {@code n} entries. */
    void dropTail(int n) {
        int p = end;
        for (int i = 0; i < n; i++) p = prev(p);
        end = p;
        count -= n;
        if (buf.length > 64 && bytes() < buf.length >> 2) shrink();
    }

    /** Moves the entries from {@code p} on (the {@code moved} last ones) into a new node. */
    ListNode splitAt(int p, int moved) {
        ListNode right = new ListNode(java.util.Arrays.copyOfRange(buf, p, end), moved);
        end = p;
        count -= moved;
        return right;
    }

    /** Drops the spare room, for a node that is full and will not grow again. */
    void compact() {
        if (buf.length == bytes()) return;
        buf = java.util.Arrays.copyOfRange(buf, start, end);
        end -= start;
        start = 0;
    }

    /** A copy holding just the entries (for COPY). */
    final ListNode copyNode() {
        return new ListNode(java.util.Arrays.copyOfRange(buf, start, end), count);
    }

    /**
     * Opens {@code n} bytes at {@code p}, moving the shorter side if there is room for it. Returns the
     * shift of the entries before {@code p} (the gap then begins at {@code p} plus it).
     */
    private int openGap(int p, int n) {
        int before = p - start, after = end - p;
        if (before < after && start >= n) {
            System.arraycopy(buf, start, buf, start - n, before);
            start -= n;
            return -n;
        }
        if (buf.length - end < n) {
            int oldStart = start;
            makeRoom(0, n);
            p += start - oldStart;
            System.arraycopy(buf, p, buf, p + n, end - p);
            end += n;
            return start - oldStart;
        }
        System.arraycopy(buf, p, buf, p + n, after);
        end += n;
        return 0;
    }

    /**
     * Makes at least {@code head} bytes free before the entries and {@code tail} after them,
     * reallocating with an eighth of the used size to spare (about what an allocator's size classes
     * waste; repeated pushes still copy amortized O(1) bytes each), or just sliding the entries over
     * when the array already has the room. The spare room goes to the side that asked.
     */
    private void makeRoom(int head, int tail) {
        int used = bytes();
        int need = used + head + tail;
        byte[] dst = buf.length >= need + (need >> 3) ? buf : new byte[need + spare(used)];
        int spare = dst.length - need;
        int newStart = head + (tail == 0 ? spare : head == 0 ? 0 : spare / 2);
        System.arraycopy(buf, start, dst, newStart, used);
        buf = dst;
        start = newStart;
        end = newStart + used;
    }

    private static int spare(int used) {
        return Math.max(8, used >> 3);
    }

    /** Returns memory once most of the array is unused; returns how far the entries moved. */
    private int shrink() {
        int used = bytes();
        byte[] dst = new byte[used + spare(used)];
        int newStart = (dst.length - used) / 2;
        System.arraycopy(buf, start, dst, newStart, used);
        int moved = newStart - start;
        buf = dst;
        start = newStart;
        end = newStart + used;
        return moved;
    }
}
