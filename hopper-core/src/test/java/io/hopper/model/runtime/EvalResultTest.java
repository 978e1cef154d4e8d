package io.hopper.model.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalResultTest {

    @Test
    void combineWeightsBySamples() {
        EvalResult combined = EvalResult.combine(List.of(new EvalResult(1.0, OptionalDouble.of(0.5), 10),
                new EvalResult(4.0, OptionalDouble.of(1.0), 30), new EvalResult(Double.NaN, OptionalDouble.of(Double.NaN), 0)));
        assertEquals((10 + 120) / 40.0, combined.loss(), 1e-12);
        assertEquals((5 + 30) / 40.0, combined.metric().getAsDouble(), 1e-12);
        assertEquals(40, combined.samples());
        assertTrue(EvalResult.combine(List.of(new EvalResult(2, OptionalDouble.empty(), 3))).metric().isEmpty());
    }

    @Test
    void invalidInputsAreRejected() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new EvalResult(1, OptionalDouble.empty(), -1));
        assertTrue(negative.getMessage().contains("samples"), negative.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> EvalResult.combine(List.of()));
        assertTrue(empty.getMessage().startsWith("eval results:"), empty.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> EvalResult.combine(List.of(
                new EvalResult(1, OptionalDouble.empty(), 1), new EvalResult(1, OptionalDouble.of(1), 1))));
        assertTrue(mixed.getMessage().contains("metric"), mixed.getMessage());
    }
}
