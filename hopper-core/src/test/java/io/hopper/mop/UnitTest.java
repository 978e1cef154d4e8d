package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UnitTest {
    @Test
    void keepsItsFields() {
        Unit u = new Unit(7, 0, 1);
        assertEquals(7, u.mstKey());
        assertEquals(0, u.partition());
        assertEquals(1, u.iteration());
        assertEquals("(mst 7, partition 0, iteration 1)", u.toString());
    }

    @Test
    void rejectsNegativePartition() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Unit(1, -1, 1));
        assertTrue(e.getMessage().contains("partition=-1"), e.getMessage());
    }

    @Test
    void rejectsIterationBelowOne() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Unit(1, 0, 0));
        assertTrue(e.getMessage().contains("iteration=0"), e.getMessage());
    }
}
