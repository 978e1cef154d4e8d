package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PackedSummaryTest {
    private static PackedSummary summary(int numClasses, Long seed, String validationOf) {
        return new PackedSummary("csv:a.csv", "t", "y", "a", "text", List.of("a", "b"), 3, 1.0, numClasses,
                PackedSummary.ALL_SEGMENTS, 1, seed, validationOf, PackedTables.FORMAT_VERSION, List.of(1), 3, 1);
    }

    @Test
    void acceptsTrainingAndValidationSummaries() {
        assertTrue(summary(2, 1L, null).classValues().size() == 2);
        assertTrue(summary(3, null, "train").isValidation());
    }

    @Test
    void refusesFewerClassesThanValuesAndSeedWithValidationOf() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> summary(1, 1L, null));
        assertTrue(e.getMessage().contains("summary of 't'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> summary(2, 1L, "train"));
        assertTrue(e.getMessage().contains("a training table has a seed"), e.getMessage());
    }
}
