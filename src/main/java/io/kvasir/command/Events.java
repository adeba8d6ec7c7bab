package io.kvasir.command;

import io.kvasir.protocol.Reply;

/**
 * The names of the keyspace notifications commands publish ({@link Call#notify}), as Redis names
 * them; each family says where it publishes which. The store publishes "new" and "expired" itself,
 * and {@link Call#peek} "keymiss" (see {@link io.kvasir.pubsub.Notifications}).
 */
final class Events {
    private Events() {}

    // generic (class g)
    static final byte[] DEL = Reply.ascii("del"), EXPIRE = Reply.ascii("expire"), PERSIST = Reply.ascii("persist"),
            RENAME_FROM = Reply.ascii("rename_from"), RENAME_TO = Reply.ascii("rename_to"),
            MOVE_FROM = Reply.ascii("move_from"), MOVE_TO = Reply.ascii("move_to"), COPY_TO = Reply.ascii("copy_to");

    // strings (class $)
    static final byte[] SET = Reply.ascii("set"), SETRANGE = Reply.ascii("setrange"), INCRBY = Reply.ascii("incrby"),
            INCRBYFLOAT = Reply.ascii("incrbyfloat"), APPEND = Reply.ascii("append");

    // lists (class l)
    static final byte[] LPUSH = Reply.ascii("lpush"), RPUSH = Reply.ascii("rpush"), LPOP = Reply.ascii("lpop"),
            RPOP = Reply.ascii("rpop"), LINSERT = Reply.ascii("linsert"), LSET = Reply.ascii("lset"),
            LREM = Reply.ascii("lrem"), LTRIM = Reply.ascii("ltrim"), SORTSTORE = Reply.ascii("sortstore");

    // hashes (class h)
    static final byte[] HSET = Reply.ascii("hset"), HDEL = Reply.ascii("hdel"), HINCRBY = Reply.ascii("hincrby"),
            HINCRBYFLOAT = Reply.ascii("hincrbyfloat");

    // sets (class s)
    static final byte[] SADD = Reply.ascii("sadd"), SREM = Reply.ascii("srem"), SPOP = Reply.ascii("spop"),
            SINTERSTORE = Reply.ascii("sinterstore"), SUNIONSTORE = Reply.ascii("sunionstore"),
            SDIFFSTORE = Reply.ascii("sdiffstore");

    // sorted sets (class z)
    static final byte[] ZADD = Reply.ascii("zadd"), ZINCR = Reply.ascii("zincr"), ZREM = Reply.ascii("zrem"),
            ZREMRANGEBYSCORE = Reply.ascii("zremrangebyscore"), ZREMRANGEBYRANK = Reply.ascii("zremrangebyrank"),
            ZREMRANGEBYLEX = Reply.ascii("zremrangebylex"), ZPOPMIN = Reply.ascii("zpopmin"),
            ZPOPMAX = Reply.ascii("zpopmax"), ZUNIONSTORE = Reply.ascii("zunionstore"),
            ZINTERSTORE = Reply.ascii("zinterstore"), ZDIFFSTORE = Reply.ascii("zdiffstore"),
            ZRANGESTORE = Reply.ascii("zrangestore");
}
