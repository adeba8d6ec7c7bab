package io.kvasir.pubsub;

import io.kvasir.protocol.Numbers;
import io.kvasir.store.KeyNotices;
import java.nio.charset.StandardCharsets;

/**
 * Keyspace notifications (notify-keyspace-events): an event on key K of database N is published
 * to {@code __keyspace@N__:K} with the event name as message (class K), then to
 * {@code __keyevent@N__:<event>} with K as message (class E), if the event's class is enabled.
 *
 * <p>Commands call {@link #wants} before anything else, so with notifications off (the default) an
 * event costs one field read and a branch; channel names are built only for an event published.
 * The store reports what it does itself, keys created and keys expired, through {@link KeyNotices}:
 * {@link #keyNotices} is what the keyspace should hold, null while neither is wanted.
 *
 * <p>Redis's class letters map to these bits; 'A' is g$lshzxetd ('n' and 'm' are not part of it).
 */
public final class Notifications implements KeyNotices {
    public static final int KEYSPACE = 1, KEYEVENT = 1 << 1, GENERIC = 1 << 2, STRING = 1 << 3, LIST = 1 << 4,
            SET = 1 << 5, HASH = 1 << 6, ZSET = 1 << 7, EXPIRED = 1 << 8, EVICTED = 1 << 9, STREAM = 1 << 10,
            KEY_MISS = 1 << 11, MODULE = 1 << 12, NEW = 1 << 13;
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /** The class letters in the order Redis prints them (after 'A' or these, then K, E, m). */
    private static final String CLASS_LETTERS = "g$lshzxetdn";
    private static final int[] CLASS_BITS = {GENERIC, STRING, LIST, SET, HASH, ZSET, EXPIRED, EVICTED, STREAM, MODULE, NEW};

    private static final byte[] NEW_EVENT = ascii("new"), EXPIRED_EVENT = ascii("expired"), KEYMISS = ascii("keymiss");
    private static final byte[] KEYSPACE_PREFIX = ascii("__keyspace@"), KEYEVENT_PREFIX = ascii("__keyevent@"),
            INFIX = ascii("__:");

    private final PubSub pubsub;
    /** The classes to publish, 0 unless K or E is set too (then nothing would be published). */
    private volatile int flags;

    public Notifications(PubSub pubsub) {
        this.pubsub = pubsub;
    }

    /** Applies notify-keyspace-events given as the bits of {@link #parse}. */
    public void flags(int configured) {
        flags = (configured & (KEYSPACE | KEYEVENT)) == 0 ? 0 : configured;
    }

    /** True if events of class {@code type} are published: test it before building anything for an event. */
    public boolean wants(int type) {
        return (flags & type) != 0;
    }

    /** What the keyspace should report to ({@code Keyspace.notices}): this, or null when it would report nothing. */
    public KeyNotices keyNotices() {
        return (flags & (NEW | EXPIRED)) != 0 ? this : null;
    }

    /**
     * Publishes event {@code event} of class {@code type} on the key {@code k[off, off+len)} of
     * database {@code db}, if that class is enabled (see {@code Call.notify} for where).
     */
    public void notify(int type, byte[] event, int db, byte[] k, int off, int len) {
        int f = flags;
        if ((f & type) == 0) return;
        byte[] dbDigits = Numbers.longBytes(db);
        if ((f & KEYSPACE) != 0) {
            byte[] channel = channel(KEYSPACE_PREFIX, dbDigits, k, off, len);
            pubsub.publish(channel, 0, channel.length, event, 0, event.length);
        }
        if ((f & KEYEVENT) != 0) {
            byte[] channel = channel(KEYEVENT_PREFIX, dbDigits, event, 0, event.length);
            pubsub.publish(channel, 0, channel.length, k, off, len);
        }
    }

    private static byte[] channel(byte[] prefix, byte[] db, byte[] name, int off, int len) {
        byte[] c = new byte[prefix.length + db.length + INFIX.length + len];
        System.arraycopy(prefix, 0, c, 0, prefix.length);
        System.arraycopy(db, 0, c, prefix.length, db.length);
        System.arraycopy(INFIX, 0, c, prefix.length + db.length, INFIX.length);
        System.arraycopy(name, off, c, prefix.length + db.length + INFIX.length, len);
        return c;
    }

    /** A lookup for reading found nothing ("keymiss", class m). */
    public void keyMiss(int db, byte[] k, int off, int len) {
        notify(KEY_MISS, KEYMISS, db, k, off, len);
    }

    @Override
    public void created(int db, byte[] k, int off, int len) {
        notify(NEW, NEW_EVENT, db, k, off, len);
    }

    @Override
    public void expired(int db, byte[] k, int off, int len) {
        notify(EXPIRED, EXPIRED_EVENT, db, k, off, len);
    }

    // ---- the notify-keyspace-events value ----

    /** The bits of a notify-keyspace-events value; IllegalArgumentException for a letter Redis does not know. */
    public static int parse(String classes) {
        int bits = 0;
        for (int i = 0; i < classes.length(); i++) {
            char ch = classes.charAt(i);
            int at = CLASS_LETTERS.indexOf(ch);
            if (at >= 0) bits |= CLASS_BITS[at];
            else if (ch == 'A') bits |= ALL;
            else if (ch == 'K') bits |= KEYSPACE;
            else if (ch == 'E') bits |= KEYEVENT;
            else if (ch == 'm') bits |= KEY_MISS;
            else throw new IllegalArgumentException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
        }
        return bits;
    }

    /**
     * The value as CONFIG GET shows it: "A" for all of A's classes, else their letters, then K, E
     * and m. As in Redis, 'n' is not shown next to 'A' (though it stays in force).
     */
    public static String format(int bits) {
        StringBuilder sb = new StringBuilder();
        if ((bits & ALL) == ALL) {
            sb.append('A');
        } else {
            for (int i = 0; i < CLASS_BITS.length; i++) if ((bits & CLASS_BITS[i]) != 0) sb.append(CLASS_LETTERS.charAt(i));
        }
        if ((bits & KEYSPACE) != 0) sb.append('K');
        if ((bits & KEYEVENT) != 0) sb.append('E');
        if ((bits & KEY_MISS) != 0) sb.append('m');
        return sb.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
