package io.kvasir.bench;

import io.kvasir.server.Main;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The kvasir-benchmark command: a RESP load generator for Kvasir or any Redis-compatible server. */
@Command(name = "kvasir-benchmark", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = Benchmark.Version.class, subcommands = Fanout.class,
        description = {
            "Drives a Redis-compatible server (Kvasir, redis-server, ...) with pipelined requests, as redis-benchmark does.",
            "",
            "Each connection sends a batch of -P requests, waits for all their replies, then sends the next batch. "
                + "The batches are encoded once before a test and rotated over the connections, so the generator does "
                + "no encoding while it runs.",
            "",
            "Latency: every request of a pipelined batch is given that batch's round trip (from writing the batch "
                + "to reading its last reply) as its latency.",
            "",
            "Every reply is parsed and checked: error replies, unexpected replies and lost connections are "
                + "reported and make the exit status 1.",
            ""
        },
        footer = {
            "",
            "Keys are key:%%012d (counter:%%012d for INCR, element:%%012d for set, hash and zset members), drawn "
                + "from [0, -r) by --distribution; values are -d bytes of 'x'. Tests run in the order given.",
            "",
            "Examples:",
            "  kvasir-benchmark -t set,get -P 16 -n 1000000 -r 1000000 -q",
            "  kvasir-benchmark --fill 1000000 -d 100",
            "  kvasir-benchmark --fill 1000000 --ratio 9:1 --seconds 30 \\",
            "      --distribution zipfian -P 32 --threads 2",
            "",
            "Pub/sub fan-out (PUBLISH to 1000 subscribers): kvasir-benchmark fanout --help"
        })
public final class Benchmark implements Callable<Integer> {
    static final String DEFAULT_TESTS = "ping,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,mset";

    @Option(names = "-h", paramLabel = "<hostname>", description = "Server hostname (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "-p", paramLabel = "<port>", description = "Server port (default ${DEFAULT-VALUE}).")
    int port = 6379;

    @Option(names = "-a", paramLabel = "<password>", description = "Password for AUTH.")
    String password;

    @Option(names = "--user", paramLabel = "<username>", description = "Username for AUTH (with -a).")
    String user;

    @Option(names = "--dbnum", paramLabel = "<db>", description = "SELECT this database (default ${DEFAULT-VALUE}).")
    int dbnum = 0;

    @Option(names = "-c", paramLabel = "<clients>", description = "Parallel connections (default ${DEFAULT-VALUE}).")
    int clients = 50;

    @Option(names = "-n", paramLabel = "<requests>", description = "Requests per test (default ${DEFAULT-VALUE}).")
    long requests = 100_000;

    @Option(names = "--seconds", paramLabel = "<s>", description = "Run each test for this long instead of -n requests.")
    Double seconds;

    @Option(names = "--warmup", paramLabel = "<s>",
            description = "First send PING and ECHO for this long, unmeasured, so the JIT compiler has done its work (default ${DEFAULT-VALUE}).")
    double warmup = 1;

    @Option(names = "-P", paramLabel = "<numreq>", description = "Pipeline depth: requests per batch (default ${DEFAULT-VALUE}; 20000 is fine).")
    int pipeline = 1;

    @Option(names = "-d", paramLabel = "<size>", description = "Value size in bytes for SET/MSET/LPUSH/HSET... (default ${DEFAULT-VALUE}).")
    int dataSize = 3;

    @Option(names = "-r", paramLabel = "<keyspacelen>",
            description = "Keys are drawn from [0, keyspacelen) (default 1, or the --fill count).")
    Long keyspace;

    @Option(names = "--distribution", paramLabel = "<d>",
            description = "How keys are drawn: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Keys.Distribution distribution = Keys.Distribution.uniform;

    @Option(names = "--zipf-theta", paramLabel = "<theta>", description = "Zipfian skew, in (0, 1) (default ${DEFAULT-VALUE}).")
    double zipfTheta = 0.99;

    @Option(names = "-t", paramLabel = "<tests>", split = ",",
            description = "Tests to run: ping (both pings), ping_inline, ping_mbulk, set, get, incr, lpush, rpush, lpop, rpop, "
                    + "sadd, hset, spop, zadd, zpopmin, mset (10 keys). Default: all, unless --fill or --ratio is given.")
    List<String> tests;

    @Option(names = "--ratio", paramLabel = "<get:set>", description = "A mixed test: GETs and SETs in this ratio, e.g. 9:1.")
    String ratio;

    @Option(names = "--fill", paramLabel = "<keys>",
            description = "First SET keys 0 .. keys-1 once each, with -d byte values, over --fill-pipeline deep pipelines"
                    + " (each connection encodes the ranges it claims); then run -t/--ratio if given, else exit.")
    Long fill;

    @Option(names = "--fill-pipeline", paramLabel = "<numreq>", description = "Pipeline depth of --fill (default ${DEFAULT-VALUE}).")
    int fillPipeline = 1000;

    @Option(names = "--threads", paramLabel = "<n>", description = "Event-loop threads driving the connections (default ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--seed", paramLabel = "<n>", description = "Seed of the key draws (default: random). Each test starts from it.")
    Long seed;

    @Option(names = "--batch-memory", paramLabel = "<MiB>",
            description = "Memory for a test's pre-encoded batches (default ${DEFAULT-VALUE}); beyond it batches repeat sooner.")
    int batchMemory = 128;

    @Option(names = "-q", description = "Quiet: only the one summary line per test.")
    boolean quiet;

    @Option(names = "--csv", description = "Print CSV (one row per test) on standard output.")
    boolean csv;

    @Option(names = "--json", description = "Print one JSON document with every test on standard output.")
    boolean json;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--version", versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    private final List<Result> results = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmark()).execute(args));
    }

    /** The results of the last run, in test order. */
    List<Result> results() { return results; }

    /** A test to run: its ops (one, or the GET/SET cycle), depth, and how many requests or how long. */
    private record Plan(String name, Op[] cycle, boolean fill, int depth, long limit, long durationNanos) {}

    @Override
    public Integer call() throws InterruptedException {
        List<Plan> plans = plans();
        long keys = keyspace != null ? keyspace : fill != null ? fill : 1;
        long runSeed = seed != null ? seed : System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends Channel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        results.clear();
        try {
            if (warmup > 0) {
                // PING and ECHO take the same paths through the generator as any test, and leave no keys
                Op[] cycle = {Op.command("PING", Op.Expect.PONG, 0, "PING"), Op.command("ECHO", Op.Expect.BULK, 0, "ECHO", "warm")};
                Plan plan = new Plan("WARMUP", cycle, false, pipeline, Long.MAX_VALUE, (long) (warmup * 1e9));
                Result r = execute(plan, bootstrap, keys, runSeed, new PrintWriter(Writer.nullWriter()), err);
                if (r == null) return 1;
                if (!r.ok()) {
                    err.println("kvasir-benchmark: warm-up failed: " + r.line());
                    return 1;
                }
            }
            if (csv) out.println(Result.CSV_HEADER);
            for (Plan plan : plans) {
                Result r = execute(plan, bootstrap, keys, runSeed, err, err);
                if (r == null) return 1;
                results.add(r);
                report(r, plan, keys, out, err);
            }
            if (json) out.println(json(keys));
        } finally {
            out.flush();
            err.flush();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        for (Result r : results) if (!r.ok()) return 1;
        return 0;
    }

    /** Runs one plan; null (with the reason on {@code err}) if it could not start. */
    private Result execute(Plan plan, Bootstrap bootstrap, long keys, long runSeed, PrintWriter progress, PrintWriter err)
            throws InterruptedException {
        Batches batches = plan.fill ? null : rotatingSet(plan, keys, runSeed, err);
        byte[] handshake = handshake();
        int handshakeReplies = (password != null ? 1 : 0) + (dbnum != 0 ? 1 : 0);
        Run run = new Run(plan.name, plan.cycle, plan.depth, plan.limit, plan.durationNanos,
                batches, handshake, handshakeReplies, clients);
        try {
            return run.execute(bootstrap, host, port, progress);
        } catch (Run.StartFailure e) {
            err.println("kvasir-benchmark: " + e.getMessage());
            return null;
        } finally {
            if (batches != null) batches.close();
        }
    }

    private List<Plan> plans() {
        CommandLine cl = spec.commandLine();
        if (clients < 1) throw new ParameterException(cl, "-c must be at least 1");
        if (requests < 1) throw new ParameterException(cl, "-n must be at least 1");
        if (pipeline < 1 || fillPipeline < 1) throw new ParameterException(cl, "pipeline depths must be at least 1");
        if (dataSize < 0) throw new ParameterException(cl, "-d must not be negative");
        if (threads < 1) throw new ParameterException(cl, "--threads must be at least 1");
        if (batchMemory < 1 || batchMemory > 1024) throw new ParameterException(cl, "--batch-memory must be in [1, 1024]");
        if (seconds != null && !(seconds > 0)) throw new ParameterException(cl, "--seconds must be positive");
        if (!(warmup >= 0)) throw new ParameterException(cl, "--warmup must not be negative");
        if (keyspace != null && (keyspace < 1 || keyspace > Op.MAX_KEYSPACE)) {
            throw new ParameterException(cl, "-r must be in [1, " + Op.MAX_KEYSPACE + "]");
        }
        if (fill != null && (fill < 1 || fill > Op.MAX_KEYSPACE)) {
            throw new ParameterException(cl, "--fill must be in [1, " + Op.MAX_KEYSPACE + "]");
        }
        if (!(zipfTheta > 0 && zipfTheta < 1)) throw new ParameterException(cl, "--zipf-theta must be in (0, 1)");
        if (csv && json) throw new ParameterException(cl, "--csv and --json exclude each other");
        if (password == null && user != null) throw new ParameterException(cl, "--user needs -a");

        List<Plan> plans = new ArrayList<>();
        long limit = seconds != null ? Long.MAX_VALUE : requests;
        long duration = seconds != null ? (long) (seconds * 1e9) : 0;
        if (fill != null) plans.add(new Plan("FILL", new Op[] {Op.set(dataSize)}, true, fillPipeline, fill, 0));
        Map<String, List<Op>> known = Op.tests(dataSize);
        List<String> names = tests != null ? tests
                : fill == null && ratio == null ? List.of(DEFAULT_TESTS.split(",")) : List.of();
        for (String name : names) {
            List<Op> ops = known.get(name.trim().toLowerCase(Locale.ROOT));
            if (ops == null) {
                throw new ParameterException(cl, "unknown test '" + name + "'; known: " + String.join(", ", known.keySet()));
            }
            for (Op op : ops) plans.add(new Plan(op.name, new Op[] {op}, false, pipeline, limit, duration));
        }
        if (ratio != null) plans.add(new Plan("GET:SET " + ratio, mix(cl), false, pipeline, limit, duration));
        for (Plan p : plans) {
            long bytes = Batches.batchBytes(p.cycle, p.depth);
            if (bytes > Batches.MAX_BATCH_BYTES) {
                throw new ParameterException(cl, p.name + ": a batch would take " + bytes + " bytes, more than "
                        + Batches.MAX_BATCH_BYTES + "; lower the pipeline depth or -d");
            }
        }
        return plans;
    }

    /** GETs and SETs in the --ratio proportion, the SETs spread evenly through the cycle. */
    private Op[] mix(CommandLine cl) {
        String[] parts = ratio.split(":");
        int gets, sets;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            gets = Integer.parseInt(parts[0].trim());
            sets = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new ParameterException(cl, "--ratio takes gets:sets, e.g. 9:1");
        }
        if (gets < 0 || sets < 0 || gets + sets == 0 || gets + sets > 1000) {
            throw new ParameterException(cl, "--ratio parts must be non-negative, not both 0, and sum to at most 1000");
        }
        Op get = Op.get(dataSize), set = Op.set(dataSize);
        int n = gets + sets;
        Op[] cycle = new Op[n];
        for (int i = 0; i < n; i++) cycle[i] = (long) (i + 1) * sets / n > (long) i * sets / n ? set : get;
        return cycle;
    }

    /**
     * The pre-encoded batches of a test: enough key draws to reach about every key (8 per key)
     * and a batch for each connection, but no more than a -n run sends, within --batch-memory.
     */
    private Batches rotatingSet(Plan plan, long keys, long runSeed, PrintWriter err) {
        int depth = plan.depth;
        boolean keyed = false;
        for (Op op : plan.cycle) keyed |= op.keyed();
        long wanted = Math.min(Math.max(keyed ? keys * 8 : 1, (long) clients * depth), plan.limit);
        long byMemory = Math.max(1, batchMemory * 1024L * 1024L / Batches.batchBytes(plan.cycle, depth));
        int count = (int) Math.min(Math.min((wanted + depth - 1) / depth, byMemory), Integer.MAX_VALUE / depth);
        long draws = (long) count * depth;
        if (keyed && draws < Math.min(keys, wanted) && !quiet) {
            err.printf("%s: only %d requests fit in --batch-memory %d MiB, fewer than the %d keys; raise it to reach them all%n",
                    plan.name, draws, batchMemory, keys);
        }
        return Batches.encode(plan.cycle, depth, count, Keys.of(distribution, keys, zipfTheta, runSeed));
    }

    private byte[] handshake() {
        byte[] auth = password == null ? new byte[0]
                : user == null ? Op.encode("AUTH", password) : Op.encode("AUTH", user, password);
        byte[] select = dbnum == 0 ? new byte[0] : Op.encode("SELECT", Integer.toString(dbnum));
        byte[] all = new byte[auth.length + select.length];
        System.arraycopy(auth, 0, all, 0, auth.length);
        System.arraycopy(select, 0, all, auth.length, select.length);
        return all;
    }

    private void report(Result r, Plan plan, long keys, PrintWriter out, PrintWriter err) {
        if (csv || json) {
            if (csv) out.println(r.csv());
            if (!r.ok()) err.println(r.line());
        } else {
            if (!quiet) {
                out.printf(Locale.ROOT, "====== %s ======%n", r.name());
                out.printf(Locale.ROOT, "  %d requests completed in %.2f seconds%n", r.replies(), r.nanos() / 1e9);
                out.printf(Locale.ROOT, "  %d parallel clients, pipeline %d, %d bytes payload, keyspace %d (%s), %d thread(s)%n",
                        clients, plan.depth, dataSize, plan.fill ? fill : keys,
                        plan.fill ? "each key once" : distribution, threads);
                out.printf(Locale.ROOT, "  %d error replies, %d unexpected replies, %d nil replies%n",
                        r.errors(), r.unexpected(), r.nils());
            }
            out.println(r.line());
        }
        out.flush();
    }

    private String json(long keys) {
        List<String> tests = new ArrayList<>();
        boolean ok = true;
        for (Result r : results) {
            tests.add(r.json());
            ok &= r.ok();
        }
        return String.format(Locale.ROOT,
                "{\"settings\":{\"host\":%s,\"port\":%d,\"clients\":%d,\"pipeline\":%d,\"datasize\":%d,\"keyspace\":%d,"
                + "\"distribution\":%s,\"threads\":%d},\"tests\":[%s],\"ok\":%b}",
                Result.Json.string(host), port, clients, pipeline, dataSize, keys,
                Result.Json.string(distribution.name()), threads, String.join(",", tests), ok);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kvasir-benchmark " + Main.VERSION};
        }
    }
}
