package io.kvasir.command;

import io.kvasir.protocol.Args;

/**
 * Finds the argument positions of a command's keys, for commands whose keys cannot be described by
 * first/last/step (ZUNIONSTORE's numkeys, LMPOP, SORT ... STORE). Writes positions into
 * {@code out} and returns how many; returns -1 when the arguments are malformed (the command
 * itself then reports the error without taking locks).
 */
@FunctionalInterface
public interface KeyFinder {
    int find(Args args, int[] out);
}
