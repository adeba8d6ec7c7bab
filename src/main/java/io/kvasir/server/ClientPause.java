package io.kvasir.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * CLIENT PAUSE: until a deadline, requests of every client (ALL) or only writes (WRITE) wait
 * unexecuted. A connection whose request must wait {@link #park parks} and is resumed on its own
 * event loop when the deadline passes or on CLIENT UNPAUSE; no thread ever sleeps.
 */
public final class ClientPause {
    /** What a parked connection does to resume: runs its held request on its own thread. */
    public interface Waiter {
        void resume();
    }

    private volatile long until; // epoch ms; 0 when no pause is set
    private volatile boolean all;
    private final Set<Waiter> waiters = new LinkedHashSet<>(); // guarded by this

    /** True if a request must wait now; {@code write} for commands that write or may replicate. */
    public boolean blocks(boolean write) {
        long u = until;
        if (u == 0) return false; // the common case: one volatile read
        if (System.currentTimeMillis() >= u) {
            expire();
            return false;
        }
        return write || all;
    }

    /** True while a pause of either kind is in force. */
    public boolean active() {
        long u = until;
        return u != 0 && System.currentTimeMillis() < u;
    }

    /**
     * Pauses until {@code deadline}. While a pause is in force the longer deadline and the
     * stricter mode win, as in Redis.
     */
    public synchronized void pause(long deadline, boolean allCommands) {
        if (active()) {
            all |= allCommands;
            if (deadline > until) until = deadline;
        } else if (deadline > System.currentTimeMillis()) {
            all = allCommands;
            until = deadline;
        }
    }

    /** Ends the pause and resumes every parked connection. */
    public void unpause() {
        List<Waiter> wake;
        synchronized (this) {
            until = 0;
            wake = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : wake) w.resume();
    }

    /**
     * Registers a connection whose request must wait. Returns the deadline at which it should
     * look again, or 0 if the pause ended meanwhile (the request may run now).
     */
    public synchronized long park(Waiter w) {
        if (!active()) return 0;
        waiters.add(w);
        return until;
    }

    /** Forgets a connection (resumed by its own timer, or closed). */
    public synchronized void unpark(Waiter w) {
        waiters.remove(w);
    }

    private synchronized void expire() {
        if (until != 0 && System.currentTimeMillis() >= until) until = 0;
    }
}
