package io.kvasir.server;

/** What the command layer may ask of a client's connection; implemented by the network layer. */
public interface ClientChannel {
    /** Closes the connection after the replies written so far are flushed. */
    void closeAfterReply();

    /** Closes the connection now (CLIENT KILL, timeouts). Safe from any thread. */
    void kill();

    /** Bytes received and not yet executed (CLIENT LIST qbuf). */
    int inputBuffered();

    /** Capacity of the receive buffer (CLIENT LIST qbuf-free is capacity minus buffered). */
    int inputCapacity();

    /** Bytes of replies not yet written to the socket (CLIENT LIST omem). */
    long outputBuffered();

    /** Runs a task on the connection's own thread (replies to it must be written there). */
    void execute(Runnable task);
}
