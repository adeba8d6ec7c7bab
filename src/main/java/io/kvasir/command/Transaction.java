package io.kvasir.command;

import io.kvasir.protocol.Args;
import java.util.ArrayList;

/**
 * The commands a client queued since MULTI, each with a copy of its arguments (the request's own
 * arguments are slices of a receive buffer that the next read overwrites), and what EXEC needs to
 * know about them ahead: whether one was refused, the union of their flags, whether one locks the
 * keyspace on its own.
 */
final class Transaction {
    private final ArrayList<CommandSpec> specs = new ArrayList<>();
    private final ArrayList<Args> requests = new ArrayList<>();
    /** A command was refused while queueing (unknown, wrong arity...): EXEC aborts. */
    boolean refused;
    private int flags;
    private boolean locksKeyspace;
    private long memory;
    /** The stripes EXEC locks, reused from one EXEC to the next. */
    int[] stripes = new int[16];

    void queue(CommandSpec spec, Args args) {
        Args copy = args.copy();
        specs.add(spec);
        requests.add(copy);
        flags |= spec.flags();
        locksKeyspace |= spec.locksKeyspace();
        // as Redis counts multi-mem: the argument bytes plus a pointer per argument
        for (int i = 0; i < copy.count(); i++) memory += copy.len(i) + 8;
    }

    int size() { return specs.size(); }
    CommandSpec spec(int i) { return specs.get(i); }
    Args args(int i) { return requests.get(i); }
    int flags() { return flags; }
    boolean locksKeyspace() { return locksKeyspace; }
    long memory() { return memory; }

    void clear() {
        specs.clear();
        requests.clear();
        refused = false;
        flags = 0;
        locksKeyspace = false;
        memory = 0;
    }
}
