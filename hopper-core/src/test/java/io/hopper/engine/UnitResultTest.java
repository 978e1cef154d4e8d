package io.hopper.engine;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitResultTest {

    @Test
    void acceptsNonFiniteLossesSoDivergenceCanBeReported() {
        assertTrue(Double.isNaN(new UnitResult(0, new byte[0], Double.NaN, OptionalDouble.empty(), 5, 1, 2, "local").loss()));
    }

    @Test
    void refusesImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new UnitResult(-1, new byte[0], 1, OptionalDouble.empty(), 1, 1, 2, "local"));
        assertThrows(IllegalArgumentException.class, () -> new UnitResult(0, new byte[0], 1, OptionalDouble.empty(), -1, 1, 2, "local"));
        String msg = assertThrows(IllegalArgumentException.class,
                () -> new UnitResult(0, new byte[0], 1, OptionalDouble.empty(), 1, 3, 2, "local")).getMessage();
        assertTrue(msg.startsWith("unit result:"), msg);
    }
}
