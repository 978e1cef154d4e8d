package io.hopper.api;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSelectionSpecTest {
    private static final List<String> COMPILE = List.of("loss='mse', optimizer='SGD'");
    private static final List<String> FIT = List.of("batch_size=8");

    @Test
    void copiesItsLists() {
        List<Integer> ids = new ArrayList<>(List.of(1));
        ModelSelectionSpec spec = new ModelSelectionSpec("arch", "mst", ids, COMPILE, FIT);
        ids.add(2);
        assertEquals(List.of(1), spec.modelIds());
    }

    @Test
    void emptyListsAreRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelSelectionSpec("arch", "mst", List.of(), COMPILE, FIT))
                .getMessage().startsWith("model id list is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelSelectionSpec("arch", "mst", List.of(1), List.of(), FIT))
                .getMessage().startsWith("compile params list is empty"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelSelectionSpec("arch", "mst", List.of(1), COMPILE, List.of()))
                .getMessage().startsWith("fit params list is empty"));
    }

    @Test
    void tableNamesMustBeIdentifiers() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ModelSelectionSpec("arch", "mst;drop", List.of(1), COMPILE, FIT))
                .getMessage().contains("'mst;drop' is not an identifier"));
    }
}
