package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.store.Glob;

/** The MATCH and COUNT options of the collection scans (HSCAN, SSCAN), read as Redis reads them. */
final class ScanOptions {
    private final Args args;
    private int pattern = -1;
    private boolean all = true;
    int count = 10;

    /** Reads the options from argument {@code from} on: COUNT a positive integer, MATCH a glob. */
    ScanOptions(Args a, int from) {
        this.args = a;
        for (int i = from; i < a.count(); i++) {
            boolean more = i + 1 < a.count();
            if (more && a.is(i, "COUNT")) {
                long n = a.longValue(++i);
                if (n < 1) throw Errors.SYNTAX;
                count = (int) Math.min(n, Integer.MAX_VALUE);
            } else if (more && a.is(i, "MATCH")) {
                pattern = ++i;
                all = Glob.matchesAll(a.buf(), a.off(i), a.len(i));
            } else {
                throw Errors.SYNTAX;
            }
        }
    }

    boolean matches(byte[] b, int off, int len) {
        return all || Glob.match(args.buf(), args.off(pattern), args.len(pattern), b, off, len);
    }
}
