package io.kvasir.server;

import io.kvasir.store.Clock;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Stripe;
import io.kvasir.store.Table;

/**
 * The active expiry cycle: every cron tick, walk stripes round-robin and delete keys past their
 * deadline, within a time budget of a quarter of the tick (Redis's 25% CPU cap), so memory held
 * by keys nobody reads again is reclaimed.
 */
final class ActiveExpiry {
    private ActiveExpiry() {}

    private static int nextStripe;

    static void cycle(Kvasir server) {
        Keyspace ks = server.keyspace();
        int hz = Math.max(1, server.config().getInt("hz"));
        long budgetNanos = 250_000_000L / hz;
        long start = System.nanoTime();
        long[] ttlSum = new long[ks.databases()];
        long[] ttlCount = new long[ks.databases()];
        try {
            for (int n = 0; n < Keyspace.STRIPES; n++) {
                Stripe stripe = ks.stripe(nextStripe);
                nextStripe = (nextStripe + 1) % Keyspace.STRIPES;
                stripe.lock();
                try {
                    for (int db = 0; db < ks.databases(); db++) {
                        Table t = stripe.table(db);
                        if (t != null && t.expiring() > 0) {
                            server.stats().expiredKeys.add(expire(ks, t, db, ttlSum, ttlCount));
                        }
                    }
                } finally {
                    stripe.unlock();
                }
                if (System.nanoTime() - start > budgetNanos) return;
            }
        } finally {
            updateAvgTtl(server.avgTtl, ttlSum, ttlCount);
            server.stats().expireCycleMillis.add((System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Folds this cycle's sampled TTLs into each database's running average, weighting the new
     * sample by 1/50 as Redis does, so INFO keyspace avg_ttl moves smoothly.
     */
    private static void updateAvgTtl(long[] avg, long[] sum, long[] count) {
        for (int db = 0; db < avg.length; db++) {
            if (count[db] == 0) continue;
            long sample = sum[db] / count[db];
            avg[db] = avg[db] == 0 ? sample : (avg[db] / 50) * 49 + (sample / 50);
        }
    }

    private static int expire(Keyspace ks, Table t, int db, long[] ttlSum, long[] ttlCount) {
        long now = Clock.now();
        int removed = 0;
        for (int s = 0; s < t.capacity(); ) {
            long at = t.occupied(s) ? t.expireAt(s) : Table.NO_EXPIRE;
            if (at != Table.NO_EXPIRE && at <= now) {
                ks.removeExpired(db, t, s); // backward shift may move another key into s: look at s again
                removed++;
            } else {
                if (at != Table.NO_EXPIRE) {
                    ttlSum[db] += at - now;
                    ttlCount[db]++;
                }
                s++;
            }
        }
        return removed;
    }
}
