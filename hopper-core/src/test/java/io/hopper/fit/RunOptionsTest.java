package io.hopper.fit;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunOptionsTest {
    @Test
    void withersChangeOneOptionEach() {
        RunOptions o = RunOptions.DEFAULTS.withSeed(3).withWorkers(2).withSchedule(FitSpec.Schedule.ROTATION).withCaching(true)
                .withMemoryLimit(1024);
        assertEquals(new RunOptions(3, OptionalInt.of(2), FitSpec.Schedule.ROTATION, true, OptionalLong.of(1024)), o);
        assertEquals(FitSpec.DEFAULT_SEED, RunOptions.DEFAULTS.seed());
    }

    @Test
    void refusesNonPositiveWorkersAndMemory() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunOptions.DEFAULTS.withWorkers(0)).getMessage()
                .contains("workers=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunOptions.DEFAULTS.withMemoryLimit(0)).getMessage()
                .contains("memory_limit=0"));
    }

    @Test
    void aFitAndASearchTakeTheSameRecord() {
        RunOptions o = RunOptions.DEFAULTS.withSeed(9).withWorkers(1);
        FitSpec fit = FitSpec.builder().setSourceTable("s").setModelOutputTable("o").setModelSelectionTable("m").setNumIterations(1)
                .optRunOptions(o).build();
        assertEquals(o, fit.run());
        assertEquals(9, fit.seed());
    }
}
