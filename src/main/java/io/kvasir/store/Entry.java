package io.kvasir.store;

import io.kvasir.protocol.Errors;
import io.kvasir.protocol.Reply;

/**
 * A cursor on one key found by {@link Db#lookup}: valid until the next write to the same
 * table, and only while the key's stripe stays locked. Reused, so lookups allocate nothing.
 */
public final class Entry {
    Db db;
    Table table;
    int slot;

    void set(Db db, Table table, int slot) {
        this.db = db;
        this.table = table;
        this.slot = slot;
    }

    public Db db() { return db; }
    public Table table() { return table; }
    public int slot() { return slot; }

    public byte type() { return table.type(slot); }

    /** Throws WRONGTYPE unless the value has the given type. */
    public Entry expect(byte type) {
        if (table.type(slot) != type) throw Errors.WRONGTYPE;
        return this;
    }

    public long expireAt() { return table.expireAt(slot); }
    public void expireAt(long at) { table.setExpireAt(slot, at); }

    public boolean isLong() { return table.isLong(slot); }
    public long longValue() { return table.longValue(slot); }
    public int stringLength() { return table.stringLength(slot); }

    /** Replaces the value with these bytes (not int-encoded), keeping the TTL; flags are cleared. */
    public void setString(byte[] v) { table.setString(slot, v, 0, v.length); }

    /** Replaces the value with an integer (encoding "int"), keeping the TTL; flags are cleared. */
    public void setLong(long v) { table.setLong(slot, v); }

    /** The string value as a new array (int-encoded values are formatted). */
    public byte[] stringBytes() {
        if (table.isLong(slot)) return io.kvasir.protocol.Numbers.longBytes(table.longValue(slot));
        int off = table.stringOffset(slot);
        return java.util.Arrays.copyOfRange(table.stringArray(slot), off, off + table.stringLength(slot));
    }

    /** Writes the string value as a bulk reply, straight from where it is stored. */
    public void replyString(Reply r) {
        if (table.isLong(slot)) r.bulk(table.longValue(slot));
        else r.bulk(table.stringArray(slot), table.stringOffset(slot), table.stringLength(slot));
    }

    /**
     * The value of a key that is not a string: its object, or a view of a collection packed into
     * the entry (valid, as the entry, until the next write to another key of this table).
     */
    public StoredValue value() {
        if (!table.isPacked(slot)) return (StoredValue) table.object(slot);
        return switch (table.type(slot)) {
            case ValueType.HASH -> HashValue.packedIn(table, slot);
            case ValueType.SET -> SetValue.packedIn(table, slot);
            case ValueType.ZSET -> ZSetListpack.packedIn(table, slot);
            default -> throw new IllegalStateException("no packed form for type " + table.type(slot));
        };
    }

    public byte[] keyBytes() {
        int off = table.keyOffset(slot);
        return java.util.Arrays.copyOfRange(table.keyArray(slot), off, off + table.keyLength(slot));
    }

    public void remove() { table.removeAt(slot); }

    /** The access field: the LRU clock of the last access, or the LFU counter (see {@link Lfu}). */
    public int lru() { return table.lru(slot); }
    public void touch() { table.lru(slot, db.keyspace().accessed(table.lru(slot))); }

    /** The name OBJECT ENCODING reports. */
    public String encoding() {
        if (table.type(slot) != ValueType.STRING) return value().encoding();
        if (table.flag(slot, Table.RAW_STRING)) return "raw";
        if (table.isLong(slot)) return "int";
        return table.stringLength(slot) <= EMBSTR_MAX ? "embstr" : "raw";
    }

    /** The longest string Redis allocates together with its object header ("embstr"). */
    static final int EMBSTR_MAX = 44;
}
