package io.hopper.api;

import io.hopper.fit.MemoryEstimate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FitResultTest {

    @Test
    void copiesItsLists() {
        List<FitResult.ModelOutcome> models = new ArrayList<>(List.of(new FitResult.ModelOutcome(1, "ok", 0.5, OptionalDouble.of(0.9),
                OptionalDouble.empty(), OptionalDouble.empty())));
        List<Integer> iters = new ArrayList<>(List.of(2, 4));
        FitResult r = new FitResult("o", models, new MemoryEstimate(0, 10, 1), 1, 3, 0.5, iters);
        models.clear();
        iters.add(6);
        assertEquals(1, r.models().size());
        assertEquals(List.of(2, 4), r.metricsIters());
        assertThrows(UnsupportedOperationException.class, () -> r.models().clear());
    }

    @Test
    void refusesMissingParts() {
        assertThrows(NullPointerException.class, () -> new FitResult.ModelOutcome(1, null, 0.5, OptionalDouble.empty(),
                OptionalDouble.empty(), OptionalDouble.empty()));
        assertThrows(NullPointerException.class, () -> new FitResult("o", List.of(), null, 1, 0, 0, List.of()));
    }
}
