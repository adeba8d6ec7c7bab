package io.kvasir.server;

/**
 * client-output-buffer-limit, kept parsed: for each class of client, the output it may leave
 * unread. Past the hard limit it is disconnected at once; past the soft limit, once it has stayed
 * past it for more than the soft limit's seconds. A limit of 0 is no limit.
 */
public final class OutputLimits {
    /** The classes of the directive, in its order. */
    public enum Type { NORMAL, REPLICA, PUBSUB }

    /** One class's limits. */
    public record Limit(long hard, long soft, long softSeconds) {}

    private volatile Limit[] limits;

    OutputLimits(String value) {
        set(value);
    }

    /** Takes the directive's canonical value ("normal 0 0 0 slave ... pubsub ..."). */
    void set(String value) {
        String[] w = value.trim().split("\\s+");
        Limit[] l = new Limit[Type.values().length];
        for (int i = 0; i + 3 < w.length; i += 4) {
            int type = switch (w[i]) {
                case "normal" -> 0;
                case "slave", "replica" -> 1;
                default -> 2;
            };
            l[type] = new Limit(Long.parseUnsignedLong(w[i + 1]), Long.parseUnsignedLong(w[i + 2]), Long.parseLong(w[i + 3]));
        }
        limits = l;
    }

    public Limit of(Type type) {
        return limits[type.ordinal()];
    }
}
