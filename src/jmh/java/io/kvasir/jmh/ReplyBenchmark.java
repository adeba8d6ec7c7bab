package io.kvasir.jmh;

import io.kvasir.protocol.Reply;
import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reply writer, writing into the heap buffer a connection keeps for its replies (or, with
 * {@code -p buffer=direct}, into a direct buffer of Netty's default allocator, Reply's other
 * path); the buffer is emptied before each reply (an index reset), and the result is the number
 * of bytes written. The copy a flush makes is DispatcherBenchmark's. Run in RESP2 and RESP3: null
 * and map replies differ between them, the others are the same bytes. Values come from arrays
 * indexed by a counter that changes every operation, so nothing is a constant the JIT could fold.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC", "-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class ReplyBenchmark {
    private static final int VARIANTS = 1024; // a power of two: the counter is masked into it
    private static final int ELEMENTS = 16;

    @Param({"2", "3"})
    public int resp;

    /** heap: Connection's reply buffer; direct: a pooled direct buffer. */
    @Param({"heap"})
    public String buffer;

    private final Reply reply = new Reply();
    private ByteBuf out;
    private final long[] integers = new long[VARIANTS];
    /** Values packed in one array, as the keyspace stores them: variant i at i * size. */
    private byte[] values16, values100;
    private String simple = "PONG";
    private int next;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(3);
        // counters, lengths and big numbers alike: 1 to 19 digits, some negative
        for (int i = 0; i < VARIANTS; i++) integers[i] = random.nextLong() >> random.nextInt(64);
        values16 = randomBytes(random, 16 * VARIANTS);
        values100 = randomBytes(random, 100 * VARIANTS);
        out = switch (buffer) {
            case "heap" -> Fixtures.replyBuffer();
            case "direct" -> Fixtures.ioBuffer(4096);
            default -> throw new IllegalArgumentException("buffer: heap or direct, not " + buffer);
        };
        reply.target(out);
        reply.resp(resp);
    }

    @TearDown
    public void release() {
        out.release();
    }

    /** A status line (PING's "+PONG"). */
    @Benchmark
    public int simple() {
        out.clear();
        reply.simple(simple);
        return out.writerIndex();
    }

    @Benchmark
    public int integer() {
        out.clear();
        reply.integer(integers[variant()]);
        return out.writerIndex();
    }

    /** GET's reply for a 16-byte value. */
    @Benchmark
    public int bulk16() {
        out.clear();
        reply.bulk(values16, 16 * variant(), 16);
        return out.writerIndex();
    }

    @Benchmark
    public int bulk100() {
        out.clear();
        reply.bulk(values100, 100 * variant(), 100);
        return out.writerIndex();
    }

    /** GET's reply for a missing key: "$-1" in RESP2, "_" in RESP3. */
    @Benchmark
    public int nullBulk() {
        out.clear();
        reply.nullBulk();
        return out.writerIndex();
    }

    /** An array of 16 bulks of 16 bytes (MGET or LRANGE of 16). */
    @Benchmark
    public int arrayOfBulks() {
        out.clear();
        reply.array(ELEMENTS);
        for (int i = 0; i < ELEMENTS; i++) reply.bulk(values16, 16 * variant(), 16);
        return out.writerIndex();
    }

    /** A map of 8 field/value bulks (HGETALL): "%8" in RESP3, an array of 16 in RESP2. */
    @Benchmark
    public int mapOfBulks() {
        out.clear();
        reply.map(ELEMENTS / 2);
        for (int i = 0; i < ELEMENTS; i++) reply.bulk(values16, 16 * variant(), 16);
        return out.writerIndex();
    }

    private int variant() {
        return next++ & (VARIANTS - 1);
    }

    private static byte[] randomBytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ('a' + random.nextInt(26));
        return b;
    }
}
