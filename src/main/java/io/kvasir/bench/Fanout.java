package io.kvasir.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** kvasir-benchmark fanout: PUBLISH to many subscribers, every delivery checked. */
@Command(name = "fanout", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Measures pub/sub fan-out: -s subscriber connections SUBSCRIBE (or PSUBSCRIBE) to --channels channels "
                + "(subscriber i to channel i mod channels); once PUBSUB NUMSUB (NUMPAT) reports them all, --publishers "
                + "connections send PUBLISH in pipelined batches of -P, each message to the next channel in turn, with "
                + "-d byte payloads that carry the publisher and the message number. The clock runs from the first "
                + "timed PUBLISH until every subscriber has every message.",
            "",
            "Every delivery is checked: each subscriber must get each message meant for it exactly once, in its "
                + "publisher's order, and each PUBLISH must count exactly its channel's subscribers. Anything else fails "
                + "the run (exit status 1) with the first thing that went wrong.",
            "",
            "A publisher keeps at most --window of its messages on their way (published but not yet at every "
                + "subscriber), so output buffers stay bounded. The subscribers share --threads event loops.",
            ""
        })
final class Fanout implements Callable<Integer> {
    static final String CSV_HEADER = "\"published_per_s\",\"delivered_per_s\",\"publish_p50_ms\",\"publish_p99_ms\","
            + "\"fanout_p50_ms\",\"fanout_p99_ms\",\"tool_cpu_pct\",\"server_cpu_pct\",\"messages\",\"deliveries\",\"seconds\"";
    /** Connections opened at once: more would overflow a default listen backlog (511). */
    private static final int CONNECT_BATCH = 200;

    @Option(names = "-h", paramLabel = "<hostname>", description = "Server hostname (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "-p", paramLabel = "<port>", description = "Server port (default ${DEFAULT-VALUE}).")
    int port = 6379;

    @Option(names = "-s", paramLabel = "<subscribers>", description = "Subscriber connections (default ${DEFAULT-VALUE}).")
    int subscribers = 1000;

    @Option(names = "--channels", paramLabel = "<k>", description = "Channels, at most one per subscriber (default ${DEFAULT-VALUE}).")
    int channels = 1;

    @Option(names = "--patterns", description = "Subscribe with PSUBSCRIBE to a pattern per channel instead.")
    boolean patterns;

    @Option(names = "--resp3", description = "Subscribers speak RESP3 (HELLO 3): messages come as pushes.")
    boolean resp3;

    @Option(names = "--publishers", paramLabel = "<n>", description = "Publisher connections (default ${DEFAULT-VALUE}).")
    int publishers = 1;

    @Option(names = "-n", paramLabel = "<messages>", description = "Messages to publish, timed, over all publishers (default ${DEFAULT-VALUE}).")
    long messages = 20_000;

    @Option(names = "--warmup", paramLabel = "<messages>",
            description = "Messages published first, untimed, so the JIT compilers have done their work (default ${DEFAULT-VALUE}).")
    long warmup = 5_000;

    @Option(names = "-P", paramLabel = "<numreq>", description = "PUBLISHes per pipelined batch (default ${DEFAULT-VALUE}).")
    int pipeline = 16;

    @Option(names = "--window", paramLabel = "<messages>",
            description = "Most messages a publisher may have on their way to subscribers (default ${DEFAULT-VALUE}).")
    int window = 1000;

    @Option(names = "-d", paramLabel = "<size>",
            description = "Payload bytes, at least " + FanoutRun.ID_DIGITS + " (default ${DEFAULT-VALUE}).")
    int payload = 16;

    @Option(names = "--threads", paramLabel = "<n>", description = "Event-loop threads of the tool (default ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--server-pid", paramLabel = "<pid>", description = "Also report this process's CPU use while timed (Linux).")
    Long serverPid;

    @Option(names = "--stall", paramLabel = "<s>",
            description = "Fail when no message reaches every subscriber for this long (default ${DEFAULT-VALUE}).")
    int stallSeconds = 10;

    @Option(names = "-q", description = "Quiet: no progress lines.")
    boolean quiet;

    @Option(names = "--csv", description = "Print one CSV row (with a header) on standard output.")
    boolean csv;

    @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    /** The measured outcome; null until a run succeeded. */
    record Outcome(long messages, long deliveries, long nanos, Histogram publish, Histogram fanout,
                   double toolCpu, double serverCpu) {
        double publishedPerSecond() { return messages * 1e9 / nanos; }

        double deliveredPerSecond() { return deliveries * 1e9 / nanos; }
    }

    private Outcome outcome;

    Outcome outcome() { return outcome; }

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        long[] warm = new long[publishers], totals = new long[publishers];
        for (int p = 0; p < publishers; p++) {
            warm[p] = FanoutRun.share(warmup, publishers, p);
            totals[p] = warm[p] + FanoutRun.share(messages, publishers, p);
        }
        FanoutRun run = new FanoutRun(channels, patterns, resp3, totals, window, payload);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Bootstrap bootstrap = new Bootstrap().group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        List<Channel> open = new ArrayList<>();
        try {
            List<FanoutSubscriber> subs = new ArrayList<>(subscribers);
            CountDownLatch subscribed = new CountDownLatch(subscribers);
            for (int i = 0; i < subscribers; i += CONNECT_BATCH) {
                List<ChannelFuture> batch = new ArrayList<>();
                for (int j = i; j < Math.min(subscribers, i + CONNECT_BATCH); j++) {
                    FanoutSubscriber s = new FanoutSubscriber(run, j % channels, subscribed);
                    subs.add(s);
                    batch.add(bootstrap.clone().handler(s).connect(host, port));
                }
                connected(batch, open);
            }
            if (!subscribed.await(60, TimeUnit.SECONDS)) run.fail("not every subscription was confirmed within 60 seconds");
            if (run.failure() == null) awaitServerCount(run);
            if (run.failure() != null) return failed(err, run, subs, open);
            run.subscribersIn();

            List<FanoutPublisher> pubs = new ArrayList<>();
            CountDownLatch pubsUp = new CountDownLatch(publishers);
            List<ChannelFuture> batch = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                FanoutPublisher pub = new FanoutPublisher(run, p, pipeline, pubsUp);
                pubs.add(pub);
                batch.add(bootstrap.clone().handler(pub).connect(host, port));
            }
            connected(batch, open);
            pubsUp.await();

            if (warmup > 0 && phase(run, pubs, warm, "warm-up", err) == 0) return failed(err, run, subs, open);
            for (EventExecutor e : run.loops.keySet()) {   // the timed phase counts afresh
                FanoutRun.Loop l = run.loops.get(e);
                e.submit(() -> {
                    l.fanout.reset();
                    l.frames = 0;
                }).get();
            }
            double cpu0 = toolCpuNanos(), srv0 = serverCpuNanos();
            long nanos = phase(run, pubs, totals, "fanout", err);
            double cpu = toolCpuNanos() - cpu0, srv = serverCpuNanos() - srv0;
            if (nanos == 0) return failed(err, run, subs, open);
            String missing = check(subs, open);
            if (missing != null) {
                err.println("kvasir-benchmark fanout: FAILED: " + missing);
                return 1;
            }
            Histogram publish = new Histogram(3), fanout = new Histogram(3);
            for (FanoutPublisher pub : pubs) pub.onLoop(() -> publish.add(pub.latency));
            long deliveries = 0;
            for (Map.Entry<EventExecutor, FanoutRun.Loop> e : run.loops.entrySet()) {
                FanoutRun.Loop l = e.getValue();
                deliveries += e.getKey().submit(() -> {
                    fanout.add(l.fanout);
                    return l.frames;
                }).get();
            }
            outcome = new Outcome(messages, deliveries, nanos, publish, fanout,
                    cpu / nanos * 100, serverPid == null ? Double.NaN : srv / nanos * 100);
            report(out);
            return 0;
        } catch (IOException e) {
            err.println("kvasir-benchmark fanout: " + e.getMessage());
            return 1;
        } finally {
            run.finish();
            for (Channel c : open) c.close();
            for (Channel c : open) c.closeFuture().awaitUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            out.flush();
            err.flush();
        }
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (subscribers < 1) throw new ParameterException(cl, "-s must be at least 1");
        if (channels < 1 || channels > subscribers) throw new ParameterException(cl, "--channels must be in [1, -s]");
        if (publishers < 1 || publishers > 999) throw new ParameterException(cl, "--publishers must be in [1, 999]");
        if (messages < publishers || messages > 999_999_999L * publishers - warmup) {
            throw new ParameterException(cl, "-n must be at least --publishers, and under 10^9 per publisher");
        }
        if (warmup < 0) throw new ParameterException(cl, "--warmup must not be negative");
        if (pipeline < 1) throw new ParameterException(cl, "-P must be at least 1");
        if (window < pipeline) throw new ParameterException(cl, "--window must be at least -P");
        if (payload < FanoutRun.ID_DIGITS) throw new ParameterException(cl, "-d must be at least " + FanoutRun.ID_DIGITS);
        if (threads < 1) throw new ParameterException(cl, "--threads must be at least 1");
        if (stallSeconds < 1) throw new ParameterException(cl, "--stall must be at least 1");
    }

    private static void connected(List<ChannelFuture> futures, List<Channel> open) throws IOException {
        for (ChannelFuture f : futures) {
            if (!f.awaitUninterruptibly().isSuccess()) throw new IOException("could not connect: " + f.cause().getMessage());
            open.add(f.channel());
        }
    }

    /** Waits until the server itself counts every subscriber (PUBSUB NUMSUB, or NUMPAT for patterns). */
    private void awaitServerCount(FanoutRun run) throws IOException, InterruptedException {
        try (ControlClient c = new ControlClient(host, port)) {
            String[] numsub = new String[channels + 2];
            numsub[0] = "PUBSUB";
            numsub[1] = "NUMSUB";
            for (int k = 0; k < channels; k++) numsub[k + 2] = new String(run.channelNames[k], StandardCharsets.US_ASCII);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long seen = -1;
            while (System.nanoTime() < deadline) {
                if (patterns) {
                    seen = (Long) c.call("PUBSUB", "NUMPAT");
                    if (seen == channels) return;
                } else {
                    List<?> reply = (List<?>) c.call(numsub);
                    seen = 0;
                    for (int i = 1; i < reply.size(); i += 2) seen += (Long) reply.get(i);
                    if (seen == subscribers) return;
                }
                Thread.sleep(20);
            }
            run.fail(patterns ? "PUBSUB NUMPAT said " + seen + ", expected " + channels
                    : "PUBSUB NUMSUB counted " + seen + " subscribers, expected " + subscribers);
        }
    }

    /**
     * Has every publisher publish up to {@code ends}; returns the nanoseconds until every message
     * reached every subscriber, or 0 if the run failed or stalled.
     */
    private long phase(FanoutRun run, List<FanoutPublisher> pubs, long[] ends, String name, PrintWriter err)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(pubs.size());
        long start = System.nanoTime(), lastProgress = start, lastDelivered = delivered(run);
        for (int p = 0; p < pubs.size(); p++) pubs.get(p).phase(ends[p], done);
        while (!done.await(1, TimeUnit.SECONDS)) {
            if (run.failure() != null) return 0;
            long now = System.nanoTime(), d = delivered(run);
            if (d != lastDelivered) {
                lastDelivered = d;
                lastProgress = now;
            } else if (now - lastProgress > TimeUnit.SECONDS.toNanos(stallSeconds)) {
                run.fail("stalled: no message reached every subscriber for " + stallSeconds + " s ("
                        + d + " messages fully delivered so far)");
                return 0;
            }
            if (!quiet) {
                err.printf(Locale.ROOT, "%s: %.1f s, %d messages delivered to every subscriber%n", name, (now - start) / 1e9, d);
                err.flush();
            }
        }
        long nanos = System.nanoTime() - start;
        return run.failure() == null ? nanos : 0;
    }

    private static long delivered(FanoutRun run) {
        long d = 0;
        for (FanoutRun.Track t : run.tracks) d += t.delivered();
        return d;
    }

    /** Null if every subscriber got exactly its messages, else the first that did not. */
    private static String check(List<FanoutSubscriber> subs, List<Channel> open) throws InterruptedException, ExecutionException {
        for (int i = 0; i < subs.size(); i++) {
            FanoutSubscriber s = subs.get(i);
            String problem = open.get(i).eventLoop().submit(s::check).get();
            if (problem != null) return problem;
        }
        return null;
    }

    private int failed(PrintWriter err, FanoutRun run, List<FanoutSubscriber> subs, List<Channel> open)
            throws InterruptedException, ExecutionException {
        err.println("kvasir-benchmark fanout: FAILED: " + run.failure());
        if (subs.size() == open.size()) {
            String missing = check(subs, open);
            if (missing != null) err.println("  and, for one: " + missing);
        }
        return 1;
    }

    private void report(PrintWriter out) {
        Outcome o = outcome;
        if (csv) {
            out.println(CSV_HEADER);
            out.printf(Locale.ROOT, "\"%.1f\",\"%.1f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.0f\",\"%.0f\",\"%d\",\"%d\",\"%.3f\"%n",
                    o.publishedPerSecond(), o.deliveredPerSecond(), ms(o.publish, 50), ms(o.publish, 99),
                    ms(o.fanout, 50), ms(o.fanout, 99), o.toolCpu, o.serverCpu, o.messages, o.deliveries, o.nanos / 1e9);
            return;
        }
        out.printf(Locale.ROOT, "%d subscribers (%s) on %d %s, %d publisher(s), pipeline %d, window %d, %d-byte payloads%n",
                subscribers, resp3 ? "RESP3" : "RESP2", channels, patterns ? "pattern(s)" : "channel(s)", publishers,
                pipeline, window, payload);
        out.printf(Locale.ROOT, "%d messages, %d deliveries in %.2f s: %.0f published/s, %.0f delivered/s%n",
                o.messages, o.deliveries, o.nanos / 1e9, o.publishedPerSecond(), o.deliveredPerSecond());
        out.printf(Locale.ROOT, "PUBLISH round trip p50=%.3f p99=%.3f msec; publish to last subscriber p50=%.3f p99=%.3f msec%n",
                ms(o.publish, 50), ms(o.publish, 99), ms(o.fanout, 50), ms(o.fanout, 99));
        out.printf(Locale.ROOT, "CPU while timed: tool %.0f%% (%d threads)%s%n", o.toolCpu, threads,
                Double.isNaN(o.serverCpu) ? "" : String.format(Locale.ROOT, ", server %.0f%%", o.serverCpu));
        out.println("verified: every subscriber got each of its messages once, in its publisher's order");
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    private static double toolCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** User and system CPU of --server-pid so far, from /proc (in clock ticks of 10 ms). */
    private double serverCpuNanos() throws IOException {
        if (serverPid == null) return 0;
        String stat = Files.readString(Path.of("/proc", serverPid.toString(), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000.0;   // utime, stime: fields 14 and 15
    }

    /** A blocking connection for the few setup commands. */
    private static final class ControlClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        ControlClient(String host, int port) throws IOException {
            socket = new Socket(host, port);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Object call(String... args) throws IOException {
            out.write(Op.encode(args));
            out.flush();
            return read();
        }

        private Object read() throws IOException {
            int type = in.read();
            String line = line();
            return switch (type) {
                case '+' -> line;
                case '-' -> throw new IOException("server replied -" + line);
                case ':' -> Long.parseLong(line);
                case '$' -> {
                    int n = Integer.parseInt(line);
                    if (n < 0) yield null;
                    byte[] b = in.readNBytes(n + 2);
                    yield new String(b, 0, n, StandardCharsets.UTF_8);
                }
                case '*' -> {
                    List<Object> items = new ArrayList<>();
                    for (int i = Integer.parseInt(line); i > 0; i--) items.add(read());
                    yield items;
                }
                default -> throw new IOException("unexpected reply type " + type);
            };
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c; (c = in.read()) != '\r'; ) {
                if (c < 0) throw new IOException("connection closed");
                s.append((char) c);
            }
            in.read();
            return s.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
