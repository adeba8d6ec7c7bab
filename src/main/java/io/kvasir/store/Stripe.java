package io.kvasir.store;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A group of hash slots (for every database) under one lock. Commands lock the stripes of their
 * keys in ascending stripe order, so multi-key commands are atomic and never deadlock.
 */
public final class Stripe {
    final int index;
    final ReentrantLock lock = new ReentrantLock();
    Table[] dbs;

    Stripe(int index, int databases) {
        this.index = index;
        this.dbs = new Table[databases];
    }

    public int index() { return index; }

    public void lock() { lock.lock(); }
    public void unlock() { lock.unlock(); }
    public boolean heldByCurrentThread() { return lock.isHeldByCurrentThread(); }

    /** The table of database {@code db}, or null while it has never held a key here. */
    public Table table(int db) { return dbs[db]; }

    Table tableForWrite(int db) {
        Table t = dbs[db];
        if (t == null) dbs[db] = t = new Table();
        return t;
    }
}
