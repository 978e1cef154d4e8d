package io.hopper.model.keras;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SeedsTest {

    @Test
    void mixIsAFunctionAndSeparatesKeys() {
        assertEquals(Seeds.mix(42, 3), Seeds.mix(42, 3));
        assertNotEquals(Seeds.mix(42, 3), Seeds.mix(43, 3));
        assertNotEquals(Seeds.mix(42, 3), Seeds.mix(3, 42));
        // streams for consecutive keys are not shifted copies of each other
        SplittableRandom a = new SplittableRandom(Seeds.mix(1, 0));
        a.nextLong();
        assertNotEquals(a.nextLong(), new SplittableRandom(Seeds.mix(1, 1)).nextLong());
        Set<Long> seen = new HashSet<>();
        for (long k = 0; k < 1000; k++) {
            seen.add(Seeds.mix(7, k));
        }
        assertEquals(1000, seen.size());
    }
}
