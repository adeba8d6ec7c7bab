package io.kvasir.tracking;

import io.kvasir.protocol.Numbers;
import io.kvasir.protocol.Reply;
import java.util.Collection;

/**
 * The bytes of invalidation messages. The payload is the array of keys, or a null for a flush,
 * written in the protocol of the tracking client (a RESP2 client redirecting to a RESP3 one makes
 * it receive {@code $-1}, as Redis does). A RESP3 receiver gets it in a push
 * {@code ["invalidate", payload]}; a RESP2 receiver of redirected invalidations gets it as a
 * pub/sub message on {@code __redis__:invalidate}.
 */
final class Messages {
    private Messages() {}

    static final byte[] NULL2 = Reply.ascii("$-1\r\n"), NULL3 = Reply.ascii("_\r\n");
    private static final byte[] PUSH = Reply.ascii(">2\r\n$10\r\ninvalidate\r\n");
    private static final byte[] MESSAGE = Reply.ascii("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n");
    private static final byte[] BROKEN = Reply.ascii(">2\r\n$21\r\ntracking-redir-broken\r\n:");

    /** The payload naming these keys: an array of bulk strings. */
    static byte[] keys(Collection<byte[]> keys) {
        int size = 1 + Numbers.digits(keys.size()) + 2;
        for (byte[] k : keys) size += 1 + Numbers.digits(k.length) + 2 + k.length + 2;
        byte[] out = new byte[size];
        out[0] = '*';
        int p = crlf(out, Numbers.writeLong(keys.size(), out, 1));
        for (byte[] k : keys) {
            out[p++] = '$';
            p = crlf(out, Numbers.writeLong(k.length, out, p));
            System.arraycopy(k, 0, out, p, k.length);
            p = crlf(out, p + k.length);
        }
        return out;
    }

    /** The payload naming one key. */
    static byte[] key(byte[] k) {
        return keys(java.util.List.of(k));
    }

    /** The payload framed as a RESP3 push ({@code push}) or as a pub/sub message. */
    static byte[] frame(byte[] payload, boolean push) {
        byte[] head = push ? PUSH : MESSAGE;
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    /** The push telling a RESP3 tracking client that the client it redirects to is gone. */
    static byte[] brokenRedirect(long id) {
        byte[] out = new byte[BROKEN.length + Numbers.digits(id) + 2];
        System.arraycopy(BROKEN, 0, out, 0, BROKEN.length);
        crlf(out, Numbers.writeLong(id, out, BROKEN.length));
        return out;
    }

    private static int crlf(byte[] out, int p) {
        out[p] = '\r';
        out[p + 1] = '\n';
        return p + 2;
    }
}
