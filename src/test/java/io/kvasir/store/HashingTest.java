package io.kvasir.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashingTest {
    @Test
    void theSeedDecidesWhichKeysShareAHash() {
        // keys that share their low 10 bits under one seed mostly do not under another
        int n = 20_000, sameBefore = 0, sameAfter = 0;
        int target = Hashing.hash(1, bytes("k0"), 0, 2) & 1023;
        for (int i = 0; i < n; i++) {
            byte[] k = bytes("k" + i);
            if ((Hashing.hash(1, k, 0, k.length) & 1023) != target) continue;
            sameBefore++;
            if ((Hashing.hash(2, k, 0, k.length) & 1023) == (Hashing.hash(2, bytes("k0"), 0, 2) & 1023)) sameAfter++;
        }
        assertTrue(sameBefore >= 10, "about n / 1024 keys share the bits: " + sameBefore);
        assertTrue(sameAfter <= sameBefore / 4, sameAfter + " of " + sameBefore + " still collide under another seed");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
