package io.hopper.engine.spark;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SparkFitMainTest {
    @Test
    void addsTheSparkEngineToAFitThatNamesNone() {
        assertEquals(List.of("--store", "s", "fit-multiple-model", "--source-table", "t", "--engine", "spark"),
                SparkFitMain.withSparkEngine(List.of("--store", "s", "fit-multiple-model", "--source-table", "t")));
    }

    @Test
    void leavesOtherCommandsAndExplicitEnginesAlone() {
        List<String> explicit = List.of("fit-multiple-model", "--engine=local");
        assertEquals(explicit, SparkFitMain.withSparkEngine(explicit));
        List<String> other = List.of("arch-summary", "--model-arch-table", "a");
        assertEquals(other, SparkFitMain.withSparkEngine(other));
    }
}
