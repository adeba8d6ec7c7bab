package io.kvasir.bench;

import java.util.SplittableRandom;

/** Key numbers for the {@code __rand_int__} holes of a request, in [0, keyspace). */
abstract class Keys {
    enum Distribution { uniform, sequential, zipfian }

    abstract long next();

    static Keys of(Distribution distribution, long keyspace, double theta, long seed) {
        return switch (distribution) {
            case uniform -> new Uniform(keyspace, seed);
            case sequential -> new Sequential(keyspace);
            case zipfian -> new Zipfian(keyspace, theta, seed);
        };
    }

    static final class Uniform extends Keys {
        private final long keyspace;
        private final SplittableRandom random;

        Uniform(long keyspace, long seed) {
            this.keyspace = keyspace;
            this.random = new SplittableRandom(seed);
        }

        @Override
        long next() { return random.nextLong(keyspace); }
    }

    /** 0, 1, 2, ... wrapping at the keyspace; {@link #seek} restarts elsewhere (the fill claims ranges). */
    static final class Sequential extends Keys {
        private final long keyspace;
        private long next;

        Sequential(long keyspace) { this.keyspace = keyspace; }

        Sequential seek(long position) {
            next = position % keyspace;
            return this;
        }

        @Override
        long next() {
            long k = next;
            next = k + 1 == keyspace ? 0 : k + 1;
            return k;
        }
    }

    /**
     * Zipf-distributed ranks (key 0 is the hottest), by the method of Gray et al., "Quickly
     * generating billion-record synthetic databases" (SIGMOD 1994): one uniform draw per key.
     */
    static final class Zipfian extends Keys {
        /** Past this many keys zeta(n) is the exact sum up to here plus an integral for the tail. */
        private static final long EXACT_TERMS = 1 << 20;

        private final long keyspace;
        private final double alpha, zetaN, eta, halfPowTheta;
        private final SplittableRandom random;

        Zipfian(long keyspace, double theta, long seed) {
            if (!(theta > 0 && theta < 1)) throw new IllegalArgumentException("the zipfian exponent must be in (0, 1)");
            this.keyspace = keyspace;
            this.random = new SplittableRandom(seed);
            this.zetaN = zeta(keyspace, theta);
            this.alpha = 1 / (1 - theta);
            this.halfPowTheta = Math.pow(0.5, theta);
            double zeta2 = zeta(Math.min(2, keyspace), theta);
            this.eta = keyspace < 2 ? 0 : (1 - Math.pow(2.0 / keyspace, 1 - theta)) / (1 - zeta2 / zetaN);
        }

        static double zeta(long n, double theta) {
            long exact = Math.min(n, EXACT_TERMS);
            double sum = 0;
            for (long i = 1; i <= exact; i++) sum += 1 / Math.pow(i, theta);
            if (n > exact) {
                // midpoint rule: sum of i^-theta over (exact, n] ~ integral from exact+1/2 to n+1/2
                sum += (Math.pow(n + 0.5, 1 - theta) - Math.pow(exact + 0.5, 1 - theta)) / (1 - theta);
            }
            return sum;
        }

        @Override
        long next() {
            double u = random.nextDouble();
            double uz = u * zetaN;
            if (uz < 1) return 0;
            if (uz < 1 + halfPowTheta) return Math.min(1, keyspace - 1);
            long k = (long) (keyspace * Math.pow(eta * u - eta + 1, alpha));
            return Math.min(k, keyspace - 1);
        }
    }
}
