package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A collection packed into its table entry is read through a view of its slot; a view whose slot moved must not read another key. */
class PackedValueTest {
    private static byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] member(int i) {
        return Integer.toString(i).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int find(Table t, byte[] k) {
        return t.find(k, 0, k.length, Hashing.hash(k, 0, k.length));
    }

    private static StoredValue valueOf(Table t, int i) {
        Entry e = new Entry();
        e.set(null, t, find(t, key(i)));
        return e.value();
    }

    private static final int N = 200;

    /** A table of keys {@code k0..k199}, each holding the packed form of {@code make(i)}. */
    private static Table filled(java.util.function.IntFunction<StoredValue> make) {
        Table t = new Table();
        for (int i = 0; i < N; i++) {
            StoredValue v = make.apply(i);
            byte[] k = key(i), p = v.packedForm();
            t.putPacked(k, 0, k.length, Hashing.hash(k, 0, k.length), v.type(), p, 0, p.length, Table.NO_EXPIRE);
        }
        return t;
    }

    /** Keys {x, y} of {@code t} such that removing x moves y to another slot. */
    private static int[] movingPair(Table t) {
        for (int x = 0; x < N; x++) {
            for (int y = 0; y < N; y++) {
                if (x == y) continue;
                int sy = find(t, key(y));
                Table probe = copyOf(t);
                probe.removeAt(find(probe, key(x)));
                if (find(probe, key(y)) != sy) return new int[] {x, y};
            }
        }
        throw new AssertionError("no removal moved another key");
    }

    @Test
    void aViewOfASlotThatMovedThrowsInsteadOfReadingAnotherKey() {
        EncodingLimits limits = new EncodingLimits();
        Table t = filled(i -> {
            SetValue s = SetValue.empty();
            s.add(member(i), 0, member(i).length, limits);
            return s;
        });
        int[] xy = movingPair(t);
        // removing x moves y: a view of y taken before must refuse to read after
        SetValue view = (SetValue) valueOf(t, xy[1]);
        assertEquals(1, view.size());
        t.removeAt(find(t, key(xy[0])));
        assertThrows(IllegalStateException.class, view::size);
        assertEquals(1, ((SetValue) valueOf(t, xy[1])).size(), "a fresh view reads it");
    }

    @Test
    void aDetachedViewKeepsItsContentsAfterItsSlotMovedAndWritesOnlyItsCopy() {
        Table t = filled(i -> {
            ZSet z = ZSet.create();
            z.put(member(i), 0, member(i).length, i);
            return z;
        });
        int[] xy = movingPair(t);
        int y = xy[1];
        ZSet view = (ZSet) valueOf(t, y);
        assertEquals("listpack", view.encoding());
        view.detach();
        t.removeAt(find(t, key(xy[0])));
        assertEquals(1, view.size());
        assertEquals(y, view.score(member(y), 0, member(y).length));
        view.put(member(-1), 0, member(-1).length, -1);
        assertEquals(2, view.size());
        ZSet stored = (ZSet) valueOf(t, y);
        assertNotNull(stored);
        assertEquals(1, stored.size(), "the key is not written through a detached view");
        assertEquals(y, stored.score(member(y), 0, member(y).length));
    }

    /** The same keys inserted in the same order: the same slots. */
    private static Table copyOf(Table t) {
        Table c = new Table();
        for (int i = 0; i < N; i++) {
            byte[] k = key(i);
            int s = find(t, k);
            c.putPacked(k, 0, k.length, Hashing.hash(k, 0, k.length), t.type(s), t.stringArray(s), t.stringOffset(s), t.stringLength(s), Table.NO_EXPIRE);
        }
        return c;
    }
}
