package io.kvasir.jmh;

import io.kvasir.store.Db;
import io.kvasir.store.Entry;
import io.kvasir.store.Keyspace;
import io.kvasir.store.Table;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The keyspace index through {@link Db}, as commands use it: a million 16-byte keys
 * {@code key:%012d} with 16-byte values in database 0, spread over the 256 stripes' tables
 * (about 60 MB, far past the CPU caches). Every operation names a key drawn at random, so the
 * index slot and the entry it points to are cache misses as under a uniform redis-benchmark load.
 * The key is written into a receive-buffer-like array first; {@link #randomKey} measures that
 * part alone. No stripe lock is taken (one thread per keyspace: each benchmark thread loads its
 * own); DispatcherBenchmark includes the locking.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC", "-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class KeyspaceBenchmark {
    private static final int KEYS = Fixtures.KEYS;
    private static final int LEN = Fixtures.KEY_LENGTH;

    private Db db;
    private final Entry entry = new Entry();
    private final byte[] key = Fixtures.key(0);
    private final byte[] value = Fixtures.value(16);
    private final SplittableRandom random = new SplittableRandom(7);

    @Setup
    public void load() {
        db = new Keyspace(16).db(0);
        for (int i = 0; i < KEYS; i++) {
            Fixtures.number(key, 0, i);
            db.putString(key, 0, LEN, value, 0, value.length, Table.NO_EXPIRE, entry);
        }
        if (db.size() != KEYS) throw new IllegalStateException("loaded " + db.size() + " keys");
        Fixtures.number(key, 0, KEYS - 1);
        if (!db.lookup(key, 0, LEN, entry) || entry.stringLength() != value.length) throw new IllegalStateException("lookup");
        Fixtures.number(key, 0, KEYS);
        if (db.lookup(key, 0, LEN, entry)) throw new IllegalStateException("a key never stored was found");
        System.gc(); // the loading's garbage (outgrown tables) is not the measured code's
    }

    /** Drawing and writing the random key alone: the baseline included in every other result. */
    @Benchmark
    public byte[] randomKey() {
        Fixtures.number(key, 0, random.nextInt(KEYS));
        return key;
    }

    /** A key that exists (GET's lookup, without the access-time update). */
    @Benchmark
    public boolean lookupHit() {
        Fixtures.number(key, 0, random.nextInt(KEYS));
        return db.lookup(key, 0, LEN, entry);
    }

    /** A key that does not exist: the probe ends on an empty slot or another hash. */
    @Benchmark
    public boolean lookupMiss() {
        Fixtures.number(key, 0, KEYS + random.nextInt(KEYS));
        return db.lookup(key, 0, LEN, entry);
    }

    /** SET over an existing key with a value of the same size (written in place). */
    @Benchmark
    public int putOverwrite() {
        Fixtures.number(key, 0, random.nextInt(KEYS));
        db.putString(key, 0, LEN, value, 0, value.length, Table.NO_EXPIRE, entry);
        return entry.slot();
    }

    /**
     * DEL of an existing key, then SET of it again (so the table keeps its million keys): a
     * backward-shift removal and an insert whose entry is appended, with the compactions that
     * the garbage brings in time.
     */
    @Benchmark
    public int deleteThenPut() {
        Fixtures.number(key, 0, random.nextInt(KEYS));
        if (!db.delete(key, 0, LEN)) throw new IllegalStateException("missing key");
        db.putString(key, 0, LEN, value, 0, value.length, Table.NO_EXPIRE, entry);
        return entry.slot();
    }
}
