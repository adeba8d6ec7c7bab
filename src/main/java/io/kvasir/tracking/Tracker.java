package io.kvasir.tracking;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One client's CLIENT TRACKING state. The mode is replaced as a whole by CLIENT TRACKING (on the
 * client's thread) and read by whichever thread invalidates a key the client tracks; the rest
 * belongs to the client's own thread, except the broken-redirect mark that any sender may set.
 */
public final class Tracker {
    /**
     * How the client tracks: BCAST (prefixes) or default (the keys it reads, OPTIN/OPTOUT deciding
     * which), NOLOOP (not told of its own changes), and the client that receives the invalidations
     * (0: itself).
     */
    public record Mode(boolean bcast, boolean optin, boolean optout, boolean noloop, long redirect) {}

    private volatile Mode mode;
    /** CLIENT CACHING YES (under OPTIN) or NO (under OPTOUT) was given for the next command. */
    private boolean caching;
    /** The redirect client was gone when an invalidation was due (CLIENT LIST flag R). */
    volatile boolean brokenRedirect;
    /** The BCAST prefixes, in Redis's order (bytewise). */
    final TreeSet<byte[]> prefixes = new TreeSet<>(java.util.Arrays::compareUnsigned);

    /** The mode, or null while tracking is off. */
    public Mode mode() { return mode; }

    void mode(Mode m) { mode = m; }

    public boolean caching() { return caching; }

    public void caching(boolean on) { caching = on; }

    public boolean brokenRedirect() { return brokenRedirect; }

    /** The BCAST prefixes, in order. On the client's thread. */
    public List<byte[]> prefixes() { return new ArrayList<>(prefixes); }

    /**
     * After each request: a CLIENT CACHING applies to the next command only (the whole transaction
     * when it is MULTI), so it is used up unless {@code keep}: the request was a CLIENT subcommand
     * or left the client inside MULTI.
     */
    public void requestDone(boolean keep) {
        if (!keep) caching = false;
    }

    /** True if a command now run should remember its keys: default mode, and CLIENT CACHING allows it. */
    boolean remembers() {
        Mode m = mode;
        if (m == null || m.bcast) return false;
        return m.optin ? caching : !(m.optout && caching);
    }
}
