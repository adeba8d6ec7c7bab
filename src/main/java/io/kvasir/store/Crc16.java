package io.kvasir.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Redis Cluster key slots: CRC16 (XMODEM) of the key or of its first non-empty {hash tag}, mod 16384. */
public final class Crc16 {
    private Crc16() {}

    public static final int SLOTS = 16384;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long BRACES = 0x7b7b7b7b7b7b7b7bL, ONES = 0x0101010101010101L, HIGHS = 0x8080808080808080L;

    /**
     * T[256 * k + x]: the register after feeding byte x and then k zero bytes into a zero register.
     * The CRC is linear, so feeding eight bytes into register r equals feeding them with r XORed
     * into the first two, and each byte's share is one lookup: eight independent lookups per step
     * instead of eight dependent ones.
     */
    private static final int[] T = new int[8 * 256];

    static {
        for (int x = 0; x < 256; x++) {
            int crc = x << 8;
            for (int b = 0; b < 8; b++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            T[x] = crc & 0xffff;
        }
        for (int k = 1; k < 8; k++) {
            for (int x = 0; x < 256; x++) {
                int v = T[256 * (k - 1) + x]; // one more zero byte: shift, and reduce what falls out
                T[256 * k + x] = ((v << 8) ^ T[v >>> 8]) & 0xffff;
            }
        }
    }

    /** CRC16-XMODEM of {@code b[off, off+len)}. */
    public static int crc16(byte[] b, int off, int len) {
        int crc = 0, i = off, end = off + len;
        for (; i + 8 <= end; i += 8) crc = step8(crc, (long) LONG_BE.get(b, i));
        for (; i < end; i++) crc = step1(crc, b[i]);
        return crc;
    }

    private static int step8(int crc, long w) {
        int x = crc ^ (int) (w >>> 48);
        return T[7 * 256 + (x >>> 8)] ^ T[6 * 256 + (x & 0xff)]
                ^ T[5 * 256 + ((int) (w >>> 40) & 0xff)] ^ T[4 * 256 + ((int) (w >>> 32) & 0xff)]
                ^ T[3 * 256 + ((int) (w >>> 24) & 0xff)] ^ T[2 * 256 + ((int) (w >>> 16) & 0xff)]
                ^ T[256 + ((int) (w >>> 8) & 0xff)] ^ T[(int) w & 0xff];
    }

    private static int step1(int crc, byte b) {
        return ((crc << 8) ^ T[((crc >>> 8) ^ b) & 0xff]) & 0xffff;
    }

    /**
     * The hash slot of a key, honouring the first {...} section when it is non-empty. Keys without
     * a '{' (nearly all) are hashed in the same pass that looks for one, eight bytes at a time.
     */
    public static int slot(byte[] k, int off, int len) {
        int crc = 0, i = off, end = off + len;
        for (; i + 8 <= end; i += 8) {
            long w = (long) LONG_BE.get(k, i);
            long x = w ^ BRACES; // a zero byte where w has a '{'
            if (((x - ONES) & ~x & HIGHS) != 0) return tagged(k, off, len);
            crc = step8(crc, w);
        }
        for (; i < end; i++) {
            if (k[i] == '{') return tagged(k, off, len);
            crc = step1(crc, k[i]);
        }
        return crc & (SLOTS - 1);
    }

    private static int tagged(byte[] k, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (k[i] == '{') {
                for (int j = i + 1; j < end; j++) {
                    if (k[j] == '}') {
                        if (j == i + 1) break; // "{}" : hash the whole key
                        return crc16(k, i + 1, j - i - 1) & (SLOTS - 1);
                    }
                }
                break;
            }
        }
        return crc16(k, off, len) & (SLOTS - 1);
    }
}
