package io.kvasir.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The id set of one tracked key, against a HashSet: adds, repeats, growth, and every id found by its slots. */
class IdsTest {

    @Test
    void behavesAsASetOfPositiveIds() {
        Random random = new Random(3);
        Ids ids = new Ids();
        Set<Long> model = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            long id = 1 + random.nextInt(i < 100 ? 40 : 100_000);
            assertEquals(model.add(id), ids.add(id), "add " + id);
            assertEquals(model.size(), ids.size());
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < ids.capacity(); i++) {
            if (ids.at(i) != 0) assertTrue(seen.add(ids.at(i)));
        }
        assertEquals(model, seen);
        assertFalse(ids.add(model.iterator().next()));
    }
}
