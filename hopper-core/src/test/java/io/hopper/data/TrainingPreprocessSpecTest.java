package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPreprocessSpecTest {
    private static TrainingPreprocessSpec.Builder valid() {
        return TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("csv:x.csv")).setOutputTable("t")
                .setDependentVarname("y").setIndependentVarname(" a, b ");
    }

    @Test
    void buildsWithMadlibDefaults() {
        TrainingPreprocessSpec s = valid().build();
        assertEquals(List.of("a", "b"), s.independentVarname());
        assertNull(s.bufferSize());
        assertNull(s.numClasses());
        assertEquals(1.0, s.normalizingConst());
        assertEquals(0L, s.seed());
        assertEquals(Runtime.getRuntime().availableProcessors(), s.partitions());
    }

    private static void refused(TrainingPreprocessSpec.Builder b, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void refusesMissingAndInvalidFields() {
        refused(TrainingPreprocessSpec.builder(), "--source is required");
        refused(valid().setOutputTable("bad name"), "--output-table 'bad name' is not an identifier");
        refused(valid().setOutputTable("t".repeat(56)), "at most 55");
        refused(valid().optBufferSize(0), "--buffer-size 0 is not positive");
        refused(valid().optNormalizingConst(0), "--normalizing-const 0.0 is not a positive number");
        refused(valid().optNormalizingConst(-255), "--normalizing-const -255.0 is not a positive number");
        refused(valid().optNumClasses(0), "--num-classes 0 is not positive");
        refused(valid().optPartitions(0), "--partitions 0 is not positive");
        refused(valid().setDependentVarname(" "), "--dependent-varname is empty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> valid().setIndependentVarname("a,,b"));
        assertTrue(e.getMessage().contains("--independent-varname 'a,,b' has an empty name"), e.getMessage());
        refused(valid().setIndependentVarname("a,a"), "names a column twice");
    }
}
