package io.kvasir.protocol;

/**
 * A command failed with a Redis error reply. The message is the full error line without the
 * leading '-' (for example {@code "ERR value is not an integer or out of range"}); its first word
 * is the error code counted in {@code INFO errorstats}. Thrown on the command path, so it carries
 * no stack trace.
 */
public final class RedisError extends RuntimeException {
    public RedisError(String message) {
        super(message, null, false, false);
    }

    /** The error code: the first word of the message ("ERR", "WRONGTYPE", ...). */
    public String code() {
        String m = getMessage();
        int sp = m.indexOf(' ');
        return sp < 0 ? m : m.substring(0, sp);
    }
}
