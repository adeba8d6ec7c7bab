package io.kvasir.protocol;

/**
 * Redis's glob-style matching (KEYS, SCAN MATCH, COMMAND LIST FILTERBY PATTERN...): {@code *}, {@code ?},
 * {@code [abc]}, {@code [^a-z]}, {@code \} escapes; an unclosed {@code [} ends the class at the end of
 * the pattern. Works on bytes; {@code nocase} folds ASCII letters.
 */
public final class Glob {
    /** Redis stops descending into stars past this depth (a pattern of many stars would take exponential time). */
    private static final int MAX_NESTING = 1000;

    private final byte[] p;
    private final byte[] s;
    private final boolean nocase;
    private boolean skipLonger;

    private Glob(byte[] p, byte[] s, boolean nocase) {
        this.p = p;
        this.s = s;
        this.nocase = nocase;
    }

    public static boolean match(byte[] pattern, byte[] string, boolean nocase) {
        return new Glob(pattern, string, nocase).match(0, pattern.length, 0, string.length, 0);
    }

    private boolean match(int pi, int pend, int si, int send, int nesting) {
        if (nesting > MAX_NESTING) return false;
        while (pi < pend && si < send) {
            switch (p[pi]) {
                case '*' -> {
                    while (pi + 1 < pend && p[pi + 1] == '*') pi++;
                    if (pi + 1 == pend) return true;
                    for (; si < send; si++) {
                        if (match(pi + 1, pend, si, send, nesting + 1)) return true;
                        if (skipLonger) return false;
                    }
                    // The rest of the pattern failed on every suffix: longer prefixes cannot help the callers either.
                    skipLonger = true;
                    return false;
                }
                case '?' -> si++;
                case '[' -> {
                    pi++;
                    boolean not = pi < pend && p[pi] == '^';
                    if (not) pi++;
                    boolean matched = false;
                    int c = fold(s[si]);
                    while (true) {
                        if (pi < pend && p[pi] == '\\' && pend - pi >= 2) {
                            pi++;
                            if (p[pi] == s[si]) matched = true;
                        } else if (pi < pend && p[pi] == ']') {
                            break;
                        } else if (pi >= pend) {
                            pi--;
                            break;
                        } else if (pend - pi >= 3 && p[pi + 1] == '-') {
                            // As in Redis: bounds ordered before folding, bytes compared as signed chars.
                            int start = p[pi], end = p[pi + 2];
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            start = fold(start);
                            end = fold(end);
                            pi += 2;
                            if (c >= start && c <= end) matched = true;
                        } else if (fold(p[pi]) == c) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) matched = !matched;
                    if (!matched) return false;
                    si++;
                }
                case '\\' -> {
                    if (pend - pi >= 2) pi++;
                    if (fold(p[pi]) != fold(s[si])) return false;
                    si++;
                }
                default -> {
                    if (fold(p[pi]) != fold(s[si])) return false;
                    si++;
                }
            }
            pi++;
            if (si == send) {
                while (pi < pend && p[pi] == '*') pi++;
                break;
            }
        }
        return pi == pend && si == send;
    }

    private int fold(int c) {
        return nocase && c >= 'A' && c <= 'Z' ? c | 0x20 : c;
    }
}
