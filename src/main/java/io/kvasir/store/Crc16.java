package io.kvasir.store;

/** Redis Cluster key slots: CRC16 (XMODEM) of the key or of its first non-empty {hash tag}, mod 16384. */
public final class Crc16 {
    private Crc16() {}

    public static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    public static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    /** The hash slot of a key, honouring the first {...} section when it is non-empty. */
    public static int slot(byte[] k, int off, int len) {
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
