package io.kvasir.server;

import io.kvasir.protocol.Args;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The slow log: commands that ran at least slowlog-log-slower-than microseconds, newest first,
 * at most slowlog-max-len of them. Arguments are copied as Redis keeps them: at most 32 (the last
 * one saying how many more there were), each cut to 128 bytes.
 */
public final class SlowLog {
    static final int MAX_ARGS = 32;
    static final int MAX_ARG_BYTES = 128;
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    /** One logged command. */
    public record Entry(long id, long timeSeconds, long micros, List<byte[]> args, String addr, String name) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /**
     * Records a command; the arguments {@code redacted} accepts show as "(redacted)" (passwords).
     * Trims the log to {@code maxLen}.
     */
    public synchronized void add(Args args, IntPredicate redacted, long micros, Client client, long maxLen) {
        int argc = Math.min(args.count(), MAX_ARGS);
        List<byte[]> kept = new ArrayList<>(argc);
        for (int i = 0; i < argc; i++) {
            if (i == argc - 1 && argc < args.count()) {
                kept.add(("... (" + (args.count() - argc + 1) + " more arguments)").getBytes(StandardCharsets.US_ASCII));
            } else if (redacted.test(i)) {
                kept.add(REDACTED);
            } else if (args.len(i) > MAX_ARG_BYTES) {
                byte[] b = new byte[MAX_ARG_BYTES];
                System.arraycopy(args.buf(), args.off(i), b, 0, MAX_ARG_BYTES);
                byte[] more = ("... (" + (args.len(i) - MAX_ARG_BYTES) + " more bytes)").getBytes(StandardCharsets.US_ASCII);
                byte[] all = new byte[b.length + more.length];
                System.arraycopy(b, 0, all, 0, b.length);
                System.arraycopy(more, 0, all, b.length, more.length);
                kept.add(all);
            } else {
                kept.add(args.bytes(i));
            }
        }
        String name = client.name();
        entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, kept, client.addr(),
                name == null ? "" : name));
        trim(maxLen);
    }

    /** Drops the oldest entries past {@code maxLen} (also when slowlog-max-len shrinks). */
    public synchronized void trim(long maxLen) {
        while (entries.size() > maxLen) entries.removeLast();
    }

    /** The newest {@code count} entries (all when count is negative). */
    public synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> it = entries.iterator();
        while (it.hasNext() && (count < 0 || out.size() < count)) out.add(it.next());
        return out;
    }

    public synchronized int size() { return entries.size(); }

    public synchronized void reset() { entries.clear(); }
}
