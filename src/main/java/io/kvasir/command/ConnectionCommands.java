package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Errors;

/** PING, ECHO, QUIT, SELECT: the connection family. */
final class ConnectionCommands implements CommandFamily {

    @Override
    public void register(CommandTable t) {
        t.add(command("ping", -1).flags("fast").acl("@connection").group("connection").since("1.0.0")
                .summary("Returns the server's liveliness response.").complexity("O(1)")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .handler(this::ping));
        t.add(command("echo", 2).flags("loading stale fast").acl("@connection").group("connection").since("1.0.0")
                .summary("Returns the given string.").complexity("O(1)")
                .handler(this::echo));
        t.add(command("quit", -1).flags("noscript loading stale fast no_auth allow_busy").acl("@connection")
                .group("connection").since("1.0.0").summary("Closes the connection.").complexity("O(1)")
                .handler(this::quit));
        t.add(command("select", 2).flags("loading stale fast").acl("@connection").group("connection")
                .since("1.0.0").summary("Changes the selected database.").complexity("O(1)").handler(this::select));
    }

    void ping(Call c) {
        if (c.argc() > 2) throw Errors.wrongArgs("ping");
        if (c.argc() == 2) c.reply().bulk(c.args(), 1);
        else c.reply().simple("PONG");
    }

    void echo(Call c) {
        c.reply().bulk(c.args(), 1);
    }

    void quit(Call c) {
        c.reply().ok();
        c.client().closing(true);
    }

    void select(Call c) {
        long db;
        try {
            db = c.args().longValue(1);
        } catch (io.kvasir.protocol.RedisError e) {
            throw new io.kvasir.protocol.RedisError("ERR value is not an integer or out of range");
        }
        if (db < 0 || db >= c.server().keyspace().databases()) throw Errors.DB_INDEX;
        c.client().db((int) db);
        c.reply().ok();
    }
}
