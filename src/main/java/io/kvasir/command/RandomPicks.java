package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.RedisError;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Distinct random elements of a collection (HRANDFIELD and SRANDMEMBER with a positive count
 * below the size), as handles: a partial shuffle of every handle when many are wanted, else
 * uniform draws until enough distinct ones came up (O(count), whatever the size).
 */
final class RandomPicks {
    private RandomPicks() {}

    private static final RedisError COUNT_RANGE = new RedisError(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");

    /** The count argument of HRANDFIELD and SRANDMEMBER: any long but the one whose negation overflows. */
    static long count(Args a, int i) {
        long n = a.longValue(i);
        if (n == Long.MIN_VALUE) throw COUNT_RANGE;
        return n;
    }

    static int[] distinct(int size, int count, IntSupplier sampler, Supplier<int[]> all) {
        if ((long) count * 3 > size) {
            int[] h = all.get();
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < count; i++) {
                int j = random.nextInt(i, h.length);
                int t = h[i];
                h[i] = h[j];
                h[j] = t;
            }
            return Arrays.copyOf(h, count);
        }
        Set<Integer> seen = new HashSet<>();
        int[] out = new int[count];
        for (int n = 0; n < count; ) {
            int h = sampler.getAsInt();
            if (seen.add(h)) out[n++] = h;
        }
        return out;
    }
}
