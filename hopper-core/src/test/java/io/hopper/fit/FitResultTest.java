package io.hopper.fit;

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

    @Test
    void leaderboardRanksByValidationLossElseTrainingLossWithDivergedLast() {
        FitResult.ModelOutcome diverged = new FitResult.ModelOutcome(1, "diverged at iteration 2", Double.NaN,
                OptionalDouble.empty(), OptionalDouble.of(Double.NaN), OptionalDouble.empty());
        FitResult.ModelOutcome worse = new FitResult.ModelOutcome(2, "ok", 0.1, OptionalDouble.empty(), OptionalDouble.of(0.9),
                OptionalDouble.empty());
        FitResult.ModelOutcome better = new FitResult.ModelOutcome(3, "ok", 0.5, OptionalDouble.empty(), OptionalDouble.of(0.4),
                OptionalDouble.empty());
        FitResult r = new FitResult("o", List.of(diverged, worse, better), new MemoryEstimate(0, 10, 1), 1, 3, 0.5, List.of(1));
        assertEquals(List.of(3, 2, 1), r.leaderboard().stream().map(FitResult.ModelOutcome::mstKey).toList());

        FitResult.ModelOutcome lowTrain = new FitResult.ModelOutcome(4, "ok", 0.2, OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty());
        FitResult.ModelOutcome highTrain = new FitResult.ModelOutcome(5, "ok", 0.3, OptionalDouble.empty(), OptionalDouble.empty(),
                OptionalDouble.empty());
        FitResult noValidation = new FitResult("o", List.of(highTrain, lowTrain), new MemoryEstimate(0, 10, 1), 1, 3, 0.5, List.of(1));
        assertEquals(List.of(4, 5), noValidation.leaderboard().stream().map(FitResult.ModelOutcome::mstKey).toList());
    }
}
