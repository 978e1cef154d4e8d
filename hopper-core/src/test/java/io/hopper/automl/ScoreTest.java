package io.hopper.automl;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ScoreTest {

    private static List<Double> sorted(List<Score> scores) {
        List<Score> copy = new ArrayList<>(scores);
        copy.sort(Score.BEST_FIRST);
        return copy.stream().map(Score::value).toList();
    }

    @Test
    void lossesRankLowestFirstAndNaNLast() {
        assertEquals(List.of(0.1, 0.5, 2.0, Double.NaN),
                sorted(List.of(Score.loss(0.5), Score.loss(Double.NaN), Score.loss(2.0), Score.loss(0.1))));
    }

    @Test
    void metricsWhereHigherIsBetterRankHighestFirstAndNaNLast() {
        assertEquals(List.of(0.9, 0.7, 0.2, Double.NaN), sorted(List.of(new Score(0.2, true), new Score(Double.NaN, true),
                new Score(0.9, true), new Score(0.7, true))));
    }
}
