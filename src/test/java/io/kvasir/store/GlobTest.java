package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.testing.RawClient;
import io.kvasir.testing.RealRedis;
import io.kvasir.testing.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Redis's glob rules, case by case (each checked against redis-server 7.0), then fuzzed against it. */
class GlobTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean match(String pattern, String subject) {
        byte[] p = b(pattern), s = b(subject);
        return Glob.match(p, 0, p.length, s, 0, s.length);
    }

    private static void matches(String pattern, String... subjects) {
        for (String s : subjects) assertTrue(match(pattern, s), pattern + " should match " + s);
    }

    private static void rejects(String pattern, String... subjects) {
        for (String s : subjects) assertFalse(match(pattern, s), pattern + " should not match " + s);
    }

    @Test
    void literalsAndQuestionMarks() {
        matches("hello", "hello");
        rejects("hello", "hell", "helloo", "Hello", "");
        matches("h?llo", "hello", "hallo", "h\u00ffllo");
        rejects("h?llo", "hllo", "heello");
        matches("?", "a", "?", "\u0000");
        rejects("?", "", "ab");
    }

    @Test
    void stars() {
        matches("h*llo", "hllo", "hello", "heeeello");
        rejects("h*llo", "hell", "hellox");
        matches("a*", "a", "ab", "a*b");
        matches("*b", "b", "ab", "abab");
        matches("a**b", "ab", "aXb", "abab");
        matches("*a*b*", "ab", "abc", "xaxbx");
        rejects("*b*a", "ab", "abab");
        matches("*", "a", "anything at all");
    }

    @Test
    void emptySubjectMatchesOnlyTheEmptyPattern() {
        matches("", "");
        rejects("", "a");
        rejects("*", "");
        rejects("**", "");
        rejects("?", "");
    }

    @Test
    void escapes() {
        matches("a\\*b", "a*b");
        rejects("a\\*b", "aXb", "ab");
        matches("a\\?b", "a?b");
        rejects("a\\?b", "aXb");
        matches("\\\\", "\\");
        matches("\\", "\\");
        matches("a\\", "a\\");
        rejects("a\\", "a");
        matches("a\\]", "a]");
        matches("*\\", "\\", "a\\");
    }

    @Test
    void classes() {
        matches("h[ae]llo", "hallo", "hello");
        rejects("h[ae]llo", "hillo", "hllo");
        matches("h[^e]llo", "hallo", "hxllo");
        rejects("h[^e]llo", "hello", "hllo");
        matches("h[a-c]llo", "hallo", "hbllo", "hcllo");
        rejects("h[a-c]llo", "hdllo");
        matches("[z-a]", "a", "m", "z"); // reversed ends are swapped
        matches("[!a]", "!", "a"); // '!' is no negation
        rejects("[!a]", "b");
        matches("[\\]]", "]");
        matches("[\\-z]", "-", "z");
        rejects("[\\-z]", "a", "m");
        matches("[-]", "-");
        matches("[--z]", "-", "A", "z", "\\");
        matches("[a-]", "]", "^", "a"); // the range a..']' swallows the ']'
        rejects("[a-]", "-", "b");
    }

    @Test
    void classesLeftOpenRunToTheEnd() {
        matches("[abc", "a", "b", "c");
        rejects("[abc", "[", "ab");
        matches("[a-", "a", "-");
        matches("[a-c", "a", "b", "c");
        matches("[\\", "\\");
        matches("[a\\", "a", "\\");
        matches("[^", "a", "^", "[");
        matches("[^a", "b", "^");
        rejects("[^a", "a");
        rejects("[", "[", "a", "");
        rejects("a[", "a[", "a");
    }

    @Test
    void emptyClassesMatchNothing() {
        rejects("[]", "]", "[]", "a");
        rejects("[]a]", "a]", "]", "a");
        matches("[^]", "a", "]", "^");
        rejects("[^]", "", "ab");
    }

    @Test
    void rangesCompareBytesSigned() {
        // 0xff is -1 as a C char: [a-\xff] spans -1..'a'
        matches("[a-\u00ff]", "a", "A", "\u0000", "\u00ff");
        rejects("[a-\u00ff]", "b", "\u0080");
        matches("[\u0080-\u00ff]", "\u0080", "\u00ff");
        rejects("[\u0080-\u00ff]", "a", "\u0000");
    }

    private static boolean nocase(String pattern, String subject) {
        byte[] p = b(pattern), s = b(subject);
        return Glob.match(p, 0, p.length, s, 0, s.length, true);
    }

    @Test
    void nocaseFoldsAsciiLettersButNotEscapesInsideBrackets() {
        assertTrue(nocase("GE?", "get"));
        assertTrue(nocase("[F-H]ET", "get"));
        assertTrue(nocase("[^A-F]et", "get"));
        assertTrue(nocase("[^A-F]et", "set"));
        assertFalse(nocase("[^A-F]et", "bet"));
        assertTrue(nocase("[Z-A]et", "set")); // ordered, then folded
        assertTrue(nocase("\\Get", "get"));
        assertTrue(nocase("g[E]t", "get"));
        assertFalse(nocase("[\\G]et", "get")); // an escaped byte in a class compares exactly
        assertTrue(nocase("ge[T", "get"));
        assertFalse(match("GE?", "get"));
        assertFalse(nocase("g\u00c9t", "g\u00e9t")); // only ASCII folds
    }

    @Test
    void slicesInsideLargerArrays() {
        byte[] p = b("xxh*oyy");
        byte[] s = b("--hello--");
        assertTrue(Glob.match(p, 2, 3, s, 2, 5));
        assertFalse(Glob.match(p, 2, 3, s, 2, 6));
        assertTrue(Glob.matchesAll(b("a*b"), 1, 1));
        assertFalse(Glob.matchesAll(b("**"), 0, 2));
    }

    @Test
    void redisStopsAfterAThousandNestedStars() {
        for (int n : new int[] {999, 1000, 1001, 1002}) {
            String subject = "a".repeat(n);
            assertEquals(n <= 1000, match("*a".repeat(n), subject), "*a x " + n);
            assertEquals(n <= 1001, match("a*".repeat(n), subject), "a* x " + n); // the last star is free
        }
    }

    @Test
    void pathologicalPatternsStayPolynomial() {
        String subject = "a".repeat(20_000);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertFalse(match("*a*a*a*a*a*a*a*a*a*a*a*b", subject));
            assertTrue(match("*a*a*a*a*a*a*a*a*a*a*a*a", subject));
        });
    }

    /** Random patterns over the special characters, compared with KEYS on the real server. */
    @Test
    void agreesWithRedisOnRandomPatterns() throws Exception {
        RealRedis redis = RealRedis.get();
        Random random = new Random(20240611);
        String alphabet = "ab*?[]^-\\\u0080\u00ff";
        Set<String> keys = new LinkedHashSet<>();
        while (keys.size() < 200) keys.add(randomString(random, "ab[]^-\\*?c\u0080\u00ff", 5));
        try (RawClient c = new RawClient(redis.port())) {
            c.call("SELECT", "9");
            c.call("FLUSHDB");
            for (String k : keys) c.send(command("SET", k, "1"));
            for (int i = 0; i < keys.size(); i++) c.readReply();
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                String pattern = randomString(random, alphabet, 7);
                c.send(command("KEYS", pattern));
                Set<String> expected = new TreeSet<>(Resp.parse(c.readReply()).texts());
                Set<String> actual = new TreeSet<>();
                for (String k : keys) {
                    if (pattern.equals("*") || match(pattern, k)) actual.add(k); // KEYS * takes every key
                }
                if (!expected.equals(actual)) mismatches.add(pattern);
            }
            c.call("FLUSHDB");
            assertEquals(List.of(), mismatches);
        }
    }

    private static String randomString(Random r, String alphabet, int maxLen) {
        int n = r.nextInt(maxLen + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return sb.toString();
    }

    /** A command whose arguments are bytes, one per char (RawClient.encode would send UTF-8). */
    private static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return b(sb.toString());
    }
}
