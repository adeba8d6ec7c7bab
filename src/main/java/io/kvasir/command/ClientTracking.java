package io.kvasir.command;

import io.kvasir.protocol.Args;
import io.kvasir.protocol.Errors;
import io.kvasir.protocol.RedisError;
import io.kvasir.protocol.Reply;
import io.kvasir.server.Client;
import io.kvasir.tracking.Tracker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO, and what CLIENT LIST shows of tracking: the
 * commands of {@link io.kvasir.tracking.Tracking}, with Redis's checks in Redis's order.
 */
final class ClientTracking {
    private ClientTracking() {}

    private static final RedisError ONE_REDIRECT = new RedisError("ERR A client can only redirect to a single other client");
    private static final RedisError NO_REDIRECT_CLIENT = new RedisError("ERR The client ID you want redirect to does not exist");
    private static final RedisError PREFIX_NEEDS_BCAST = new RedisError("ERR PREFIX option requires BCAST mode to be enabled");
    private static final RedisError SWITCH_BCAST = new RedisError("ERR You can't switch BCAST mode on/off before disabling"
            + " tracking for this client, and then re-enabling it with a different mode.");
    private static final RedisError BCAST_OPT = new RedisError("ERR OPTIN and OPTOUT are not compatible with BCAST");
    private static final RedisError OPTIN_AND_OPTOUT = new RedisError("ERR You can't specify both OPTIN mode and OPTOUT mode");
    private static final RedisError SWITCH_OPT = new RedisError("ERR You can't switch OPTIN/OPTOUT mode before disabling"
            + " tracking for this client, and then re-enabling it with a different mode.");
    // said when tracking is off, whatever the mode it names
    private static final RedisError CACHING_MODE = new RedisError("ERR CLIENT CACHING can be called only when the client is"
            + " in tracking mode with OPTIN or OPTOUT mode enabled");
    private static final RedisError YES_NEEDS_OPTIN = new RedisError("ERR CLIENT CACHING YES is only valid when tracking is"
            + " enabled in OPTIN mode.");
    private static final RedisError NO_NEEDS_OPTOUT = new RedisError("ERR CLIENT CACHING NO is only valid when tracking is"
            + " enabled in OPTOUT mode.");

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [BCAST] [PREFIX p]... [OPTIN] [OPTOUT] [NOLOOP]: options are read first, then checked. */
    static void tracking(Call c) {
        Args a = c.args();
        long redirect = 0;
        boolean bcast = false, optin = false, optout = false, noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (a.is(j, "REDIRECT") && more) {
                if (redirect != 0) throw ONE_REDIRECT;
                redirect = a.longValue(++j);
                if (c.server().clients().get(redirect) == null) throw NO_REDIRECT_CLIENT;
            } else if (a.is(j, "BCAST")) {
                bcast = true;
            } else if (a.is(j, "OPTIN")) {
                optin = true;
            } else if (a.is(j, "OPTOUT")) {
                optout = true;
            } else if (a.is(j, "NOLOOP")) {
                noloop = true;
            } else if (a.is(j, "PREFIX") && more) {
                prefixes.add(a.bytes(++j));
            } else {
                throw Errors.SYNTAX;
            }
        }
        Client client = c.client();
        if (a.is(2, "ON")) {
            Tracker t = client.tracker();
            Tracker.Mode now = t == null ? null : t.mode();
            if (!bcast && !prefixes.isEmpty()) throw PREFIX_NEEDS_BCAST;
            if (now != null && now.bcast() != bcast) throw SWITCH_BCAST;
            if (bcast && (optin || optout)) throw BCAST_OPT;
            if (optin && optout) throw OPTIN_AND_OPTOUT;
            if (now != null && ((optin && now.optout()) || (optout && now.optin()))) throw SWITCH_OPT;
            if (bcast) checkPrefixes(now == null ? List.of() : t.prefixes(), prefixes);
            c.server().tracking().enable(client, new Tracker.Mode(bcast, optin, optout, noloop, redirect), prefixes);
        } else if (a.is(2, "OFF")) {
            c.server().tracking().disable(client);
        } else {
            throw Errors.SYNTAX;
        }
        c.reply().ok();
    }

    /** A client's prefixes may not overlap (one a prefix of the other): each new one against the old, then the other new ones. */
    private static void checkPrefixes(List<byte[]> existing, List<byte[]> given) {
        for (int i = 0; i < given.size(); i++) {
            byte[] p = given.get(i);
            for (byte[] e : existing) {
                if (overlap(p, e)) throw overlapError(p, "an existing", e);
            }
            for (int j = 0; j < given.size(); j++) {
                if (j != i && overlap(p, given.get(j))) throw overlapError(p, "another provided", given.get(j));
            }
        }
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return java.util.Arrays.equals(a, 0, n, b, 0, n);
    }

    private static RedisError overlapError(byte[] p, String which, byte[] other) {
        return new RedisError("ERR Prefix '" + text(p) + "' overlaps with " + which + " prefix '" + text(other)
                + "'. Prefixes for a single client must not overlap.");
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** CLIENT CACHING YES|NO: whether the next command's keys are tracked, against the mode's default. */
    static void caching(Call c) {
        Tracker t = c.client().tracker();
        Tracker.Mode m = t == null ? null : t.mode();
        if (m == null) throw CACHING_MODE;
        if (c.args().is(2, "YES")) {
            if (!m.optin()) throw YES_NEEDS_OPTIN;
        } else if (c.args().is(2, "NO")) {
            if (!m.optout()) throw NO_NEEDS_OPTOUT;
        } else {
            throw Errors.SYNTAX;
        }
        t.caching(true);
        c.reply().ok();
    }

    static void getredir(Call c) {
        c.reply().integer(redirect(c.client()));
    }

    /** CLIENT TRACKINGINFO: the flags, the redirect and the prefixes, as a map. */
    static void trackinginfo(Call c) {
        Tracker t = c.client().tracker();
        Tracker.Mode m = t == null ? null : t.mode();
        List<String> flags = new ArrayList<>();
        if (m == null) {
            flags.add("off");
        } else {
            flags.add("on");
            if (m.bcast()) flags.add("bcast");
            if (m.optin()) {
                flags.add("optin");
                if (t.caching()) flags.add("caching-yes");
            }
            if (m.optout()) {
                flags.add("optout");
                if (t.caching()) flags.add("caching-no");
            }
            if (m.noloop()) flags.add("noloop");
            if (t.brokenRedirect()) flags.add("broken_redirect");
        }
        Reply r = c.reply();
        r.map(3);
        r.bulk("flags");
        r.set(flags.size());
        for (String f : flags) r.bulk(f);
        r.bulk("redirect");
        r.integer(redirect(c.client()));
        r.bulk("prefixes");
        List<byte[]> prefixes = m == null ? List.of() : t.prefixes();
        r.array(prefixes.size());
        for (byte[] p : prefixes) r.bulk(p);
    }

    /** The client invalidations go to (CLIENT GETREDIR, CLIENT LIST redir): -1 when off, 0 for the client itself. */
    static long redirect(Client c) {
        Tracker t = c.tracker();
        Tracker.Mode m = t == null ? null : t.mode();
        return m == null ? -1 : m.redirect();
    }

    /** CLIENT LIST's tracking flags: t (tracking), R (the redirect client is gone), B (BCAST). */
    static void flags(Client c, StringBuilder f) {
        Tracker t = c.tracker();
        Tracker.Mode m = t == null ? null : t.mode();
        if (m == null) return;
        f.append('t');
        if (t.brokenRedirect()) f.append('R');
        if (m.bcast()) f.append('B');
    }
}
