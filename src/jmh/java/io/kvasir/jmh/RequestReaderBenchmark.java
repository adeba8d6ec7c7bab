package io.kvasir.jmh;

import io.kvasir.protocol.RequestReader;
import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RESP request parser on what a GET/SET load sends. An invocation is what Connection does
 * per socket read: append the bytes (from a direct buffer, as Netty hands them over), then parse
 * every request they complete. Each invocation consumes all its bytes, so the next one starts on
 * an empty buffer as a connection does. The "split" variants deliver the same bytes in several
 * reads, cut inside headers and arguments, so parsing resumes mid-request. Times are per request
 * (per command for the pipelines, per MSET for MSET).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC", "-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class RequestReaderBenchmark {
    private static final int PIPELINE = 16;
    private static final int MSET_PAIRS = 100;
    /** Reads of 64 bytes: most end inside a header or an argument. */
    private static final int SMALL_READS = 64;
    /** A TCP segment's payload on Ethernet. */
    private static final int SEGMENT = 1460;

    private final RequestReader reader = new RequestReader();
    private ByteBuf get, set16, set100, pipeline, mset;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] v16 = Fixtures.value(16);
        get = frames(Fixtures.command(Fixtures.ascii("GET"), randomKey(random)));
        set16 = frames(Fixtures.command(Fixtures.ascii("SET"), randomKey(random), v16));
        set100 = frames(Fixtures.command(Fixtures.ascii("SET"), randomKey(random), Fixtures.value(100)));
        byte[][] sets = new byte[PIPELINE][];
        for (int i = 0; i < PIPELINE; i++) sets[i] = Fixtures.command(Fixtures.ascii("SET"), randomKey(random), v16);
        pipeline = frames(Fixtures.concat(sets));
        byte[][] msetArgs = new byte[1 + 2 * MSET_PAIRS][];
        msetArgs[0] = Fixtures.ascii("MSET");
        for (int i = 0; i < MSET_PAIRS; i++) {
            msetArgs[1 + 2 * i] = randomKey(random);
            msetArgs[2 + 2 * i] = v16;
        }
        mset = frames(Fixtures.command(msetArgs));
        // every frame parses to its requests, whole or split, with nothing left over
        expect(get(), 1);
        expect(set16(), 1);
        expect(set100(), 1);
        expect(pipeline16(), PIPELINE);
        expect(pipeline16Split(), PIPELINE);
        expect(mset100(), 1);
        expect(mset100Split(), 1);
        if (reader.buffered() != 0) throw new IllegalStateException("bytes left unparsed");
    }

    @TearDown
    public void release() {
        for (ByteBuf b : new ByteBuf[] {get, set16, set100, pipeline, mset}) b.release();
    }

    @Benchmark
    public int get() { return read(get, 0, get.capacity()); }

    @Benchmark
    public int set16() { return read(set16, 0, set16.capacity()); }

    @Benchmark
    public int set100() { return read(set100, 0, set100.capacity()); }

    /** 16 SETs of 16-byte values in one read (redis-benchmark -P 16 -d 16); time per command. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int pipeline16() { return read(pipeline, 0, pipeline.capacity()); }

    /** The same 16 SETs arriving in reads of 64 bytes; time per command. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int pipeline16Split() { return readSplit(pipeline, SMALL_READS); }

    /** MSET of 100 keys with 16-byte values (201 arguments, 4.6 KB) in one read. */
    @Benchmark
    public int mset100() { return read(mset, 0, mset.capacity()); }

    /** The same MSET arriving in TCP segments of 1460 bytes. */
    @Benchmark
    public int mset100Split() { return readSplit(mset, SEGMENT); }

    private int readSplit(ByteBuf frames, int chunk) {
        int requests = 0, end = frames.capacity();
        for (int from = 0; from < end; from += chunk) requests += read(frames, from, Math.min(from + chunk, end));
        return requests;
    }

    /**
     * One read of {@code frames[from, to)} and the requests it completes, as Connection.process:
     * returns how many. Their arguments are the offsets and lengths the parser stored in its
     * {@code Args}, which the JIT cannot drop.
     */
    private int read(ByteBuf frames, int from, int to) {
        frames.setIndex(from, to);
        reader.append(frames);
        int requests = 0;
        RequestReader.Result r;
        while ((r = reader.next()) == RequestReader.Result.REQUEST) requests++;
        if (r == RequestReader.Result.PROTOCOL_ERROR) throw new IllegalStateException(reader.error());
        reader.trimIfIdle();
        return requests;
    }

    private static byte[] randomKey(SplittableRandom random) {
        return Fixtures.key(random.nextInt(Fixtures.KEYS));
    }

    private static ByteBuf frames(byte[] bytes) {
        ByteBuf b = Fixtures.ioBuffer(bytes.length);
        b.writeBytes(bytes);
        if (b.capacity() != bytes.length) throw new IllegalStateException("frames are read up to capacity()");
        return b;
    }

    private static void expect(int actual, int expected) {
        if (actual != expected) throw new IllegalStateException("parsed " + actual + " requests, expected " + expected);
    }
}
