package io.kvasir.store;

/**
 * A value other than a plain string (lists, hashes, sets, sorted sets, streams), stored with
 * {@link Db#putObject}. The generic key commands see every such type through this interface
 * only, so TYPE, OBJECT ENCODING and COPY work for a new type as soon as it implements it.
 */
public interface StoredValue {
    /** The type code from {@link ValueType}; TYPE replies with its name. */
    byte type();

    /** The encoding OBJECT ENCODING reports, named as Redis names it ("listpack", "quicklist", ...). */
    String encoding();

    /** An independent deep copy for COPY: later writes to either value never show in the other. */
    StoredValue copy();

    /** Approximate bytes the value holds beyond its table entry (MEMORY USAGE, maxmemory accounting). */
    long memoryUsage();

    /**
     * The bytes to pack into the key's table entry instead of storing this object, or null to
     * store the object (see {@link Table#putPacked}). Only a type {@link Entry#value} can read
     * back from such bytes may return any.
     */
    default byte[] packedForm() { return null; }

    /** Told, after its {@link #packedForm} was stored at slot {@code s} of {@code t}, to go on reading and writing there. */
    default void packedAt(Table t, int s) {}

    /**
     * Makes a value read from the entry it is packed into ({@link Entry#value}) read a copy of its
     * own from then on, so that it stays readable, as a snapshot, after other keys of its table are
     * added or removed. For commands that read several keys: looking up the next one may delete an
     * expired key, which moves slots. Writes to a detached value do not reach the key.
     */
    default void detach() {}
}
