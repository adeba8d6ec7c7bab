package io.kvasir.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
    /** Replies of every RESP2 shape, and what the listener should see for each. */
    private static final String STREAM = "+OK\r\n"
            + "-ERR unknown command 'FOO'\r\n"
            + ":-42\r\n"
            + "$5\r\nhello\r\n"
            + "$-1\r\n"
            + "$0\r\n\r\n"
            + "$6\r\na\r\nb\r\n\r\n"           // CR LF inside a payload is payload
            + "*-1\r\n"
            + "*0\r\n"
            + "*3\r\n$1\r\na\r\n:1\r\n*2\r\n+x\r\n*0\r\n"   // nested, ending in an empty array
            + "*2\r\n$-1\r\n-ERR inner\r\n"
            + "+PONG\r\n";
    private static final List<String> EXPECTED = List.of(
            "+OK", "-ERR unknown command 'FOO'", ":-42", "$5", "$-1", "$0", "$6", "*", "*", "*", "*", "+PONG");

    private static List<String> parse(byte[]... chunks) {
        List<String> seen = new ArrayList<>();
        // an array's line is that of its last element's header, so only its type is recorded
        ReplyParser p = new ReplyParser((type, line, length) -> seen.add(
                (char) type + (type == '*' ? "" : new String(line, 0, length, StandardCharsets.UTF_8))));
        for (byte[] c : chunks) p.feed(Unpooled.wrappedBuffer(c));
        return seen;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void wholeStream() {
        assertEquals(EXPECTED, parse(bytes(STREAM)));
    }

    @Test
    void everySplitInTwo() {
        byte[] all = bytes(STREAM);
        for (int cut = 0; cut <= all.length; cut++) {
            assertEquals(EXPECTED, parse(Arrays.copyOfRange(all, 0, cut), Arrays.copyOfRange(all, cut, all.length)),
                    "split at " + cut);
        }
    }

    @Test
    void byteByByte() {
        byte[] all = bytes(STREAM);
        byte[][] chunks = new byte[all.length][];
        for (int i = 0; i < all.length; i++) chunks[i] = new byte[] {all[i]};
        assertEquals(EXPECTED, parse(chunks));
    }

    @Test
    void partialReplyIsNotReported() {
        assertEquals(List.of("+OK"), parse(bytes("+OK\r\n$5\r\nhel")));
        assertEquals(List.of(), parse(bytes("*2\r\n:1\r\n")));
        assertEquals(List.of(), parse(bytes("+PON")));
        assertEquals(List.of(), parse(bytes("$3\r\nabc\r")));
    }

    @Test
    void largePayloadIsSkippedAcrossChunks() {
        byte[] payload = new byte[100_000];
        Arrays.fill(payload, (byte) '\n');  // would confuse a parser that scans payloads for line ends
        byte[] head = bytes("$100000\r\n");
        List<String> seen = parse(head, Arrays.copyOfRange(payload, 0, 70_000),
                Arrays.copyOfRange(payload, 70_000, 100_000), bytes("\r\n:7\r\n"));
        assertEquals(List.of("$100000", ":7"), seen);
    }

    @Test
    void longErrorLineIsCutToTheCapture() {
        String msg = "ERR " + "y".repeat(1000);
        List<String> seen = parse(bytes("-" + msg + "\r\n"));
        assertEquals(List.of("-" + msg.substring(0, ReplyParser.LINE_CAPTURE)), seen);
    }

    @Test
    void garbageIsAProtocolError() {
        for (String bad : List.of("?\r\n", "+OK\n", "+O\rK\r\n", "$3\r\nabcd\r\n", "$-2\r\n", "$x\r\n", ":\r\n",
                "*-5\r\n", "$99999999999999999999999\r\n", "*1\r\n%0\r\n")) {
            assertThrows(ReplyParser.ProtocolException.class, () -> parse(bytes(bad)), bad);
        }
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "*1\r\n".repeat(100) + ":1\r\n";
        assertThrows(ReplyParser.ProtocolException.class, () -> parse(bytes(deep)));
        String ok = "*1\r\n".repeat(64) + ":1\r\n";
        assertEquals(1, parse(bytes(ok)).size());
    }

    @Test
    void expectationsMatchOnlyTheirReplies() {
        List<String> matched = new ArrayList<>();
        ReplyParser p = new ReplyParser((type, line, length) -> {
            StringBuilder b = new StringBuilder();
            for (Op.Expect e : Op.Expect.values()) if (e.matches(type, line, length)) b.append(e).append(' ');
            matched.add(b.toString().trim());
        });
        p.feed(Unpooled.wrappedBuffer(bytes("+OK\r\n+PONG\r\n+OKAY\r\n$1\r\nx\r\n$-1\r\n:5\r\n*1\r\n:1\r\n-ERR x\r\n")));
        assertEquals(List.of("OK", "PONG", "", "BULK", "BULK", "INTEGER", "ARRAY", ""), matched);
        assertTrue(Op.Expect.OK.matches((byte) '+', bytes("OK"), 2));
    }
}
