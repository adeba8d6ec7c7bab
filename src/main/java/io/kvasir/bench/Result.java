package io.kvasir.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** What one test measured and what went wrong in it. Latencies are in nanoseconds. */
record Result(String name, long requests, long replies, long errors, long unexpected, long nils,
              String firstError, String firstUnexpected, String failure, long nanos, Histogram latency) {

    static final String CSV_HEADER =
            "\"test\",\"rps\",\"p50_latency_ms\",\"p99_latency_ms\",\"p999_latency_ms\",\"max_latency_ms\","
            + "\"requests\",\"replies\",\"errors\",\"unexpected\",\"nil\"";

    /** Every request answered as expected, and no connection lost. */
    boolean ok() {
        return errors == 0 && unexpected == 0 && failure == null && replies == requests;
    }

    double rps() { return nanos == 0 ? 0 : replies * 1e9 / nanos; }

    double ms(double percentile) { return latency.getValueAtPercentile(percentile) / 1e6; }

    double maxMs() { return latency.getMaxValue() / 1e6; }

    /** The one-line summary (redis-benchmark -q style), with what went wrong if anything did. */
    String line() {
        String s = String.format(Locale.ROOT, "%s: %.2f requests per second, p50=%.3f p99=%.3f p99.9=%.3f max=%.3f msec",
                name, rps(), ms(50), ms(99), ms(99.9), maxMs());
        return ok() ? s : s + " -- " + String.join(", ", problems());
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (errors > 0) p.add(errors + " error replies (first: " + firstError + ")");
        if (unexpected > 0) p.add(unexpected + " unexpected replies (first: " + firstUnexpected + ")");
        if (replies < requests) p.add((requests - replies) + " of " + requests + " requests without a reply");
        if (failure != null) p.add("connection failed: " + failure);
        return p;
    }

    String csv() {
        return String.format(Locale.ROOT, "\"%s\",\"%.2f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%d\",\"%d\",\"%d\",\"%d\",\"%d\"",
                name.replace("\"", "\"\""), rps(), ms(50), ms(99), ms(99.9), maxMs(), requests, replies, errors, unexpected, nils);
    }

    String json() {
        return String.format(Locale.ROOT,
                "{\"test\":%s,\"requests\":%d,\"replies\":%d,\"seconds\":%.6f,\"rps\":%.2f,"
                + "\"latency_ms\":{\"p50\":%.3f,\"p99\":%.3f,\"p99_9\":%.3f,\"max\":%.3f},"
                + "\"errors\":%d,\"unexpected\":%d,\"nil\":%d,\"ok\":%b,\"problems\":[%s]}",
                Json.string(name), requests, replies, nanos / 1e9, rps(), ms(50), ms(99), ms(99.9), maxMs(),
                errors, unexpected, nils, ok(), String.join(",", problems().stream().map(Json::string).toList()));
    }

    /** Just enough JSON for our own output. */
    static final class Json {
        private Json() {}

        static String string(String s) {
            StringBuilder b = new StringBuilder(s.length() + 2).append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            return b.append('"').toString();
        }
    }
}
