package io.hopper.model.keras;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchSummaryTest {

    @Test
    void renderEndsWithTheCountsLine() {
        ArchSummary s = new ArchSummary("m", List.of(new ArchSummary.Row("dense_1", "Dense", "(None, 10)", 1250),
                new ArchSummary.Row("bn", "BatchNormalization", "(None, 10)", 40)), 1290, 1270, 20);
        String[] lines = s.render().split("\n");
        assertEquals("total_params=1290 trainable_params=1270 non_trainable_params=20", lines[lines.length - 1]);
        assertTrue(s.render().startsWith("Model: \"m\""));
        assertTrue(s.render().contains("dense_1 (Dense)"));
        assertTrue(s.render().contains("1,250"));
        assertTrue(s.render().contains("Non-trainable params: 20"));
    }

    @Test
    void validatesAndCopies() {
        List<ArchSummary.Row> rows = new ArrayList<>(List.of(new ArchSummary.Row("d", "Dense", "(None, 1)", 5)));
        ArchSummary s = new ArchSummary("m", rows, 5, 5, 0);
        rows.clear();
        assertEquals(1, s.rows().size());
        assertThrows(UnsupportedOperationException.class, () -> s.rows().clear());
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class, () -> new ArchSummary("m", List.of(), 5, 4, 0));
        assertTrue(sum.getMessage().startsWith("summary:"), sum.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ArchSummary("m", List.of(), 5, 5, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArchSummary.Row("d", "Dense", "(None, 1)", -1));
    }
}
