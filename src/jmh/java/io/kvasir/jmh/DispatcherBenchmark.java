package io.kvasir.jmh;

import io.kvasir.command.Call;
import io.kvasir.command.Dispatcher;
import io.kvasir.embed.KvasirServer;
import io.kvasir.protocol.Args;
import io.kvasir.protocol.Reply;
import io.kvasir.protocol.RequestReader;
import io.kvasir.server.Client;
import io.kvasir.server.Kvasir;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
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
 * Whole commands through {@link Dispatcher#execute}, with no network: a server started through
 * the embedding API (its port stays unused) holding a million keys {@code key:%012d} with
 * 16-byte values, and one client context ({@link Call}) per benchmark thread, as a connection
 * has. A command is everything a connection's thread does for it past parsing: table lookup,
 * arity and auth checks, the stripe lock, the handler, statistics, the reply written into the
 * connection's reply buffer. Keys are drawn at random over the million (misses over another
 * million). The pipeline variants are a whole read: 16 requests appended from a direct buffer,
 * parsed and run as Connection.process does, then the replies copied for the socket as a flush
 * does; timed per command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC", "-Xms1g", "-Xmx1g", "--enable-native-access=ALL-UNNAMED"})
public class DispatcherBenchmark {
    private static final int KEYS = Fixtures.KEYS;
    private static final int PIPELINE = 16;
    private static final byte[] VALUE = Fixtures.value(16);

    /** The server and its million keys, shared by the benchmark threads. */
    @State(Scope.Benchmark)
    public static class Server {
        KvasirServer server;

        @Setup
        public void start() {
            server = KvasirServer.builder().port(0).config("bind", "127.0.0.1").config("save", "").start();
            Connection loader = new Connection(server.kvasir());
            for (int i = 0; i < KEYS; i++) {
                if (loader.execute(loader.set, i) != 5) throw new IllegalStateException("SET failed");
            }
            loader.out.release();
            long size = server.kvasir().keyspace().db(0).size();
            if (size != KEYS) throw new IllegalStateException("loaded " + size + " keys");
            System.gc(); // the loading's garbage (outgrown tables) is not the measured code's
        }

        @TearDown
        public void stop() {
            server.close();
        }
    }

    /** What a connection holds: client state, call context, reply buffer, parser. */
    static final class Connection {
        final Dispatcher dispatcher;
        final Call call;
        final Reply reply = new Reply();
        final ByteBuf out = Fixtures.replyBuffer();
        final Args get = Args.of(Fixtures.ascii("GET"), Fixtures.key(0));
        final Args set = Args.of(Fixtures.ascii("SET"), Fixtures.key(0), VALUE);
        final RequestReader reader = new RequestReader();

        Connection(Kvasir kvasir) {
            dispatcher = kvasir.dispatcher();
            Client client = new Client(kvasir.nextClientId(), "127.0.0.1:40000", "127.0.0.1:6379", null);
            client.authenticated(!kvasir.authRequired());
            call = new Call(kvasir, client);
            reply.target(out);
        }

        /** Runs {@code args} with its key (argument 1) set to key number {@code n}; returns the reply's size. */
        int execute(Args args, int n) {
            Fixtures.number(args.buf(), args.off(1), n);
            out.clear();
            dispatcher.execute(call, args, reply);
            return out.writerIndex();
        }

        void run(Args args, int n, String expected) {
            execute(args, n);
            String actual = out.toString(StandardCharsets.US_ASCII);
            if (!actual.equals(expected)) throw new IllegalStateException(args + ": " + actual + ", expected " + expected);
        }
    }

    private Connection connection;
    private final SplittableRandom random = new SplittableRandom(11);
    /** 16 GETs, and 16 SETs of 16-byte values, as one read; where each request's key is. */
    private byte[] gets, sets;
    private int[] getKeys, setKeys;
    private ByteBuf in;

    @Setup
    public void connect(Server s) {
        connection = new Connection(s.server.kvasir());
        String value = new String(VALUE, StandardCharsets.US_ASCII);
        connection.run(connection.get, KEYS - 1, "$16\r\n" + value + "\r\n");
        connection.run(connection.get, KEYS, "$-1\r\n");
        connection.run(connection.set, 0, "+OK\r\n");
        byte[][] getFrames = new byte[PIPELINE][], setFrames = new byte[PIPELINE][];
        for (int i = 0; i < PIPELINE; i++) {
            getFrames[i] = Fixtures.command(Fixtures.ascii("GET"), Fixtures.key(0));
            setFrames[i] = Fixtures.command(Fixtures.ascii("SET"), Fixtures.key(0), VALUE);
        }
        gets = Fixtures.concat(getFrames);
        sets = Fixtures.concat(setFrames);
        getKeys = keyOffsets(getFrames);
        setKeys = keyOffsets(setFrames);
        in = Fixtures.ioBuffer(Math.max(gets.length, sets.length));
        if (pipeline(gets, getKeys) != PIPELINE * (5 + 16 + 2)) throw new IllegalStateException("GET pipeline");
        if (pipeline(sets, setKeys) != PIPELINE * 5) throw new IllegalStateException("SET pipeline");
    }

    @TearDown
    public void release() {
        connection.out.release();
        in.release();
    }

    /** GET of an existing key: "$16\r\n...". */
    @Benchmark
    public int get() { return connection.execute(connection.get, random.nextInt(KEYS)); }

    /** GET of a missing key: "$-1\r\n". */
    @Benchmark
    public int getMiss() { return connection.execute(connection.get, KEYS + random.nextInt(KEYS)); }

    /** SET of an existing key, same value size, no options: "+OK\r\n". */
    @Benchmark
    public int set() { return connection.execute(connection.set, random.nextInt(KEYS)); }

    /** 16 pipelined GETs parsed and run (redis-benchmark -P 16 -t get); time per command. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int getPipeline16() { return pipeline(gets, getKeys); }

    /** 16 pipelined SETs parsed and run (redis-benchmark -P 16 -t set -d 16); time per command. */
    @Benchmark
    @OperationsPerInvocation(PIPELINE)
    public int setPipeline16() { return pipeline(sets, setKeys); }

    /**
     * Fresh random keys into the requests, the bytes into a direct buffer (the socket read), then
     * parse and run every request as Connection.process does, and flush; returns the replies' size.
     */
    private int pipeline(byte[] frames, int[] keys) {
        for (int at : keys) Fixtures.number(frames, at, random.nextInt(KEYS));
        in.clear().writeBytes(frames);
        Connection c = connection;
        c.reader.append(in);
        c.out.clear();
        while (c.reader.next() == RequestReader.Result.REQUEST) c.dispatcher.execute(c.call, c.reader.args(), c.reply);
        c.reader.trimIfIdle();
        return Fixtures.flush(c.out);
    }

    /** Where the key (argument 1) of each request is once the requests are concatenated. */
    private static int[] keyOffsets(byte[][] frames) {
        int[] keys = new int[frames.length];
        for (int i = 0, at = 0; i < frames.length; at += frames[i].length, i++) keys[i] = at + Fixtures.argOffset(frames[i], 1);
        return keys;
    }
}
