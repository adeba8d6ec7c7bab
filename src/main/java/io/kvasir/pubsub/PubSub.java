package io.kvasir.pubsub;

import io.kvasir.protocol.Numbers;
import io.kvasir.server.Broadcast;
import io.kvasir.server.Client;
import io.kvasir.store.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publish/subscribe: which clients listen to which channels, patterns and shard channels, and the
 * delivery of messages to them.
 *
 * <p><b>Publishing</b> ({@link #publish}, {@link #publishShard}) works from any thread and never
 * blocks on a receiver: the message is encoded once (a RESP2 array, which RESP3 receivers get as a
 * push) and handed with the receivers to the {@link Broadcast} of the network layer, which batches
 * it per event loop and writes a burst of messages to a receiver with one write and one flush. The
 * count returned is Redis's: one per delivery, so a client subscribed to the channel and to a
 * matching pattern counts twice. With nobody subscribed to anything, publishing costs two
 * emptiness checks.
 *
 * <p>A receiver whose own command is publishing (a RESP3 client that PUBLISHes to a channel it
 * listens to, or a keyspace event its command causes) gets the message at once in its reply stream,
 * where the command is in writing its reply: PUBLISH publishes before replying, as Redis; keyspace
 * notifications publish before, after or between the parts of a reply, wherever Redis does. Messages
 * to the same receiver from one thread arrive in the order they were published.
 *
 * <p>Keyspace notifications ({@link Notifications}) publish with
 * {@code publish("__keyevent@0__:set".getBytes(), key)}.
 *
 * <p><b>Subscribing</b> runs on the subscriber's own thread (its commands, RESET, disconnection).
 * Channels map to a {@link Subscribers} list each, in a concurrent map; patterns are few and each is
 * matched against every published channel, as Redis does, so publishers read them as one array
 * replaced whenever a pattern gains its first or loses its last subscriber.
 */
public final class PubSub {
    /** The three kinds of subscription, with the words of their confirmations and messages. */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        PATTERN("psubscribe", "punsubscribe", "pmessage"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribeWord, unsubscribeWord, messageWord;

        Kind(String subscribe, String unsubscribe, String message) {
            subscribeWord = ascii(subscribe);
            unsubscribeWord = ascii(unsubscribe);
            messageWord = ascii(message);
        }

        /** The first element of a subscribe confirmation ("subscribe", "psubscribe", "ssubscribe"). */
        public byte[] subscribeWord() { return subscribeWord; }

        /** The first element of an unsubscribe confirmation. */
        public byte[] unsubscribeWord() { return unsubscribeWord; }
    }

    private static final Subscribers[] NO_PATTERNS = new Subscribers[0];

    private final ConcurrentHashMap<Channel, Subscribers> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Channel, Subscribers> shardChannels = new ConcurrentHashMap<>();
    /** Patterns and their subscribers; changed under its own lock. */
    private final Map<Channel, Subscribers> patternMap = new HashMap<>();
    /** The values of {@link #patternMap}, as publishers read them. */
    private volatile Subscribers[] patterns = NO_PATTERNS;
    private volatile Broadcast broadcast = Broadcast::each;

    /** Delivers through {@code b} from now on (the network layer's, once it runs). */
    public void broadcast(Broadcast b) {
        broadcast = b;
    }

    // ---- publishing: any thread ----

    /** Publishes {@code message} to {@code channel} and to the patterns matching it; returns the deliveries. */
    public long publish(byte[] channel, byte[] message) {
        return publish(channel, 0, channel.length, message, 0, message.length);
    }

    /** {@link #publish(byte[], byte[])} on slices of larger arrays (the bytes are copied before it returns). */
    public long publish(byte[] ch, int off, int len, byte[] msg, int moff, int mlen) {
        Subscribers[] pats = patterns;
        if (channels.isEmpty() && pats.length == 0) return 0;
        long n = 0;
        Subscribers subs = channels.get(Channel.view(ch, off, len));
        if (subs != null) n += subs.deliver(broadcast, Kind.CHANNEL.messageWord, null, ch, off, len, msg, moff, mlen);
        for (Subscribers p : pats) {
            Channel pat = p.name;
            if (Glob.match(pat.bytes, pat.off, pat.len, ch, off, len)) {
                n += p.deliver(broadcast, Kind.PATTERN.messageWord, pat, ch, off, len, msg, moff, mlen);
            }
        }
        return n;
    }

    /** Publishes to a shard channel (SPUBLISH): its subscribers only, no patterns. */
    public long publishShard(byte[] ch, int off, int len, byte[] msg, int moff, int mlen) {
        if (shardChannels.isEmpty()) return 0;
        Subscribers subs = shardChannels.get(Channel.view(ch, off, len));
        return subs == null ? 0 : subs.deliver(broadcast, Kind.SHARD.messageWord, null, ch, off, len, msg, moff, mlen);
    }

    // ---- subscribing: on the subscriber's thread ----

    /**
     * Subscribes {@code c} to the channel, pattern or shard channel in {@code b[off, off+len)}; false
     * if it already was. Then {@link #count} is what the confirmation reports.
     */
    public boolean subscribe(Client c, Kind kind, byte[] b, int off, int len) {
        Subscriptions s = c.subscriptions();
        if (s == null) {
            s = new Subscriptions();
            c.subscriptions(s);
        }
        Channel name = Channel.copy(b, off, len);
        if (!s.of(kind).add(name)) return false;
        s.recount();
        if (kind == Kind.PATTERN) {
            synchronized (patternMap) {
                Subscribers subs = patternMap.get(name);
                if (subs == null) {
                    patternMap.put(name, subs = new Subscribers(name));
                    patterns = patternMap.values().toArray(NO_PATTERNS);
                }
                subs.add(c);
            }
        } else {
            map(kind).compute(name, (k, subs) -> {
                if (subs == null) subs = new Subscribers(k);
                subs.add(c);
                return subs;
            });
        }
        return true;
    }

    /** Unsubscribes {@code c} from one channel, pattern or shard channel; false if it was not subscribed. */
    public boolean unsubscribe(Client c, Kind kind, byte[] b, int off, int len) {
        Subscriptions s = c.subscriptions();
        if (s == null) return false;
        Channel name = Channel.view(b, off, len);
        if (!s.of(kind).remove(name)) return false;
        s.recount();
        if (kind == Kind.PATTERN) {
            synchronized (patternMap) {
                Subscribers subs = patternMap.get(name);
                if (subs.remove(c)) {
                    patternMap.remove(name);
                    patterns = patternMap.values().toArray(NO_PATTERNS);
                }
            }
        } else {
            map(kind).computeIfPresent(name, (k, subs) -> subs.remove(c) ? null : subs);
        }
        return true;
    }

    /** What {@code c} is subscribed to of one kind, in subscription order (UNSUBSCRIBE with no argument). */
    public List<byte[]> subscribed(Client c, Kind kind) {
        Subscriptions s = c.subscriptions();
        List<byte[]> out = new ArrayList<>();
        if (s != null) for (Channel ch : s.of(kind)) out.add(ch.bytes);
        return out;
    }

    /** The count an (un)subscribe confirmation of this kind reports for {@code c}. */
    public static int count(Client c, Kind kind) {
        Subscriptions s = c.subscriptions();
        return s == null ? 0 : s.count(kind);
    }

    /** Leaves every subscription of {@code c} (RESET, disconnection). */
    public void unsubscribeAll(Client c) {
        if (c.subscriptions() == null) return;
        for (Kind kind : Kind.values()) {
            for (byte[] name : subscribed(c, kind)) unsubscribe(c, kind, name, 0, name.length);
        }
    }

    private ConcurrentHashMap<Channel, Subscribers> map(Kind kind) {
        return kind == Kind.SHARD ? shardChannels : channels;
    }

    // ---- introspection: PUBSUB, INFO ----

    /** Channels (or shard channels) with at least one subscriber whose name matches {@code pattern} (null: all). */
    public List<byte[]> active(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        boolean all = pattern == null || Glob.matchesAll(pattern, 0, pattern.length);
        for (Channel ch : map(kind).keySet()) {
            if (all || Glob.match(pattern, 0, pattern.length, ch.bytes, ch.off, ch.len)) out.add(ch.bytes);
        }
        return out;
    }

    /** Subscribers of one channel (or shard channel), patterns not counted (PUBSUB NUMSUB). */
    public int subscribers(Kind kind, byte[] b, int off, int len) {
        Subscribers subs = map(kind).get(Channel.view(b, off, len));
        return subs == null ? 0 : subs.size();
    }

    /** Channels with a subscriber (INFO pubsub_channels). */
    public int channelCount() { return channels.size(); }

    /** Shard channels with a subscriber (INFO pubsubshard_channels). */
    public int shardChannelCount() { return shardChannels.size(); }

    /** Distinct patterns with a subscriber (PUBSUB NUMPAT, INFO pubsub_patterns). */
    public int patternCount() { return patterns.length; }

    // ---- the subscribers of one channel or pattern ----

    /**
     * The clients subscribed to one name. Publishers read an immutable snapshot (array and size)
     * without locking; changes happen under the map's lock for this name. An addition writes past the
     * end of the current array when there is room, where no earlier snapshot looks, so it costs O(1);
     * a removal copies (O(N), as Redis's list removal is).
     */
    static final class Subscribers {
        final Channel name;
        private volatile Snapshot snapshot = Snapshot.EMPTY;

        Subscribers(Channel name) {
            this.name = name;
        }

        private record Snapshot(Client[] clients, int size) {
            static final Snapshot EMPTY = new Snapshot(new Client[0], 0);
        }

        int size() { return snapshot.size; }

        void add(Client c) {
            Snapshot s = snapshot;
            Client[] a = s.clients;
            if (s.size == a.length) a = Arrays.copyOf(a, Math.max(4, a.length * 2));
            a[s.size] = c;
            snapshot = new Snapshot(a, s.size + 1);
        }

        /** Removes {@code c}; true if nobody is left. */
        boolean remove(Client c) {
            Snapshot s = snapshot;
            Client[] a = new Client[Math.max(4, s.size - 1)];
            int n = 0;
            for (int i = 0; i < s.size; i++) if (s.clients[i] != c) a[n++] = s.clients[i];
            snapshot = new Snapshot(a, n);
            return n == 0;
        }

        /** Encodes the message and hands it to every subscriber; returns how many there were. */
        int deliver(Broadcast b, byte[] word, Channel pattern, byte[] ch, int off, int len, byte[] msg, int moff, int mlen) {
            Snapshot s = snapshot;
            if (s.size > 0) b.send(s.clients, s.size, encode(word, pattern, ch, off, len, msg, moff, mlen));
            return s.size;
        }
    }

    // ---- messages ----

    /** "*3 message channel payload" ("*4 pmessage pattern channel payload"): the RESP2 form. */
    private static byte[] encode(byte[] word, Channel pattern, byte[] ch, int off, int len, byte[] msg, int moff, int mlen) {
        int parts = pattern == null ? 3 : 4;
        int size = 4 + bulkSize(word.length) + bulkSize(len) + bulkSize(mlen) + (pattern == null ? 0 : bulkSize(pattern.len));
        byte[] out = new byte[size];
        out[0] = '*';
        out[1] = (byte) ('0' + parts);
        out[2] = '\r';
        out[3] = '\n';
        int p = bulk(out, 4, word, 0, word.length);
        if (pattern != null) p = bulk(out, p, pattern.bytes, pattern.off, pattern.len);
        p = bulk(out, p, ch, off, len);
        bulk(out, p, msg, moff, mlen);
        return out;
    }

    private static int bulkSize(int n) {
        return 1 + Numbers.digits(n) + 2 + n + 2;
    }

    private static int bulk(byte[] out, int p, byte[] b, int off, int n) {
        out[p++] = '$';
        p = Numbers.writeLong(n, out, p);
        out[p++] = '\r';
        out[p++] = '\n';
        System.arraycopy(b, off, out, p, n);
        p += n;
        out[p++] = '\r';
        out[p++] = '\n';
        return p;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
