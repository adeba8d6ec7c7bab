package io.kvasir.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A request held back by CLIENT PAUSE stays intact while more bytes arrive and the buffer moves. */
class RequestReaderHoldTest {

    private static void append(RequestReader r, String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        r.append(b, 0, b.length);
    }

    @Test
    void aHeldMultibulkIsReturnedAgainAfterTheBufferGrows() {
        RequestReader r = new RequestReader();
        append(r, "*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
        assertEquals(RequestReader.Result.REQUEST, r.next());
        assertEquals("PING", r.args().str(0));
        assertEquals(RequestReader.Result.REQUEST, r.next());
        r.hold();
        assertEquals(31, r.buffered()); // the held SET
        String big = "x".repeat(100_000);
        append(r, "*2\r\n$4\r\nECHO\r\n$" + big.length() + "\r\n" + big + "\r\n"); // forces a bigger buffer
        assertEquals(RequestReader.Result.REQUEST, r.next());
        assertEquals("SET k value", r.args().str(0) + " " + r.args().str(1) + " " + r.args().str(2));
        assertEquals(RequestReader.Result.REQUEST, r.next());
        assertEquals(big, r.args().str(1));
        assertEquals(RequestReader.Result.NEED_MORE, r.next());
        assertEquals(0, r.buffered());
    }

    @Test
    void aHeldInlineRequestKeepsItsUnescapedArguments() {
        RequestReader r = new RequestReader();
        append(r, "PING\r\nECHO \"a\\x41\\n\"\r\n");
        assertEquals(RequestReader.Result.REQUEST, r.next());
        assertEquals(RequestReader.Result.REQUEST, r.next());
        r.hold();
        append(r, "PING\r\n".repeat(5000)); // compacts or grows the buffer under the held request
        assertEquals(RequestReader.Result.REQUEST, r.next());
        assertEquals("aA\n", r.args().str(1));
        for (int i = 0; i < 5000; i++) {
            assertEquals(RequestReader.Result.REQUEST, r.next());
            assertEquals("PING", r.args().str(0));
        }
        assertEquals(RequestReader.Result.NEED_MORE, r.next());
    }

    @Test
    void bufferedCountsTheRequestBeingRun() {
        RequestReader r = new RequestReader();
        append(r, "*1\r\n$4\r\nPING\r\n*1\r\n$4");
        assertEquals(RequestReader.Result.REQUEST, r.next());
        assertEquals(20, r.buffered()); // the running PING (14 bytes) and the 6 bytes of the next
        assertEquals(RequestReader.Result.NEED_MORE, r.next());
        assertEquals(6, r.buffered());
    }
}
