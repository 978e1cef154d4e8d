package io.hopper.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitSeedsTest {
    @Test
    void unitSeedsDependOnEveryCoordinate() {
        long base = UnitSeeds.unit(1, 2, 3, 4);
        assertEquals(base, UnitSeeds.unit(1, 2, 3, 4));
        for (long other : new long[] {UnitSeeds.unit(0, 2, 3, 4), UnitSeeds.unit(1, 3, 3, 4),
                UnitSeeds.unit(1, 2, 4, 4), UnitSeeds.unit(1, 2, 3, 5), UnitSeeds.unit(1, 2, 4, 3)}) {
            assertTrue(other != base);
        }
    }

    @Test
    void initSeedsDependOnSeedAndKeyAndDifferFromUnitSeeds() {
        assertEquals(UnitSeeds.init(7, 1), UnitSeeds.init(7, 1));
        assertNotEquals(UnitSeeds.init(7, 1), UnitSeeds.init(7, 2));
        assertNotEquals(UnitSeeds.init(7, 1), UnitSeeds.init(8, 1));
        assertNotEquals(UnitSeeds.init(7, 1), UnitSeeds.mix(7, 1));
    }
}
