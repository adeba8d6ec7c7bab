package io.kvasir.store;

/**
 * Redis's glob-style patterns (KEYS, SCAN MATCH, and later PSUBSCRIBE), matched over byte slices
 * without allocating:
 *
 * <ul>
 *   <li>{@code *} any run of bytes, {@code ?} one byte, {@code \x} the byte x itself;
 *   <li>{@code [abc]} one of the bytes, {@code [^abc]} none of them, {@code [a-z]} a range (the ends
 *       may come in either order), {@code \]} inside brackets a literal; a class left open runs
 *       to the end of the pattern.
 * </ul>
 *
 * <p>With {@code nocase} (COMMAND LIST FILTERBY PATTERN) ASCII letters match either case, except
 * an escaped byte inside brackets, which Redis compares exactly.
 *
 * <p>Redis compares bytes as C {@code char}s, which are signed: a range such as {@code [a-\xff]}
 * covers the bytes from 0xff (-1) up to 'a'. Java bytes are signed too, so comparisons here agree.
 *
 * <p>Two Redis quirks are kept: an empty subject matches only the empty pattern (even {@code *}
 * does not match it; KEYS and SCAN treat the pattern {@code *} specially), and a match that needs
 * more than {@link #MAX_NESTED_STARS} runs of stars before the last one fails, as Redis bounds its
 * recursion there.
 *
 * <p>Each token other than {@code *} consumes exactly one byte, so matching needs to remember only
 * the last star (classic wildcard backtracking): O(pattern x subject) time at worst, no recursion.
 */
public final class Glob {
    private Glob() {}

    /** Stars (runs of '*') that Redis lets a match pass through before the one that ends it. */
    static final int MAX_NESTED_STARS = 1000;

    /** True if the pattern is exactly "*", which KEYS and SCAN take as "every key". */
    public static boolean matchesAll(byte[] p, int off, int len) {
        return len == 1 && p[off] == '*';
    }

    /** True if {@code s[soff, soff + slen)} matches the pattern {@code p[poff, poff + plen)}. */
    public static boolean match(byte[] p, int poff, int plen, byte[] s, int soff, int slen) {
        return match(p, poff, plen, s, soff, slen, false);
    }

    /** {@link #match}, ignoring the case of ASCII letters when {@code nocase} is set. */
    public static boolean match(byte[] p, int poff, int plen, byte[] s, int soff, int slen, boolean nocase) {
        if (slen == 0) return plen == 0;
        int pend = poff + plen, send = soff + slen;
        // 1001 runs of stars need over 2000 bytes: shorter patterns skip the count
        if (plen > 2 * MAX_NESTED_STARS && nestedStars(p, poff, pend) > MAX_NESTED_STARS) return false;
        int pi = poff, si = soff;
        int starP = -1, starS = -1; // pattern after the last star, and where its subject run began
        while (si < send) {
            if (pi < pend && p[pi] == '*') {
                while (pi < pend && p[pi] == '*') pi++;
                if (pi == pend) return true;
                starP = pi;
                starS = si;
                continue;
            }
            int next = pi < pend ? step(p, pi, pend, s[si], nocase) : -1;
            if (next >= 0) {
                pi = next;
                si++;
                continue;
            }
            if (starP < 0) return false;
            pi = starP; // let the last star take one more byte and try again
            si = ++starS;
        }
        while (pi < pend && p[pi] == '*') pi++;
        return pi == pend;
    }

    /** Runs of stars a complete match passes through: all of them but a final one. */
    private static int nestedStars(byte[] p, int i, int end) {
        int runs = 0;
        boolean endsWithStar = false;
        while (i < end) {
            if (p[i] == '*') {
                runs++;
                while (i < end && p[i] == '*') i++;
                endsWithStar = i == end;
            } else {
                i = tokenEnd(p, i, end);
            }
        }
        return endsWithStar ? runs - 1 : runs;
    }

    /** The index after the non-star token that starts at {@code i}. */
    private static int tokenEnd(byte[] p, int i, int end) {
        return switch (p[i]) {
            case '\\' -> i + 1 < end ? i + 2 : i + 1;
            case '[' -> (int) (bracket(p, i, end, (byte) 0, false) >>> 1);
            default -> i + 1;
        };
    }

    /** The index after the non-star token at {@code i} if it matches the byte {@code c}, else -1. */
    private static int step(byte[] p, int i, int end, byte c, boolean nocase) {
        return switch (p[i]) {
            case '?' -> i + 1;
            case '\\' -> i + 1 < end ? (same(p[i + 1], c, nocase) ? i + 2 : -1) : (c == '\\' ? i + 1 : -1);
            case '[' -> {
                long b = bracket(p, i, end, c, nocase);
                yield (b & 1) != 0 ? (int) (b >>> 1) : -1;
            }
            default -> same(p[i], c, nocase) ? i + 1 : -1;
        };
    }

    private static boolean same(byte a, byte b, boolean nocase) {
        return a == b || (nocase && fold(a) == fold(b));
    }

    private static int fold(int c) {
        return c >= 'A' && c <= 'Z' ? c | 0x20 : c;
    }

    /**
     * Walks the bracket class that opens at {@code open}: returns the index after it shifted left
     * by one, with the low bit set if the class accepts {@code c}.
     */
    private static long bracket(byte[] p, int open, int end, byte c, boolean nocase) {
        int j = open + 1;
        boolean negate = j < end && p[j] == '^';
        if (negate) j++;
        boolean match = false;
        while (true) {
            if (j + 1 < end && p[j] == '\\') {
                j++;
                if (p[j] == c) match = true;
            } else if (j < end && p[j] == ']') {
                break;
            } else if (j >= end) {
                j--; // never closed: the class is the rest of the pattern
                break;
            } else if (j + 2 < end && p[j + 1] == '-') {
                int lo = p[j], hi = p[j + 2];
                if (lo > hi) { // ordered first, folded after, as Redis does
                    int t = lo;
                    lo = hi;
                    hi = t;
                }
                int x = c;
                if (nocase) {
                    lo = fold(lo);
                    hi = fold(hi);
                    x = fold(x);
                }
                if (x >= lo && x <= hi) match = true;
                j += 2;
            } else if (same(p[j], c, nocase)) {
                match = true;
            }
            j++;
        }
        return ((long) (j + 1) << 1) | (match != negate ? 1 : 0);
    }
}
