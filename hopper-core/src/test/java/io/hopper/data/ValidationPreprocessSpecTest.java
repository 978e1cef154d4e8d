package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationPreprocessSpecTest {
    private static ValidationPreprocessSpec.Builder valid() {
        return ValidationPreprocessSpec.builder().setSource(SourceSpec.parse("csv:x.csv")).setOutputTable("v")
                .setTrainingPreprocessorTable("t").setDependentVarname("y").setIndependentVarname("a");
    }

    @Test
    void builds() {
        ValidationPreprocessSpec s = valid().optBufferSize(5).build();
        assertEquals(List.of("a"), s.independentVarname());
        assertEquals(5, s.bufferSize());
    }

    @Test
    void refusesMissingAndInvalidFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> valid().setTrainingPreprocessorTable(null).build());
        assertTrue(e.getMessage().contains("--training-preprocessor-table 'null' is not an identifier"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> valid().optBufferSize(-1).build());
        assertTrue(e.getMessage().contains("--buffer-size -1 is not positive"), e.getMessage());
    }
}
