package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvasir.protocol.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packed list against java.util.ArrayList: seeded random operations (pushes and pops at both
 * ends, LSET, LINSERT, removals while walking either way, trims, copies) under several fill
 * limits, so that nodes fill, split, empty and vanish; after every step the whole list is compared
 * element by element, walking forwards and backwards and by index.
 */
class ListValueModelTest {

    @ParameterizedTest
    @ValueSource(ints = {-2, -1, -5, -9, 0, 1, 2, 3, 7, 100})
    void randomOperationsMatchAnArrayList(int fill) {
        for (long seed = 1; seed <= 3; seed++) run(new Random(seed * 31 + fill), fill, 1500);
    }

    private static void run(Random rnd, int fill, int steps) {
        ListValue list = new ListValue();
        List<byte[]> model = new ArrayList<>();
        int mostNodes = 0;
        for (int step = 0; step < steps; step++) {
            int op = rnd.nextInt(100);
            if (op < 30 || model.isEmpty() || step < steps / 3) { // a growing phase first
                byte[] v = element(rnd);
                boolean head = rnd.nextBoolean();
                list.push(head, v, 0, v.length, fill);
                if (head) model.addFirst(v);
                else model.add(v);
            } else if (op < 45) {
                boolean head = rnd.nextBoolean();
                byte[] expected = head ? model.removeFirst() : model.removeLast();
                if (rnd.nextBoolean()) {
                    assertArrayEquals(expected, list.pop(head));
                } else {
                    ByteBuf out = Unpooled.buffer();
                    list.pop(head, new Reply(out));
                    assertArrayEquals(bulk(expected), bytes(out));
                }
            } else if (op < 55) {
                int i = rnd.nextInt(model.size());
                byte[] v = element(rnd);
                ListValue.Cursor c = list.cursor();
                assertTrue(c.seek(i));
                c.set(v, 0, v.length);
                model.set(i, v);
            } else if (op < 70) {
                int i = rnd.nextInt(model.size());
                boolean after = rnd.nextBoolean();
                byte[] v = element(rnd);
                ListValue.Cursor c = list.cursor();
                assertTrue(c.seek(i));
                c.insert(after, v, 0, v.length, fill);
                model.add(after ? i + 1 : i, v);
            } else if (op < 85) {
                removeWhileWalking(rnd, list, model);
            } else if (op < 92) {
                int head = rnd.nextInt(model.size() / 4 + 1), tail = rnd.nextInt(model.size() / 4 + 1);
                if (head + tail > model.size()) tail = model.size() - head;
                list.trim(head, tail);
                model.subList(0, head).clear();
                model.subList(model.size() - tail, model.size()).clear();
            } else if (op < 94) {
                ListValue copy = list.copy();
                byte[] v = element(rnd);
                list.push(true, v, 0, v.length, fill); // the copy must not see this
                check(copy, model);
                model.addFirst(v);
            } else {
                int i = rnd.nextInt(model.size() + 2) - 1;
                ListValue.Cursor c = list.cursor();
                assertEquals(i >= 0 && i < model.size(), c.seek(i));
                if (i >= 0 && i < model.size()) assertArrayEquals(model.get(i), c.element());
            }
            check(list, model);
            mostNodes = Math.max(mostNodes, list.nodeCount());
        }
        assertTrue(mostNodes > 1, "the list never grew past one node: " + mostNodes); // splits were exercised
    }

    @Test
    void aSmallListIsOneObjectAndOneArrayOfPackedEntries() {
        ListValue list = new ListValue();
        for (int i = 1; i <= 100; i++) {
            byte[] v = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
            list.push(false, v, 0, v.length, -2);
        }
        assertEquals(1, list.nodeCount());
        // 1..100 are one-byte integers: two bytes an entry with its back-length, plus an eighth to spare
        assertTrue(list.memoryUsage() <= 48 + 16 + 200 + 200 / 8 + 8, "memory " + list.memoryUsage());
        byte[] big = new byte[8000];
        list.push(true, big, 0, big.length, -2); // too big for the 8 KB node with the rest: a second node
        assertEquals(2, list.nodeCount());
        ListValue.Cursor c = list.cursor();
        assertTrue(c.seek(0));
        assertTrue(c.remove(true)); // back to one node, which the list takes over again
        assertEquals(1, list.nodeCount());
        assertArrayEquals("1".getBytes(StandardCharsets.US_ASCII), c.element());
        assertEquals(100, list.size());
    }

    /** Walks from a random element in a random direction, removing some elements on the way (as LREM does). */
    private static void removeWhileWalking(Random rnd, ListValue list, List<byte[]> model) {
        boolean forward = rnd.nextBoolean();
        int i = rnd.nextInt(model.size());
        ListValue.Cursor c = list.cursor();
        assertTrue(c.seek(i));
        int budget = rnd.nextInt(20);
        while (budget-- > 0) {
            assertArrayEquals(model.get(i), c.element());
            boolean more;
            if (rnd.nextInt(3) == 0) {
                model.remove(i);
                more = c.remove(forward);
                if (!forward) i--;
            } else {
                more = forward ? c.next() : c.prev();
                i += forward ? 1 : -1;
            }
            assertEquals(i >= 0 && i < model.size(), more);
            if (!more) break;
        }
    }

    private static void check(ListValue list, List<byte[]> model) {
        assertEquals(model.size(), list.size());
        ListValue.Cursor c = list.cursor();
        if (model.isEmpty()) {
            assertFalse(c.seek(0));
            return;
        }
        assertTrue(c.seek(0));
        for (int i = 0; i < model.size(); i++) {
            assertArrayEquals(model.get(i), c.element(), "element " + i);
            assertEquals(i < model.size() - 1, c.next());
        }
        assertTrue(c.seek(model.size() - 1));
        for (int i = model.size() - 1; i >= 0; i--) {
            assertArrayEquals(model.get(i), c.element(), "element " + i + " walking back");
            assertEquals(i > 0, c.prev());
        }
        int mid = model.size() / 2;
        assertTrue(c.seek(mid));
        assertArrayEquals(model.get(mid), c.element());
    }

    private static final String[] SPECIAL = {"0", "-0", "00", "01", "+1", "127", "128", "-1", "4095", "4096",
            "-4096", "-4097", "32767", "32768", "-32768", "-32769", "8388607", "8388608", "-8388608", "-8388609",
            "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "1 ", " 1", "1.5", "", "a", "12345678901234567890"};

    private static byte[] element(Random rnd) {
        int kind = rnd.nextInt(10);
        if (kind < 3) return SPECIAL[rnd.nextInt(SPECIAL.length)].getBytes(StandardCharsets.US_ASCII);
        if (kind < 5) return Long.toString(rnd.nextLong() >> rnd.nextInt(64)).getBytes(StandardCharsets.US_ASCII);
        int len = switch (rnd.nextInt(8)) {
            case 0 -> 63 + rnd.nextInt(3);
            case 1 -> 4094 + rnd.nextInt(3);
            case 2 -> 100 + rnd.nextInt(300);
            default -> rnd.nextInt(12);
        };
        byte[] b = new byte[len];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] bulk(byte[] v) {
        byte[] head = ("$" + v.length + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(head, head.length + v.length + 2);
        System.arraycopy(v, 0, out, head.length, v.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }
}
