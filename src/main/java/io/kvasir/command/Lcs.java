package io.kvasir.command;

import java.util.ArrayList;
import java.util.List;

/**
 * The longest common subsequence of two byte strings, as the LCS command reports it. Many
 * subsequences can be equally long; to return the same one as Redis (and the same match ranges)
 * this follows its method: fill the classic dynamic-programming table, then walk back from the
 * end, stepping diagonally on equal bytes and otherwise towards the neighbour with the longer
 * LCS, dropping a byte of {@code b} when both are equal.
 *
 * <p>The table of lengths is not kept: filling needs only two rows, and the walk needs only the
 * direction at each cell, one bit instead of an int.
 */
final class Lcs {
    private final byte[] a, b;
    private final long[] dropA; // bit (i-1)*|b|+(j-1): LCS(i-1,j) > LCS(i,j-1), so the walk drops a[i-1]
    final int length;

    /** Computes the LCS length, and the walk's directions when {@code withPath}. */
    Lcs(byte[] a, byte[] b, boolean withPath) {
        this.a = a;
        this.b = b;
        int blen = b.length;
        dropA = withPath ? new long[(int) (((long) a.length * blen + 63) >>> 6)] : null;
        int[] prev = new int[blen + 1], cur = new int[blen + 1];
        for (int i = 1; i <= a.length; i++) {
            byte ai = a[i - 1];
            long row = (long) (i - 1) * blen - 1;
            for (int j = 1; j <= blen; j++) {
                if (ai == b[j - 1]) {
                    cur[j] = prev[j - 1] + 1;
                } else if (prev[j] > cur[j - 1]) {
                    cur[j] = prev[j];
                    if (withPath) setBit(row + j);
                } else {
                    cur[j] = cur[j - 1];
                }
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        length = prev[blen];
    }

    private void setBit(long bit) { dropA[(int) (bit >>> 6)] |= 1L << bit; }

    private boolean bit(long bit) { return (dropA[(int) (bit >>> 6)] & (1L << bit)) != 0; }

    /** A run of consecutive matches: a[aStart..aEnd] equals b[bStart..bEnd]. */
    record Run(int aStart, int aEnd, int bStart, int bEnd) {
        int length() { return aEnd - aStart + 1; }
    }

    /** The common subsequence itself. */
    byte[] sequence() {
        byte[] out = new byte[length];
        walk(out, null);
        return out;
    }

    /** The runs of consecutive matches along the walk, in the order it meets them (last first). */
    List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        walk(null, runs);
        return runs;
    }

    /** Walks back from the end, filling {@code out} and/or collecting {@code runs}. */
    private void walk(byte[] out, List<Run> runs) {
        int i = a.length, j = b.length, k = length;
        int endA = -1, endB = -1; // the run in progress ends at a[endA], b[endB]
        while (i > 0 && j > 0) {
            if (a[i - 1] == b[j - 1]) {
                if (out != null) out[--k] = a[i - 1];
                if (endA < 0) {
                    endA = i - 1;
                    endB = j - 1;
                }
                i--;
                j--;
            } else {
                if (endA >= 0 && runs != null) runs.add(new Run(i, endA, j, endB));
                endA = -1;
                if (bit((long) (i - 1) * b.length + (j - 1))) i--;
                else j--;
            }
        }
        if (endA >= 0 && runs != null) runs.add(new Run(i, endA, j, endB));
    }
}
