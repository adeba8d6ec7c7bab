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
        for (int n = 0; n < Keyspace.STRIPES; n++) {
            Stripe stripe = ks.stripe(nextStripe);
            nextStripe = (nextStripe + 1) % Keyspace.STRIPES;
            stripe.lock();
            try {
                for (int db = 0; db < ks.databases(); db++) {
                    Table t = stripe.table(db);
                    if (t != null && t.expiring() > 0) server.stats().expiredKeys.add(expire(t));
                }
            } finally {
                stripe.unlock();
            }
            if (System.nanoTime() - start > budgetNanos) return;
        }
    }

    private static int expire(Table t) {
        long now = Clock.now();
        int removed = 0;
        for (int s = 0; s < t.capacity(); ) {
            if (t.occupied(s) && t.expireAt(s) != Table.NO_EXPIRE && t.expireAt(s) <= now) {
                t.removeAt(s); // backward shift may move another key into s: look at s again
                removed++;
            } else {
                s++;
            }
        }
        return removed;
    }
}
