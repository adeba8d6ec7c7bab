package io.kvasir.store;

/** Redis Cluster key slots: CRC16 (XMODEM) of the key or of its first non-empty {hash tag}, mod 16384. */
public final class Crc16 {
    private Crc16() {}

    public static final int SLOTS = 16384;
    /** TABLE[x]: the register after feeding byte x into a zero register. */
    private static final int[] TABLE = new int[256];
    /** TABLE2[x]: the register after feeding byte x and then a zero byte into a zero register. */
    private static final int[] TABLE2 = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
        for (int i = 0; i < 256; i++) {
            TABLE2[i] = ((TABLE[i] << 8) ^ TABLE[TABLE[i] >>> 8]) & 0xffff;
        }
    }

    /**
     * CRC16-XMODEM, two bytes per step: the CRC is linear, so feeding bytes (b0, b1) into register
     * r equals feeding the 16 bits x = r ^ (b0 << 8 | b1) into a zero register, which is
     * TABLE2[x >> 8] ^ TABLE[x & 0xff]. Half the dependent steps of the byte-wise loop.
     */
    public static int crc16(byte[] b, int off, int len) {
        int crc = 0;
        int i = off, end = off + len;
        for (; i + 1 < end; i += 2) {
            int x = crc ^ ((b[i] & 0xff) << 8 | (b[i + 1] & 0xff));
            crc = TABLE2[x >>> 8] ^ TABLE[x & 0xff];
        }
        if (i < end) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b[i]) & 0xff]) & 0xffff;
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
