package io.hopper.predict;

import io.hopper.fit.OutputTables;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChosenModelTest {
    @TempDir
    static Path dir;
    static Fitted fitted;

    @BeforeAll
    static void fit() {
        fitted = new Fitted(dir);
    }

    @Test
    void readsTheChosenRowAndWhatTheTrainingRecorded() {
        ChosenModel m = ChosenModel.read(fitted.store, "multi", OptionalInt.of(2));
        assertEquals(2, m.mstKey());
        assertEquals(193, m.kerasWeights().length);
        assertEquals("species", m.dependentVarname());
        assertEquals(List.of("setosa", "versicolor", "virginica"), m.classValues());
        assertEquals(Fitted.NORMALIZING_CONST, m.normalizingConst());
        assertEquals(1, ChosenModel.read(fitted.store, "single", OptionalInt.empty()).mstKey());
    }

    @Test
    void bestIsTheLowestFinalValidationLossAsTheLeaderboardRanks() {
        int best = ChosenModel.best(fitted.store, "multi");
        assertEquals(io.hopper.report.FitRecord.read(fitted.store, "multi").leaderboard().get(0).mstKey(), best);
        assertEquals(1, ChosenModel.best(fitted.store, "single"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChosenModel.best(fitted.store, "nope"))
                .getMessage().contains("--model-table 'nope' does not exist"));
    }

    @Test
    void theMstKeyRuleAndTheTableKindAreOneLineErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChosenModel.read(fitted.store, "multi", OptionalInt.empty()))
                .getMessage().startsWith("--mst-key is required: model table 'multi' holds 2 models (mst_key [1, 2])"));
        assertEquals(1, ChosenModel.read(fitted.store, "single", OptionalInt.of(1)).mstKey(), "the key of the single model is accepted");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChosenModel.read(fitted.store, "single", OptionalInt.of(2)))
                .getMessage().startsWith("--mst-key 2 is not in model table 'single' (it has mst_key [1]); use that one or leave --mst-key out"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChosenModel.read(fitted.store, "multi", OptionalInt.of(5)))
                .getMessage().startsWith("--mst-key 5 is not in model table 'multi'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChosenModel.read(fitted.store, OutputTables.info("multi"),
                OptionalInt.empty())).getMessage().contains("is not a model table of fit-multiple-model"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChosenModel.read(fitted.store, "nope", OptionalInt.empty()))
                .getMessage().contains("--model-table 'nope' does not exist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ChosenModel("o", 1, "{}", new byte[0], new float[0], "y", "x",
                List.of("a"), 0)).getMessage().contains("normalizing const 0.0"));
    }
}
