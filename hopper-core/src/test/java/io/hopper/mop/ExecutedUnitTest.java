package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExecutedUnitTest {
    @Test
    void acceptsZeroLengthInterval() {
        ExecutedUnit x = new ExecutedUnit(new Unit(1, 0, 1), 0, 2.0, 2.0);
        assertEquals(2.0, x.end());
    }

    @Test
    void rejectsEndBeforeStart() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ExecutedUnit(new Unit(1, 0, 1), 0, 2.0, 1.0));
        assertTrue(e.getMessage().contains("end=1.0"), e.getMessage());
    }

    @Test
    void rejectsNonFiniteTimesAndNegativeWorker() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ExecutedUnit(new Unit(1, 0, 1), 0, Double.NaN, 1.0));
        assertTrue(e.getMessage().contains("start=NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExecutedUnit(new Unit(1, 0, 1), -1, 0, 1));
        assertTrue(e.getMessage().contains("worker=-1"), e.getMessage());
    }
}
