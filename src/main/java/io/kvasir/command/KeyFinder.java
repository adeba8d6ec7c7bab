package io.kvasir.command;

import io.kvasir.protocol.Args;

/**
 * Finds the argument positions of a command's keys, for commands whose keys cannot be described by
 * first/last/step (ZUNIONSTORE's numkeys, LMPOP, SORT ... STORE). Writes positions into
 * {@code out} and returns how many; returns -1 when the arguments are malformed (the command
 * itself then reports the error without taking locks).
 *
 * <p>A finder given to {@link CommandSpec#locks} may also return {@link #ALL}: the call reads keys
 * that only become known while it runs (SORT's BY and GET patterns), so the dispatcher locks every
 * stripe, in ascending order as always.
 */
@FunctionalInterface
public interface KeyFinder {
    /** Returned by a lock finder: lock the whole keyspace for this call. */
    int ALL = -2;

    int find(Args args, int[] out);

    /**
     * The key-spec flags of the {@code nth} key {@link #find} returned, for COMMAND GETKEYSANDFLAGS;
     * -1 for those of the command's first key spec.
     */
    default int flags(int nth) {
        return -1;
    }
}
