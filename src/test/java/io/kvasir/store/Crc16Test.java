package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc16Test {

    /** The byte-at-a-time definition of CRC16-XMODEM (polynomial 0x1021, initial 0). */
    private static int reference(byte[] b) {
        int crc = 0;
        for (byte x : b) {
            crc ^= (x & 0xff) << 8;
            for (int i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
        return crc;
    }

    @Test
    void clusterSpecVector() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x31C3, Crc16.crc16(b, 0, b.length));
    }

    @Test
    void matchesTheDefinitionForEveryLengthAndOffset() {
        Random r = new Random(42);
        for (int n = 0; n < 2000; n++) {
            byte[] b = new byte[r.nextInt(70)];
            r.nextBytes(b);
            int off = b.length == 0 ? 0 : r.nextInt(b.length);
            byte[] part = java.util.Arrays.copyOfRange(b, off, b.length);
            assertEquals(reference(part), Crc16.crc16(b, off, b.length - off));
        }
    }

    @Test
    void hashTagsSelectTheSlot() {
        byte[] a = "{user1000}.following".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "{user1000}.followers".getBytes(StandardCharsets.US_ASCII);
        byte[] tag = "user1000".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Crc16.slot(tag, 0, tag.length), Crc16.slot(a, 0, a.length));
        assertEquals(Crc16.slot(a, 0, a.length), Crc16.slot(b, 0, b.length));
        byte[] empty = "foo{}{bar}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(reference(empty) & 16383, Crc16.slot(empty, 0, empty.length));
    }

    /** The slot by its definition: the first non-empty {tag}, else the whole key. */
    private static int referenceSlot(byte[] k) {
        String s = new String(k, StandardCharsets.ISO_8859_1);
        int open = s.indexOf('{');
        if (open >= 0) {
            int close = s.indexOf('}', open + 1);
            if (close > open + 1) return reference(s.substring(open + 1, close).getBytes(StandardCharsets.ISO_8859_1)) & 16383;
        }
        return reference(k) & 16383;
    }

    @Test
    void slotsMatchTheDefinitionWithBracesAnywhere() {
        Random r = new Random(7);
        byte[] alphabet = "ab{}{}xyz\0\377".getBytes(StandardCharsets.ISO_8859_1);
        for (int n = 0; n < 20000; n++) {
            byte[] k = new byte[r.nextInt(40)];
            for (int i = 0; i < k.length; i++) k[i] = r.nextInt(4) == 0 ? alphabet[r.nextInt(alphabet.length)] : (byte) r.nextInt(256);
            byte[] padded = new byte[k.length + 5];
            System.arraycopy(k, 0, padded, 3, k.length);
            assertEquals(referenceSlot(k), Crc16.slot(padded, 3, k.length), () -> java.util.Arrays.toString(k));
        }
    }
}
