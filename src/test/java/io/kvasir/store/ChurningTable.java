package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A table holding one collection under a fixed key while other string keys come and go around it
 * (which moves entries, resizes the index and compacts pages), so that model tests see the
 * collection as commands do: stored packed into its entry while small, read through a fresh
 * {@link Entry#value} after every change to the table.
 */
final class ChurningTable {
    private static final byte[] KEY = "the-collection".getBytes(StandardCharsets.ISO_8859_1);
    private static final int HASH = Hashing.hash(KEY, 0, KEY.length);

    private final Table table = new Table();
    private final Random random;

    ChurningTable(Random random) {
        this.random = random;
    }

    /** Inserts and removes a few other keys, then returns the collection as a command would find it (storing {@code v} the first time). */
    @SuppressWarnings("unchecked")
    <V extends StoredValue> V churnAndFind(V v) {
        for (int i = random.nextInt(4); i > 0; i--) churn();
        int s = table.find(KEY, 0, KEY.length, HASH);
        if (s == Table.NONE) {
            byte[] p = v.packedForm();
            if (p == null) {
                s = table.putObject(KEY, 0, KEY.length, HASH, v.type(), v, Table.NO_EXPIRE);
            } else {
                s = table.putPacked(KEY, 0, KEY.length, HASH, v.type(), p, 0, p.length, Table.NO_EXPIRE);
                v.packedAt(table, s);
            }
        }
        Entry e = new Entry();
        e.set(null, table, s);
        V found = (V) e.value();
        assertNotNull(found);
        return found;
    }

    /** Stores {@code v} in the collection's entry in place of its value, as a command stores a set that an encoding conversion replaced. */
    void replace(StoredValue v) {
        table.setObject(table.find(KEY, 0, KEY.length, HASH), v);
    }

    private void churn() {
        byte[] k = ("other:" + random.nextInt(200)).getBytes(StandardCharsets.ISO_8859_1);
        int hash = Hashing.hash(k, 0, k.length);
        if (random.nextBoolean()) {
            byte[] v = new byte[random.nextInt(60)];
            table.putString(k, 0, k.length, hash, v, 0, v.length, Table.NO_EXPIRE);
        } else {
            int s = table.find(k, 0, k.length, hash);
            if (s != Table.NONE) table.removeAt(s);
        }
    }
}
