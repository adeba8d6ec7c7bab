package io.kvasir.server;

/**
 * Sends one message to many clients (pub/sub). The network layer implements it so that a burst of
 * messages to the same clients visits each client once, not once per message; {@link #each} is
 * the plain way, a {@link ClientChannel#send} per client.
 */
@FunctionalInterface
public interface Broadcast {
    /**
     * Sends {@code frame}, a RESP2 array, to each of {@code clients[0, size)}, as a push (the same
     * bytes led by '>' instead of '*') to RESP3 clients; in order with what else is sent to them
     * from this thread, as {@link ClientChannel#send} would. Neither the array's slice nor the frame
     * may change afterwards.
     */
    void send(Client[] clients, int size, byte[] frame);

    /** {@link #send} by a {@link ClientChannel#send} per client. */
    static void each(Client[] clients, int size, byte[] frame) {
        byte[] push = null;
        for (int i = 0; i < size; i++) {
            Client c = clients[i];
            if (c.resp() == 3) {
                if (push == null) push = push(frame);
                c.channel().send(push);
            } else {
                c.channel().send(frame);
            }
        }
    }

    /** The RESP3 push of a RESP2 array frame. */
    private static byte[] push(byte[] frame) {
        byte[] p = frame.clone();
        p[0] = '>';
        return p;
    }
}
