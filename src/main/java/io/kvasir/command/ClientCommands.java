package io.kvasir.command;

import static io.kvasir.command.CommandSpec.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.pubsub.Subscriptions;
import io.kvasir.server.Client;
import io.kvasir.server.ClientChannel;
import io.kvasir.server.Kvasir;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** CLIENT and its subcommands: the connections of the server, as the clients see them. */
final class ClientCommands implements CommandFamily {
    private static final String ADMIN = "admin noscript loading stale";
    private static final String PLAIN = "noscript loading stale";

    private static final RedisError BAD_CLIENT_ID = new RedisError("ERR client-id should be greater than 0");
    private static final RedisError INVALID_CLIENT_ID = new RedisError("ERR Invalid client ID");
    private static final RedisError NO_SUCH_CLIENT = new RedisError("ERR No such client");

    private static final String[] HELP = {
            "CACHING (YES|NO)",
            "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
            "GETREDIR",
            "    Return the client ID we are redirecting to when tracking is enabled.",
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "UNPAUSE",
            "    Stop the current client pause, resuming traffic.",
            "PAUSE <timeout> [WRITE|ALL]",
            "    Suspend all, or just write, clients for <timeout> milliseconds.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
            "         [OPTIN] [OPTOUT] [NOLOOP]",
            "    Control server assisted client side caching.",
            "TRACKINGINFO",
            "    Report tracking status for the current connection.",
            "NO-EVICT (ON|OFF)",
            "    Protect current client connection from eviction."};

    @Override
    public void register(CommandTable t) {
        t.add(command("client", -2).group("connection").since("2.4.0")
                .summary("Inspects and controls client connections (see the subcommands).")
                .complexity("Depends on subcommand.")
                .sub(sub("client|help", 2, "loading stale").since("5.0.0")
                        .summary("Lists the CLIENT subcommands.").handler(this::help))
                .sub(sub("client|list", -2, ADMIN).since("2.4.0")
                        .summary("Describes the client connections, one line each.")
                        .complexity("O(N) where N is the number of client connections")
                        .history("2.8.12", "Added unique client `id` field.")
                        .history("5.0.0", "Added optional `TYPE` filter.")
                        .history("6.0.0", "Added `user` field.")
                        .history("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter.")
                        .history("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields.")
                        .history("7.0.3", "Added `ssub` field.")
                        .tips("nondeterministic_output").handler(this::list))
                .sub(sub("client|getname", 2, PLAIN).since("2.6.9")
                        .summary("Returns the name of this connection.").handler(this::getname))
                .sub(sub("client|no-evict", 3, ADMIN).since("7.0.0")
                        .summary("Exempts this connection from client eviction, or ends the exemption.")
                        .handler(this::noEvict))
                .sub(sub("client|reply", 3, PLAIN).since("3.2.0")
                        .summary("Turns replies to this connection on or off, or skips the next one.")
                        .handler(this::reply))
                .sub(sub("client|unblock", -3, ADMIN).since("5.0.0")
                        .summary("Wakes a client blocked in a blocking command, as on timeout or with an error.")
                        .complexity("O(log N) where N is the number of client connections")
                        .locksOwnStripes().handler(this::unblock))
                .sub(sub("client|kill", -3, ADMIN).since("2.4.0")
                        .summary("Closes client connections chosen by address, id, type or user.")
                        .complexity("O(N) where N is the number of client connections")
                        .history("2.8.12", "Added new filter format.")
                        .history("2.8.12", "`ID` option.")
                        .history("3.2.0", "Added `master` type in for `TYPE` option.")
                        .history("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility.")
                        .history("6.2.0", "`LADDR` option.")
                        .handler(this::kill))
                .sub(sub("client|getredir", 2, PLAIN).since("6.0.0")
                        .summary("Returns the id tracking notifications are redirected to, or -1.")
                        .handler(ClientTracking::getredir))
                .sub(sub("client|tracking", -3, PLAIN).since("6.0.0")
                        .summary("Turns server-assisted client-side caching on or off, choosing how keys are followed.")
                        .complexity("O(1). Some options may introduce additional complexity.")
                        .handler(ClientTracking::tracking))
                .sub(sub("client|caching", 3, PLAIN).since("6.0.0")
                        .summary("Says whether the keys of the next command are tracked (OPTIN or OPTOUT mode).")
                        .handler(ClientTracking::caching))
                .sub(sub("client|id", 2, PLAIN).since("5.0.0")
                        .summary("Returns the id of this connection.").handler(this::id))
                .sub(sub("client|unpause", 2, ADMIN).since("6.2.0")
                        .summary("Ends a CLIENT PAUSE: paused clients go on at once.")
                        .complexity("O(N) Where N is the number of paused clients")
                        .handler(this::unpause))
                .sub(sub("client|trackinginfo", 2, PLAIN).since("6.2.0")
                        .summary("Describes the client-side caching state of this connection.")
                        .handler(ClientTracking::trackinginfo))
                .sub(sub("client|setname", 3, PLAIN).since("2.6.9")
                        .summary("Names this connection.").handler(this::setname))
                .sub(sub("client|info", 2, PLAIN).since("6.2.0")
                        .summary("Describes this connection, as a CLIENT LIST line.")
                        .tips("nondeterministic_output").handler(this::info))
                .sub(sub("client|pause", -3, ADMIN).since("2.9.50")
                        .summary("Holds back the commands of all clients, or only writes, for a time.")
                        .history("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.")
                        .handler(this::pause)));
    }

    private static CommandSpec sub(String name, int arity, String flags) {
        return command(name, arity).flags(flags).acl("@connection").group("connection").complexity("O(1)").keepsCaching();
    }

    void help(Call c) {
        Help.reply(c, HELP);
    }

    void id(Call c) {
        c.reply().integer(c.client().id());
    }

    void getname(Call c) {
        String name = c.client().name();
        if (name == null) c.reply().nullBulk();
        else c.reply().bulk(name);
    }

    void setname(Call c) {
        ConnectionCommands.setName(c.client(), c.args(), 2);
        c.reply().ok();
    }

    void info(Call c) {
        c.reply().verbatim(line(c.client()) + "\n");
    }

    void list(Call c) {
        Args a = c.args();
        List<Client> chosen = new ArrayList<>();
        if (c.argc() == 4 && a.is(2, "TYPE")) {
            String type = parseType(a, 3);
            for (Client cl : sorted(c.server())) if (type(cl).equals(type)) chosen.add(cl);
        } else if (c.argc() > 3 && a.is(2, "ID")) {
            long[] ids = new long[c.argc() - 3];
            for (int i = 3; i < c.argc(); i++) {
                try {
                    ids[i - 3] = a.longValue(i);
                } catch (RedisError e) {
                    throw INVALID_CLIENT_ID;
                }
            }
            for (long id : ids) {
                Client cl = c.server().clients().get(id);
                if (cl != null) chosen.add(cl);
            }
        } else if (c.argc() != 2) {
            throw Errors.SYNTAX;
        } else {
            chosen.addAll(sorted(c.server()));
        }
        StringBuilder sb = new StringBuilder();
        for (Client cl : chosen) sb.append(line(cl)).append('\n');
        c.reply().verbatim(sb.toString());
    }

    /** The filters of CLIENT KILL; a null field matches every client. */
    private static final class KillFilter {
        String addr, laddr, type, user;
        long id;
        boolean skipMe = true;

        boolean matches(Client cl) {
            return (addr == null || addr.equals(cl.addr())) && (laddr == null || laddr.equals(cl.laddr()))
                    && (type == null || type.equals(type(cl))) && (user == null || user.equals(cl.user()))
                    && (id == 0 || id == cl.id());
        }
    }

    void kill(Call c) {
        Args a = c.args();
        if (c.argc() == 3) { // the old form: CLIENT KILL ip:port
            String addr = a.str(2);
            for (Client cl : c.server().clients().values()) {
                if (!addr.equals(cl.addr())) continue;
                close(c, cl);
                c.reply().ok();
                return;
            }
            throw NO_SUCH_CLIENT;
        }
        KillFilter f = new KillFilter();
        for (int i = 2; i < c.argc(); i += 2) {
            if (i + 1 >= c.argc()) throw Errors.SYNTAX;
            if (a.is(i, "ID")) {
                long id;
                try {
                    id = a.longValue(i + 1);
                } catch (RedisError e) {
                    throw BAD_CLIENT_ID;
                }
                if (id <= 0) throw BAD_CLIENT_ID;
                f.id = id;
            } else if (a.is(i, "TYPE")) {
                f.type = parseType(a, i + 1);
            } else if (a.is(i, "ADDR")) {
                f.addr = a.str(i + 1);
            } else if (a.is(i, "LADDR")) {
                f.laddr = a.str(i + 1);
            } else if (a.is(i, "USER")) {
                f.user = a.str(i + 1);
                if (!f.user.equals("default")) throw new RedisError("ERR No such user '" + f.user + "'");
            } else if (a.is(i, "SKIPME")) {
                if (a.is(i + 1, "YES")) f.skipMe = true;
                else if (a.is(i + 1, "NO")) f.skipMe = false;
                else throw Errors.SYNTAX;
            } else {
                throw Errors.SYNTAX;
            }
        }
        int killed = 0;
        for (Client cl : c.server().clients().values()) {
            if (!f.matches(cl) || (f.skipMe && cl == c.client())) continue;
            close(c, cl);
            killed++;
        }
        c.reply().integer(killed);
    }

    /** Closes a client; the caller itself goes once this reply is written. */
    private static void close(Call c, Client target) {
        if (target == c.client()) target.closing(true);
        else target.channel().kill();
    }

    void pause(Call c) {
        Args a = c.args();
        if (c.argc() > 4) throw Errors.subcommandSyntax(a.str(1), "CLIENT");
        boolean all = true;
        if (c.argc() == 4) {
            if (a.is(3, "WRITE")) all = false;
            else if (!a.is(3, "ALL")) throw new RedisError("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
        long timeout;
        try {
            timeout = a.longValue(2);
        } catch (RedisError e) {
            throw new RedisError("ERR timeout is not an integer or out of range");
        }
        if (timeout < 0) throw new RedisError("ERR timeout is negative");
        // A deadline past the end of time wraps into the past, as in Redis: no pause.
        c.server().pause().pause(System.currentTimeMillis() + timeout, all);
        c.reply().ok();
    }

    void unpause(Call c) {
        c.server().pause().unpause();
        c.reply().ok();
    }

    void reply(Call c) {
        Client cl = c.client();
        Args a = c.args();
        if (a.is(2, "ON")) {
            cl.replyOff(false);
            cl.skipReply(false);
            c.reply().ok();
        } else if (a.is(2, "OFF")) {
            cl.replyOff(true);
        } else if (a.is(2, "SKIP")) {
            if (!cl.replyOff()) cl.skipNextReply(true);
        } else {
            throw Errors.SYNTAX;
        }
    }

    void noEvict(Call c) {
        if (c.args().is(2, "ON")) c.client().noEvict(true);
        else if (c.args().is(2, "OFF")) c.client().noEvict(false);
        else throw Errors.SYNTAX;
        c.reply().ok();
    }

    /** Ends the wait of a client blocked in BLPOP and the like, as a timeout would or with an error. */
    void unblock(Call c) {
        Args a = c.args();
        if (c.argc() > 4) throw Errors.subcommandSyntax(a.str(1), "CLIENT");
        boolean error = c.argc() == 4 && a.is(3, "ERROR");
        if (c.argc() == 4 && !error && !a.is(3, "TIMEOUT")) {
            throw new RedisError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
        }
        c.reply().integer(c.server().blocking().unblock(a.longValue(2), error) ? 1 : 0);
    }

    // ---- CLIENT LIST lines ----

    private static List<Client> sorted(Kvasir server) {
        List<Client> all = new ArrayList<>(server.clients().values());
        all.sort(Comparator.comparingLong(Client::id));
        return all;
    }

    /** A client type name as CLIENT LIST/KILL TYPE take it ("slave" is "replica"). */
    private static String parseType(Args a, int i) {
        String t = a.str(i).toLowerCase(Locale.ROOT);
        return switch (t) {
            case "normal", "master", "replica", "pubsub" -> t;
            case "slave" -> "replica";
            default -> throw new RedisError("ERR Unknown client type '" + a.str(i) + "'");
        };
    }

    /** A subscribed client is "pubsub", any other "normal" until replication exists; monitors are normal in Redis too. */
    private static String type(Client c) {
        return c.subscribed() ? "pubsub" : "normal";
    }

    /** One CLIENT LIST line, with Redis 7.0's fields in its order. */
    static String line(Client c) {
        ClientChannel ch = c.channel();
        long now = System.currentTimeMillis();
        int qbuf = ch.inputBuffered();
        int rbs = ch.inputCapacity();
        int argv = ch.argvMemory();
        int obl = ch.outputBufferLength();
        long omem = Math.max(0, ch.outputBuffered() - obl);
        String name = c.name();
        Subscriptions subs = c.subscriptions();
        return "id=" + c.id()
                + " addr=" + c.addr()
                + " laddr=" + c.laddr()
                + " fd=" + ch.fd()
                + " name=" + (name == null ? "" : name)
                + " age=" + (now - c.createdMs()) / 1000
                + " idle=" + (now - c.lastInteractionMs()) / 1000
                + " flags=" + flags(c)
                + " db=" + c.db()
                + " sub=" + (subs == null ? 0 : subs.channels())
                + " psub=" + (subs == null ? 0 : subs.patterns())
                + " ssub=" + (subs == null ? 0 : subs.shardChannels())
                + " multi=" + c.multi()
                + " qbuf=" + qbuf
                + " qbuf-free=" + Math.max(0, rbs - qbuf)
                + " argv-mem=" + argv
                + " multi-mem=" + c.multiMemory()
                + " rbs=" + rbs
                + " rbp=" + ch.inputPeak()
                + " obl=" + obl
                + " oll=" + ch.outputListLength()
                + " omem=" + omem
                + " tot-mem=" + (rbs + argv + obl + omem + c.multiMemory())
                + " events=" + (omem > 0 ? "rw" : "r")
                + " cmd=" + c.lastCommand()
                + " user=" + c.user()
                + " redir=" + ClientTracking.redirect(c)
                + " resp=" + c.resp();
    }

    /** The flag letters, in Redis's order; "N" when none applies. */
    private static String flags(Client c) {
        StringBuilder f = new StringBuilder();
        if (c.monitor()) f.append('O');
        if (c.subscribed()) f.append('P');
        if (c.multi() >= 0) f.append('x');
        if (c.postponed() || c.blocked()) f.append('b');
        ClientTracking.flags(c, f);
        if (c.watcher().dirty()) f.append('d');
        if (c.closing()) f.append('c');
        if (c.noEvict()) f.append('e');
        return f.isEmpty() ? "N" : f.toString();
    }
}
