package io.kvasir.protocol;

/** Error replies shared by many commands, worded exactly as Redis 7.0 words them. */
public final class Errors {
    private Errors() {}

    public static final RedisError WRONGTYPE =
            new RedisError("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final RedisError NOT_INTEGER = new RedisError("ERR value is not an integer or out of range");
    public static final RedisError INT_RANGE =
            new RedisError("ERR value is out of range, value must between -2147483648 and 2147483647");
    public static final RedisError NOT_FLOAT = new RedisError("ERR value is not a valid float");
    public static final RedisError SYNTAX = new RedisError("ERR syntax error");
    public static final RedisError NO_SUCH_KEY = new RedisError("ERR no such key");
    public static final RedisError OVERFLOW = new RedisError("ERR increment or decrement would overflow");
    public static final RedisError DB_INDEX = new RedisError("ERR DB index is out of range");
    public static final RedisError SAME_OBJECT = new RedisError("ERR source and destination objects are the same");
    public static final RedisError NOAUTH = new RedisError("NOAUTH Authentication required.");

    public static RedisError wrongArgs(String commandName) {
        return new RedisError("ERR wrong number of arguments for '" + commandName + "' command");
    }

    /** For a known subcommand given the wrong arguments; {@code typed} is the subcommand as the client typed it. */
    public static RedisError subcommandSyntax(String typed, String container) {
        return new RedisError("ERR unknown subcommand or wrong number of arguments for '" + typed + "'. Try "
                + container + " HELP.");
    }

    public static RedisError invalidExpire(String commandName) {
        return new RedisError("ERR invalid expire time in '" + commandName + "' command");
    }
}
