package io.kvasir.store;

/** The type codes of values, numbered as Redis numbers them in RDB files (OBJ_STRING = 0, ...). */
public final class ValueType {
    private ValueType() {}

    public static final byte STRING = 0;
    public static final byte LIST = 1;
    public static final byte SET = 2;
    public static final byte ZSET = 3;
    public static final byte HASH = 4;
    public static final byte STREAM = 6;

    /** The name TYPE replies with. */
    public static String name(byte type) {
        return switch (type) {
            case STRING -> "string";
            case LIST -> "list";
            case SET -> "set";
            case ZSET -> "zset";
            case HASH -> "hash";
            case STREAM -> "stream";
            default -> "none";
        };
    }

    /** The type named in SCAN ... TYPE, or -1 for an unknown name. */
    public static byte byName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "string" -> STRING;
            case "list" -> LIST;
            case "set" -> SET;
            case "zset" -> ZSET;
            case "hash" -> HASH;
            case "stream" -> STREAM;
            default -> -1;
        };
    }
}
