package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.server.Kvasir;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The connection family: HELLO, AUTH, RESET, QUIT, PING, ECHO, SELECT, and MONITOR. */
final class ConnectionCommands implements CommandFamily {
    private static final byte[] PONG = Reply.ascii("pong"), EMPTY = new byte[0];
    private static final String HANDSHAKE_FLAGS = "noscript loading stale fast no_auth allow_busy";
    private static final RedisError WRONGPASS =
            new RedisError("WRONGPASS invalid username-password pair or user is disabled.");
    private static final RedisError NOPROTO = new RedisError("NOPROTO unsupported protocol version");
    private static final RedisError BAD_PROTO = new RedisError("ERR Protocol version is not an integer or out of range");
    private static final RedisError NO_PASSWORD = new RedisError("ERR AUTH <password> called without any password"
            + " configured for the default user. Are you sure your configuration is correct?");
    private static final RedisError HELLO_NOAUTH = new RedisError("NOAUTH HELLO must be called with the client already"
            + " authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client"
            + " and select the RESP protocol version at the same time");
    private static final RedisError MONITOR_IN_EXEC = new RedisError("ERR MONITOR isn't allowed for DENY BLOCKING client");
    private static final RedisError BAD_NAME =
            new RedisError("ERR Client names cannot contain spaces, newlines or special characters.");

    @Override
    public void register(CommandTable t) {
        t.add(command("hello", -1).flags(HANDSHAKE_FLAGS).acl("@connection").group("connection").since("6.0.0")
                .summary("Negotiates the protocol version, optionally authenticates and names the connection,"
                        + " and describes the server.")
                .complexity("O(1)")
                .history("6.2.0", "`protover` made optional; when called without arguments the command reports"
                        + " the current connection's context.")
                .handler(this::hello));
        t.add(command("auth", -2).flags(HANDSHAKE_FLAGS).acl("@connection").group("connection").since("1.0.0")
                .summary("Authenticates the connection with a password, or a user name and password.")
                .complexity("O(N) where N is the number of passwords defined for the user")
                .history("6.0.0", "Added ACL style (username and password).")
                .handler(this::auth));
        t.add(command("reset", 1).flags(HANDSHAKE_FLAGS).acl("@connection").group("connection").since("6.2.0")
                .summary("Returns the connection to its initial state.").complexity("O(1)")
                .allowedWhileSubscribed().notQueued().handler(this::reset));
        t.add(command("quit", -1).flags(HANDSHAKE_FLAGS).acl("@connection").group("connection").since("1.0.0")
                .summary("Closes the connection.").complexity("O(1)")
                .allowedWhileSubscribed().notQueued().handler(this::quit));
        t.add(command("ping", -1).flags("fast").acl("@connection").group("connection").since("1.0.0")
                .summary("Checks that the server answers: replies PONG, or echoes a message.").complexity("O(1)")
                .tips("request_policy:all_shards", "response_policy:all_succeeded")
                .allowedWhileSubscribed().handler(this::ping));
        t.add(command("echo", 2).flags("loading stale fast").acl("@connection").group("connection").since("1.0.0")
                .summary("Returns the given string.").complexity("O(1)")
                .handler(this::echo));
        t.add(command("select", 2).flags("loading stale fast").acl("@connection").group("connection")
                .since("1.0.0").summary("Changes the database the connection works on.").complexity("O(1)")
                .handler(this::select));
        t.add(command("monitor", 1).flags("admin noscript loading stale").group("server").since("1.0.0")
                .summary("Streams every command the server runs to this connection, as it runs it.")
                .handler(this::monitor));
    }

    void hello(Call c) {
        Args a = c.args();
        Client client = c.client();
        int resp = client.resp();
        if (c.argc() >= 2) {
            long v;
            try {
                v = a.longValue(1);
            } catch (RedisError e) {
                throw BAD_PROTO;
            }
            if (v < 2 || v > 3) throw NOPROTO;
            resp = (int) v;
        }
        // Options take effect one by one, as in Redis: a later bad option leaves earlier ones applied.
        for (int j = 2; j < c.argc(); j++) {
            int more = c.argc() - 1 - j;
            if (a.is(j, "AUTH") && more >= 2) {
                c.redact(j + 1);
                c.redact(j + 2);
                authenticate(c, j + 1, j + 2);
                j += 2;
            } else if (a.is(j, "SETNAME") && more >= 1) {
                setName(client, a, j + 1);
                j++;
            } else {
                throw new RedisError("ERR Syntax error in HELLO option '" + a.str(j) + "'");
            }
        }
        if (!client.authenticated() && c.server().authRequired()) throw HELLO_NOAUTH;
        client.resp(resp);
        c.reply().resp(resp);
        c.reply().map(7);
        c.reply().bulk("server");
        c.reply().bulk("redis");
        c.reply().bulk("version");
        c.reply().bulk(Kvasir.REDIS_VERSION);
        c.reply().bulk("proto");
        c.reply().integer(resp);
        c.reply().bulk("id");
        c.reply().integer(client.id());
        c.reply().bulk("mode");
        c.reply().bulk("standalone");
        c.reply().bulk("role");
        c.reply().bulk("master");
        c.reply().bulk("modules");
        c.reply().array(0);
    }

    void auth(Call c) {
        if (c.argc() > 3) throw Errors.SYNTAX;
        for (int i = 1; i < c.argc(); i++) c.redact(i);
        if (c.argc() == 2) {
            if (!c.server().authRequired()) throw NO_PASSWORD;
            authenticate(c, -1, 1);
        } else {
            authenticate(c, 1, 2);
        }
        c.reply().ok();
    }

    /**
     * Checks a user name (argument {@code userArg}, or the default user when -1) and password.
     * Only the default user exists; without requirepass it takes any password.
     */
    private static void authenticate(Call c, int userArg, int passArg) {
        if (userArg >= 0 && !c.args().str(userArg).equals("default")) throw WRONGPASS; // names are case-sensitive
        String required = c.server().config().get("requirepass");
        if (!required.isEmpty() && !MessageDigest.isEqual(required.getBytes(StandardCharsets.UTF_8), c.args().bytes(passArg))) {
            throw WRONGPASS;
        }
        c.client().authenticated(true);
        c.client().user("default");
    }

    /** Sets (or with "" clears) the client name; Redis allows only printable ASCII without spaces. */
    static void setName(Client client, Args a, int i) {
        byte[] b = a.buf();
        for (int k = a.off(i); k < a.off(i) + a.len(i); k++) {
            if (b[k] < '!' || b[k] > '~') throw BAD_NAME;
        }
        client.name(a.len(i) == 0 ? null : a.str(i));
    }

    /**
     * Back to the state of a new connection: no transaction, no watched key, RESP2, database 0, no
     * name, replies on, not monitoring, subscribed to nothing, not tracking, and authenticated only if no password is required. The no-evict flag stays, and
     * so does a skip already in force (RESET right after CLIENT REPLY SKIP is not answered).
     */
    void reset(Call c) {
        Client client = c.client();
        if (client.monitor()) c.server().monitor(client, false);
        TransactionCommands.end(c);
        c.server().pubsub().unsubscribeAll(client);
        c.server().tracking().disable(client);
        client.db(0);
        client.resp(2);
        c.reply().resp(2);
        client.name(null);
        client.replyOff(false);
        client.skipNextReply(false);
        client.user("default");
        client.authenticated(!c.server().authRequired());
        c.reply().simple("RESET");
    }

    /** In the RESP2 pub/sub context the reply is an array, ["pong", message or ""], that reads like a message. */
    void ping(Call c) {
        if (c.argc() > 2) throw Errors.wrongArgs("ping");
        if (c.client().resp() == 2 && c.client().subscribed()) {
            c.reply().array(2);
            c.reply().bulk(PONG);
            if (c.argc() == 2) c.reply().bulk(c.args(), 1);
            else c.reply().bulk(EMPTY);
        } else if (c.argc() == 2) {
            c.reply().bulk(c.args(), 1);
        } else {
            c.reply().simple("PONG");
        }
    }

    void echo(Call c) {
        c.reply().bulk(c.args(), 1);
    }

    void quit(Call c) {
        c.reply().ok();
        c.client().closing(true);
    }

    void select(Call c) {
        long db = c.args().longValue(1);
        if (db < 0 || db >= c.server().keyspace().databases()) throw Errors.DB_INDEX;
        c.client().db((int) db);
        c.reply().ok();
    }

    /** A repeated MONITOR is ignored without a reply, as in Redis; inside EXEC it may not start. */
    void monitor(Call c) {
        if (c.inExec) throw MONITOR_IN_EXEC;
        if (c.client().monitor()) return;
        c.server().monitor(c.client(), true);
        c.reply().ok();
    }
}
