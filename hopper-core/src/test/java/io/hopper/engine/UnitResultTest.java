package io.hopper.engine;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void anEvalUnitsResultCarriesEachOutputsValues() {
        UnitResult multi = new UnitResult(0, new byte[0], 1.5, OptionalDouble.of(0.75), 10, 1, 2, "local", List.of(1.0, 1.0),
                List.of(0.5, 1.0));
        assertEquals(List.of(1.0, 1.0), multi.eval().outputLosses());
        assertEquals(List.of(0.5, 1.0), multi.eval().outputMetrics());
        assertEquals(10, multi.eval().samples());
        UnitResult single = new UnitResult(0, new byte[0], 0.25, OptionalDouble.of(0.5), 4, 1, 2, "local");
        assertEquals(List.of(0.25), single.eval().outputLosses(), "a single output's values are the totals");
        assertEquals(List.of(0.5), single.eval().outputMetrics());
    }
}
