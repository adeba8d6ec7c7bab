package io.kvasir.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 32-bit hash that places keys in a table: eight bytes at a time, well mixed, and seeded at
 * random per process (as Redis seeds its SipHash), so that nobody can choose in advance many keys,
 * fields or members that pile into one probe run and make every lookup slow.
 */
public final class Hashing {
    private Hashing() {}

    private static final long SEED = new java.security.SecureRandom().nextLong();

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long M = 0x9E3779B97F4A7C15L;

    public static int hash(byte[] b, int off, int len) {
        return hash(SEED, b, off, len);
    }

    static int hash(long seed, byte[] b, int off, int len) {
        long h = (len ^ seed) * M;
        int i = off, end = off + len;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(b, i) * M), 29) * 0xBF58476D1CE4E5B9L;
        }
        long tail = 0;
        for (int s = 0; i < end; i++, s += 8) tail |= (b[i] & 0xffL) << s;
        h ^= tail * M;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 29;
        return (int) h;
    }
}
