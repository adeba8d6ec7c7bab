package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A collection packed into its table entry is read through a view of its slot; a view whose slot moved must not read another key. */
class PackedValueTest {
    private static byte[] key(int i) {
        return ("k" + i).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int find(Table t, byte[] k) {
        return t.find(k, 0, k.length, Hashing.hash(k, 0, k.length));
    }

    @Test
    void aViewOfASlotThatMovedThrowsInsteadOfReadingAnotherKey() {
        EncodingLimits limits = new EncodingLimits();
        for (int trial = 0; ; trial++) {
            // fill a table with one-member intsets until removing some key moves another one's slot
            Table t = new Table();
            int n = 200;
            for (int i = 0; i < n; i++) {
                SetValue s = SetValue.empty();
                byte[] m = Integer.toString(i).getBytes(StandardCharsets.ISO_8859_1);
                s.add(m, 0, m.length, limits);
                byte[] k = key(i), p = s.packedForm();
                t.putPacked(k, 0, k.length, Hashing.hash(k, 0, k.length), ValueType.SET, p, 0, p.length, Table.NO_EXPIRE);
            }
            for (int x = 0; x < n; x++) {
                for (int y = 0; y < n; y++) {
                    if (x == y) continue;
                    int sx = find(t, key(x)), sy = find(t, key(y));
                    Table probe = copyOf(t, n);
                    probe.removeAt(find(probe, key(x)));
                    if (find(probe, key(y)) == sy) continue;
                    // removing x moves y: a view of y taken before must refuse to read after
                    SetValue view = SetValue.packedIn(t, sy);
                    assertEquals(1, view.size());
                    t.removeAt(sx);
                    assertThrows(IllegalStateException.class, view::size);
                    Entry e = new Entry();
                    e.set(null, t, find(t, key(y)));
                    assertEquals(1, ((SetValue) e.value()).size(), "a fresh view reads it");
                    return;
                }
            }
            if (trial > 3) throw new AssertionError("no removal moved another key");
        }
    }

    /** The same keys inserted in the same order: the same slots. */
    private static Table copyOf(Table t, int n) {
        Table c = new Table();
        for (int i = 0; i < n; i++) {
            byte[] k = key(i);
            int s = find(t, k);
            c.putPacked(k, 0, k.length, Hashing.hash(k, 0, k.length), ValueType.SET, t.stringArray(s), t.stringOffset(s), t.stringLength(s), Table.NO_EXPIRE);
        }
        return c;
    }
}
