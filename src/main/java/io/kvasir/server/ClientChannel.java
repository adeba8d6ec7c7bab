package io.kvasir.server;

/** What the command layer may ask of a client's connection; implemented by the network layer. */
public interface ClientChannel {
    /** Closes the connection after the replies written so far are flushed. */
    void closeAfterReply();

    /** Closes the connection now (CLIENT KILL, timeouts). Safe from any thread. */
    void kill();

    /** Bytes received and not yet executed, the running request included (CLIENT LIST qbuf). */
    int inputBuffered();

    /** Capacity of the receive buffer (CLIENT LIST qbuf-free is capacity minus buffered). */
    int inputCapacity();

    /** The most bytes the receive buffer held recently (CLIENT LIST rbp). */
    int inputPeak();

    /** Bytes of the arguments of the request being run or held by a pause (CLIENT LIST argv-mem). */
    int argvMemory();

    /** Bytes of replies not yet written to the socket (CLIENT LIST omem). */
    long outputBuffered();

    /** Bytes of replies of the current batch, not yet handed to the socket (CLIENT LIST obl). */
    int outputBufferLength();

    /** Reply buffers handed to the socket and not yet written (CLIENT LIST oll). */
    int outputListLength();

    /** The socket's file descriptor, or -1 where the transport does not expose it (CLIENT LIST fd). */
    int fd();

    /** Runs a task on the connection's own thread (replies to it must be written there). */
    void execute(Runnable task);

    /**
     * Sends bytes to the client outside of its requests (pub/sub messages, the MONITOR feed), whatever
     * CLIENT REPLY says. Safe from any thread; the bytes must not change afterwards. If the client's
     * own command is running (it published to itself), they go out before that command's reply.
     */
    void send(byte[] bytes);

    /**
     * Like {@link #send}, except that bytes sent while the client's own request runs go out after
     * that request's replies rather than before them (CLIENT TRACKING invalidations of keys the
     * client's own command changed, which Redis holds back until the command is over).
     */
    void sendAfterReply(byte[] bytes);

    /**
     * True if called on the connection's thread while it runs one of its requests: the change being
     * made is the client's own (Redis's "current client").
     */
    boolean executingHere();

    /**
     * The writer for what the running command pushes rather than replies (pub/sub confirmations),
     * which CLIENT REPLY OFF or SKIP does not suppress. On the connection's thread, during a command.
     */
    io.kvasir.protocol.Reply pushWriter();

    /** Runs a task on the connection's thread after {@code delayMs}; cancel it through the future. */
    java.util.concurrent.Future<?> schedule(Runnable task, long delayMs);

    /**
     * The reply writer, ready for the reply of a blocked command that ends (served, timed out or
     * unblocked). On the connection's thread.
     */
    io.kvasir.protocol.Reply replyWriter();

    /**
     * The blocked command has written its reply: it goes out, then the requests received meanwhile
     * run. On the connection's thread, after {@link Client#blocked} was cleared.
     */
    void unblocked();
}
