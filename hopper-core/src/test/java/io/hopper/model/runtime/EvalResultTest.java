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
    void combineWeightsEachOutputBySamples() {
        EvalResult a = new EvalResult(3.0, OptionalDouble.of(0.5), 10, List.of(1.0, 2.0), List.of(0.25, 0.75));
        EvalResult b = new EvalResult(7.0, OptionalDouble.of(1.0), 30, List.of(3.0, 4.0), List.of(1.0, 1.0));
        EvalResult combined = EvalResult.combine(List.of(a, b));
        assertEquals(List.of((10 + 90) / 40.0, (20 + 120) / 40.0), combined.outputLosses());
        assertEquals(List.of((2.5 + 30) / 40.0, (7.5 + 30) / 40.0), combined.outputMetrics());
        assertEquals((30 + 210) / 40.0, combined.loss(), 1e-12);
        EvalResult single = new EvalResult(2.0, OptionalDouble.of(0.5), 4);
        assertEquals(List.of(2.0), single.outputLosses());
        assertEquals(List.of(0.5), single.outputMetrics());
        assertEquals(List.of(), new EvalResult(2.0, OptionalDouble.empty(), 4).outputMetrics());
    }

    @Test
    void invalidInputsAreRejected() {
        IllegalArgumentException noOutput = assertThrows(IllegalArgumentException.class,
                () -> new EvalResult(1, OptionalDouble.empty(), 1, List.of(), List.of()));
        assertTrue(noOutput.getMessage().startsWith("eval result: 0 output losses"), noOutput.getMessage());
        IllegalArgumentException missingMetric = assertThrows(IllegalArgumentException.class,
                () -> new EvalResult(1, OptionalDouble.of(1), 1, List.of(1.0, 1.0), List.of(1.0)));
        assertTrue(missingMetric.getMessage().contains("1 output metrics"), missingMetric.getMessage());
        IllegalArgumentException outputs = assertThrows(IllegalArgumentException.class, () -> EvalResult.combine(List.of(
                new EvalResult(1, OptionalDouble.empty(), 1), new EvalResult(1, OptionalDouble.empty(), 1, List.of(1.0, 1.0), List.of()))));
        assertTrue(outputs.getMessage().contains("number of outputs"), outputs.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new EvalResult(1, OptionalDouble.empty(), -1));
        assertTrue(negative.getMessage().contains("samples"), negative.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> EvalResult.combine(List.of()));
        assertTrue(empty.getMessage().startsWith("eval results:"), empty.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> EvalResult.combine(List.of(
                new EvalResult(1, OptionalDouble.empty(), 1), new EvalResult(1, OptionalDouble.of(1), 1))));
        assertTrue(mixed.getMessage().contains("metric"), mixed.getMessage());
    }
}
