package io.kvasir.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser gives the same requests however the bytes are cut into reads. */
class RequestReaderTest {

    private static List<String> parseAll(RequestReader r, byte[] input, int[] cuts) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        for (int cut : cuts) {
            r.append(input, pos, cut - pos);
            pos = cut;
            drain(r, out);
        }
        r.append(input, pos, input.length - pos);
        drain(r, out);
        return out;
    }

    private static void drain(RequestReader r, List<String> out) {
        while (true) {
            RequestReader.Result res = r.next();
            if (res == RequestReader.Result.NEED_MORE) return;
            if (res == RequestReader.Result.PROTOCOL_ERROR) {
                out.add("error: " + r.error());
                return;
            }
            out.add(r.args().toString());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void multibulkAndInline() {
        byte[] in = bytes("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nSET a \"b c\" 'd'\r\n*0\r\n\r\n*1\r\n$4\r\nPING\r\n");
        assertEquals(List.of("\"GET\" \"k\"", "\"SET\" \"a\" \"b c\" \"d\"", "\"PING\""),
                parseAll(new RequestReader(), in, new int[0]));
    }

    @Test
    void inlineEscapes() {
        byte[] in = bytes("ECHO \"\\x41\\n\\t\\\\\" 'it\\'s'\n");
        assertEquals(List.of("\"ECHO\" \"A\n\t\\\" \"it's\""), parseAll(new RequestReader(), in, new int[0]));
    }

    @Test
    void errors() {
        assertEquals(List.of("error: Protocol error: invalid multibulk length"),
                parseAll(new RequestReader(), bytes("*x\r\n"), new int[0]));
        assertEquals(List.of("error: Protocol error: invalid bulk length"),
                parseAll(new RequestReader(), bytes("*1\r\n$-1\r\n"), new int[0]));
        assertEquals(List.of("error: Protocol error: unbalanced quotes in request"),
                parseAll(new RequestReader(), bytes("ECHO \"a\n"), new int[0]));
    }

    @Test
    void hugeAnnouncedBulkAllocatesOnlyWhatArrives() {
        RequestReader r = new RequestReader();
        parseAll(r, bytes("*1\r\n$500000000\r\nabc"), new int[0]);
        assertEquals(true, r.capacity() < 1024 * 1024, "capacity " + r.capacity());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void anyFragmentationGivesTheSameRequests(long seed) {
        Random random = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            int n = 1 + random.nextInt(4);
            if (random.nextInt(5) == 0) {
                sb.append("PING ").append(i).append("\r\n");
                continue;
            }
            sb.append('*').append(n).append("\r\n");
            for (int a = 0; a < n; a++) {
                String v = "v" + random.nextInt(100000) + "x".repeat(random.nextInt(3000));
                sb.append('$').append(v.length()).append("\r\n").append(v).append("\r\n");
            }
        }
        byte[] in = bytes(sb.toString());
        List<String> whole = parseAll(new RequestReader(), in, new int[0]);
        int[] cuts = random.ints(300, 0, in.length).sorted().distinct().toArray();
        assertEquals(whole, parseAll(new RequestReader(), in, cuts));
        int[] every = new int[Math.min(in.length, 5000)];
        for (int i = 0; i < every.length; i++) every[i] = i + 1;
        assertEquals(whole, parseAll(new RequestReader(), in, every));
    }

    /** peekKeys names the second argument of each whole request ahead, and consumes nothing. */
    @Test
    void peekKeysLooksAheadAtWholeRequestsOnly() {
        RequestReader r = new RequestReader();
        String whole = "*2\r\n$3\r\nGET\r\n$3\r\nabc\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
                + "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$2\r\nzz\r\n";
        String partial = "*2\r\n$3\r\nGET\r\n$3\r\nab";
        byte[] in = (whole + partial).getBytes(StandardCharsets.US_ASCII);
        r.append(in, 0, in.length);
        int[] offs = new int[8], lens = new int[8];
        assertEquals(2, r.peekKeys(8, offs, lens), "stops at the one-argument PING");
        assertEquals("abc", new String(r.buffer(), offs[0], lens[0], StandardCharsets.US_ASCII));
        assertEquals("k", new String(r.buffer(), offs[1], lens[1], StandardCharsets.US_ASCII));
        assertEquals(1, r.peekKeys(1, offs, lens), "at most max");
        List<String> all = new ArrayList<>();
        drain(r, all);
        assertEquals(4, all.size(), "peeking consumed nothing: " + all);
        assertEquals(0, r.peekKeys(8, offs, lens), "the partial request is not peeked");
        byte[] rest = "c\r\n*2\r\n$3\r\nGET\r\n$1\r\nq\r\n".getBytes(StandardCharsets.US_ASCII);
        r.append(rest, 0, rest.length);
        assertEquals(0, r.peekKeys(8, offs, lens), "a request half parsed is left to next()");
        assertEquals(RequestReader.Result.REQUEST, r.next());
        assertEquals(1, r.peekKeys(8, offs, lens));
        assertEquals("q", new String(r.buffer(), offs[0], lens[0], StandardCharsets.US_ASCII));
    }
}
