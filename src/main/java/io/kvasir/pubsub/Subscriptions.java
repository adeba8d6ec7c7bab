package io.kvasir.pubsub;

import java.util.LinkedHashSet;

/**
 * What one client is subscribed to: its channels, patterns and shard channels, in the order it
 * subscribed (UNSUBSCRIBE with no argument leaves them in that order). The sets are touched only on
 * the client's own thread; the counts may be read from any thread (CLIENT LIST, the dispatcher).
 */
public final class Subscriptions {
    final LinkedHashSet<Channel> channels = new LinkedHashSet<>();
    final LinkedHashSet<Channel> patterns = new LinkedHashSet<>();
    final LinkedHashSet<Channel> shardChannels = new LinkedHashSet<>();
    private volatile int nChannels, nPatterns, nShardChannels;

    LinkedHashSet<Channel> of(PubSub.Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shardChannels;
        };
    }

    /** Refreshes the counts after a change of the sets. */
    void recount() {
        nChannels = channels.size();
        nPatterns = patterns.size();
        nShardChannels = shardChannels.size();
    }

    /** Channels subscribed to (CLIENT LIST sub). */
    public int channels() { return nChannels; }

    /** Patterns subscribed to (CLIENT LIST psub). */
    public int patterns() { return nPatterns; }

    /** Shard channels subscribed to (CLIENT LIST ssub). */
    public int shardChannels() { return nShardChannels; }

    /** True while subscribed to anything: the client is in the pub/sub context (CLIENT LIST flag P). */
    public boolean active() { return nChannels + nPatterns + nShardChannels > 0; }

    /**
     * The count a (un)subscribe confirmation reports: channels and patterns together, shard
     * channels apart, as Redis counts them.
     */
    int count(PubSub.Kind kind) {
        return kind == PubSub.Kind.SHARD ? nShardChannels : nChannels + nPatterns;
    }
}
