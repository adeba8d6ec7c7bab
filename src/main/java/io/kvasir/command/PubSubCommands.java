package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.Reply;
import io.kvasir.pubsub.PubSub;
import io.kvasir.pubsub.PubSub.Kind;
import java.util.List;

/**
 * The pub/sub family: (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PUBLISH, SPUBLISH and PUBSUB. The
 * subscriptions and the delivery of messages are {@link PubSub}'s; shard channels behave as in a
 * Redis that is not in cluster mode: a space of channels of their own, without patterns.
 */
final class PubSubCommands implements CommandFamily {
    private static final String SUBSCRIBING = "pubsub noscript loading stale";
    private static final String PUBLISHING = "pubsub loading stale fast may_replicate";
    private static final String INSPECTING = "pubsub loading stale";

    private static final String[] HELP = {
            "CHANNELS [<pattern>]",
            "    Return the currently active channels matching a <pattern> (default: '*').",
            "NUMPAT",
            "    Return number of subscriptions to patterns.",
            "NUMSUB [<channel> ...]",
            "    Return the number of subscribers for the specified channels, excluding",
            "    pattern subscriptions(default: no channels).",
            "SHARDCHANNELS [<pattern>]",
            "    Return the currently active shard level channels matching a <pattern> (default: '*').",
            "SHARDNUMSUB [<shardchannel> ...]",
            "    Return the number of subscribers for the specified shard level channel(s)"};

    @Override
    public void register(CommandTable t) {
        t.add(command("subscribe", -2).flags(SUBSCRIBING).group("pubsub").since("2.0.0").allowedWhileSubscribed()
                .summary("Listens for the messages published to the given channels.")
                .complexity("O(N) where N is the number of channels to subscribe to.")
                .handler(c -> subscribe(c, Kind.CHANNEL)));
        t.add(command("unsubscribe", -1).flags(SUBSCRIBING).group("pubsub").since("2.0.0").allowedWhileSubscribed()
                .summary("Stops listening to the given channels, or to every channel.")
                .complexity("O(N) where N is the number of clients already subscribed to a channel.")
                .handler(c -> unsubscribe(c, Kind.CHANNEL)));
        t.add(command("psubscribe", -2).flags(SUBSCRIBING).group("pubsub").since("2.0.0").allowedWhileSubscribed()
                .summary("Listens for the messages published to channels matching the given glob-style patterns.")
                .complexity("O(N) where N is the number of patterns the client is already subscribed to.")
                .handler(c -> subscribe(c, Kind.PATTERN)));
        t.add(command("punsubscribe", -1).flags(SUBSCRIBING).group("pubsub").since("2.0.0").allowedWhileSubscribed()
                .summary("Stops listening to the given patterns, or to every pattern.")
                .complexity("O(N+M) where N is the number of patterns the client is already subscribed and M is the"
                        + " number of total patterns subscribed in the system (by any client).")
                .handler(c -> unsubscribe(c, Kind.PATTERN)));
        t.add(command("publish", 3).flags(PUBLISHING).group("pubsub").since("2.0.0")
                .summary("Sends a message to the subscribers of a channel and of the patterns matching it.")
                .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel and M is"
                        + " the total number of subscribed patterns (by any client).")
                .handler(this::publish));
        t.add(command("ssubscribe", -2).flags(SUBSCRIBING).keys(1, -1, 1).keyFlags("not_key").group("pubsub")
                .since("7.0.0").allowedWhileSubscribed()
                .summary("Listens for the messages published to the given shard channels.")
                .complexity("O(N) where N is the number of shard channels to subscribe to.")
                .handler(c -> subscribe(c, Kind.SHARD)));
        t.add(command("sunsubscribe", -1).flags(SUBSCRIBING).keys(1, -1, 1).keyFlags("not_key").group("pubsub")
                .since("7.0.0").allowedWhileSubscribed()
                .summary("Stops listening to the given shard channels, or to every shard channel.")
                .complexity("O(N) where N is the number of clients already subscribed to a shard channel.")
                .handler(c -> unsubscribe(c, Kind.SHARD)));
        t.add(command("spublish", 3).flags(PUBLISHING).keys(1, 1, 1).keyFlags("not_key").group("pubsub")
                .since("7.0.0")
                .summary("Sends a message to the subscribers of a shard channel.")
                .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel.")
                .handler(this::spublish));
        t.add(command("pubsub", -2).group("pubsub").since("2.8.0")
                .summary("Inspects the state of publish/subscribe (see the subcommands).")
                .complexity("Depends on subcommand.")
                .sub(sub("pubsub|help", 2, "loading stale").since("6.2.0").complexity("O(1)")
                        .summary("Lists the PUBSUB subcommands.").handler(this::help))
                .sub(sub("pubsub|channels", -2, INSPECTING).since("2.8.0")
                        .summary("Lists the channels that have subscribers, optionally those matching a pattern.")
                        .complexity("O(N) where N is the number of active channels, and assuming constant time"
                                + " pattern matching (relatively short channels and patterns)")
                        .handler(c -> channels(c, Kind.CHANNEL)))
                .sub(sub("pubsub|numpat", 2, INSPECTING).since("2.8.0").complexity("O(1)")
                        .summary("Counts the distinct patterns that have subscribers.").handler(this::numpat))
                .sub(sub("pubsub|numsub", -2, INSPECTING).since("2.8.0")
                        .summary("Counts the subscribers of each given channel, pattern subscribers not included.")
                        .complexity("O(N) for the NUMSUB subcommand, where N is the number of requested channels")
                        .handler(c -> numsub(c, Kind.CHANNEL)))
                .sub(sub("pubsub|shardnumsub", -2, INSPECTING).since("7.0.0")
                        .summary("Counts the subscribers of each given shard channel.")
                        .complexity("O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard"
                                + " channels")
                        .handler(c -> numsub(c, Kind.SHARD)))
                .sub(sub("pubsub|shardchannels", -2, INSPECTING).since("7.0.0")
                        .summary("Lists the shard channels that have subscribers, optionally those matching a pattern.")
                        .complexity("O(N) where N is the number of active shard channels, and assuming constant time"
                                + " pattern matching (relatively short shard channels).")
                        .handler(c -> channels(c, Kind.SHARD))));
    }

    private static CommandSpec sub(String name, int arity, String flags) {
        return command(name, arity).flags(flags).group("pubsub");
    }

    /** One confirmation per argument, each with the count after it. */
    void subscribe(Call c, Kind kind) {
        Args a = c.args();
        PubSub ps = c.server().pubsub();
        for (int i = 1; i < c.argc(); i++) {
            ps.subscribe(c.client(), kind, a.buf(), a.off(i), a.len(i));
            confirm(c.push(), kind.subscribeWord(), a.buf(), a.off(i), a.len(i), PubSub.count(c.client(), kind));
        }
    }

    /**
     * One confirmation per argument, subscribed or not; with no argument, one per subscription of the
     * kind, or a single one with a null name when there is none.
     */
    void unsubscribe(Call c, Kind kind) {
        Args a = c.args();
        PubSub ps = c.server().pubsub();
        if (c.argc() > 1) {
            for (int i = 1; i < c.argc(); i++) {
                ps.unsubscribe(c.client(), kind, a.buf(), a.off(i), a.len(i));
                confirm(c.push(), kind.unsubscribeWord(), a.buf(), a.off(i), a.len(i), PubSub.count(c.client(), kind));
            }
            return;
        }
        List<byte[]> all = ps.subscribed(c.client(), kind);
        if (all.isEmpty()) {
            confirm(c.push(), kind.unsubscribeWord(), null, 0, 0, PubSub.count(c.client(), kind));
            return;
        }
        for (byte[] name : all) {
            ps.unsubscribe(c.client(), kind, name, 0, name.length);
            confirm(c.push(), kind.unsubscribeWord(), name, 0, name.length, PubSub.count(c.client(), kind));
        }
    }

    private static void confirm(Reply r, byte[] word, byte[] name, int off, int len, int count) {
        r.push(3);
        r.bulk(word);
        if (name == null) r.nullBulk();
        else r.bulk(name, off, len);
        r.integer(count);
    }

    void publish(Call c) {
        Args a = c.args();
        c.reply().integer(c.server().pubsub().publish(a.buf(), a.off(1), a.len(1), a.buf(), a.off(2), a.len(2)));
    }

    void spublish(Call c) {
        Args a = c.args();
        c.reply().integer(c.server().pubsub().publishShard(a.buf(), a.off(1), a.len(1), a.buf(), a.off(2), a.len(2)));
    }

    void help(Call c) {
        Help.reply(c, HELP);
    }

    void channels(Call c, Kind kind) {
        if (c.argc() > 3) throw Errors.subcommandSyntax(c.args().str(1), "PUBSUB");
        List<byte[]> names = c.server().pubsub().active(kind, c.argc() == 3 ? c.args().bytes(2) : null);
        c.reply().array(names.size());
        for (byte[] n : names) c.reply().bulk(n);
    }

    void numpat(Call c) {
        c.reply().integer(c.server().pubsub().patternCount());
    }

    /** Flat pairs of name and count, an array in RESP3 too, as Redis replies. */
    void numsub(Call c, Kind kind) {
        Args a = c.args();
        PubSub ps = c.server().pubsub();
        c.reply().array(2 * (c.argc() - 2));
        for (int i = 2; i < c.argc(); i++) {
            c.reply().bulk(a, i);
            c.reply().integer(ps.subscribers(kind, a.buf(), a.off(i), a.len(i)));
        }
    }
}
