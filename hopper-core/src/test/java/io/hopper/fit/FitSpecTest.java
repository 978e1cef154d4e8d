package io.hopper.fit;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitSpecTest {

    private static FitSpec.Builder base() {
        return FitSpec.builder().setSourceTable("s").setModelOutputTable("o").setModelSelectionTable("m").setNumIterations(4);
    }

    private static String refused(FitSpec.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void defaults() {
        FitSpec s = base().build();
        assertEquals(4, s.metricsComputeFrequency(), "metrics only at the last iteration by default, as MADlib");
        assertEquals(FitSpec.Schedule.ASYNC, s.schedule());
        assertEquals(FitSpec.DEFAULT_SEED, s.seed());
        assertFalse(s.useCaching() || s.warmStart());
        assertEquals(OptionalInt.empty(), s.workers());
        assertEquals(OptionalLong.empty(), s.memoryLimit());
        assertTrue(s.validationTable().isEmpty());
        assertEquals("rotation", FitSpec.Schedule.ROTATION.label());
    }

    @Test
    void refusesIterationsBelowOne() {
        assertTrue(refused(base().setNumIterations(0)).startsWith("num_iterations=0 is below 1"));
    }

    @Test
    void refusesAMetricsFrequencyOutsideTheIterations() {
        assertTrue(refused(base().optMetricsComputeFrequency(0)).startsWith("metrics_compute_frequency=0 is outside 1..4"));
        assertTrue(refused(base().optMetricsComputeFrequency(5)).startsWith("metrics_compute_frequency=5 is outside 1..4"));
        assertEquals(2, base().optMetricsComputeFrequency(2).build().metricsComputeFrequency());
    }

    @Test
    void refusesMissingRequiredSettingsAndBadNames() {
        assertTrue(refused(FitSpec.builder().setSourceTable("s")).contains("--num-iterations"));
        assertTrue(refused(base().setSourceTable("a b")).startsWith("table name 'a b'"));
        assertTrue(refused(base().optValidationTable("v;")).startsWith("table name 'v;'"));
        assertTrue(refused(base().setModelOutputTable("o".repeat(60))).startsWith("model_output_table"));
    }

    @Test
    void refusesNonPositiveWorkersAndMemory() {
        assertTrue(refused(base().optWorkers(0)).startsWith("workers=0"));
        assertTrue(refused(base().optMemoryLimit(0)).startsWith("memory_limit=0"));
    }
}
