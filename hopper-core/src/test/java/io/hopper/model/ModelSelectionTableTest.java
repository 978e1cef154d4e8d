package io.hopper.model;

import io.hopper.model.params.MstEntry;
import io.hopper.store.FileStore;
import io.hopper.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSelectionTableTest {
    private static final String SGD = "loss='categorical_crossentropy', optimizer='SGD(lr=0.1)'";

    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = new FileStore(dir.resolve("store"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void appendCreatesTheTableThenAddsOnlyNewConfigurationsAfterTheLargestKey() {
        List<MstEntry> first = ModelSelectionTable.append(store, "arch", "mst",
                List.of(new MstEntry(1, 1, SGD, "batch_size=8"), new MstEntry(2, 1, SGD, "batch_size=16")));
        assertEquals(List.of(1, 2), first.stream().map(MstEntry::mstKey).toList());
        assertEquals("arch", ModelSelectionTable.archTable(store, "mst"));
        // the same settings written differently are the same configuration
        List<MstEntry> second = ModelSelectionTable.append(store, "arch", "mst", List.of(
                new MstEntry(1, 1, "optimizer='SGD(learning_rate=0.1)', loss='categorical_crossentropy'", "batch_size=16"),
                new MstEntry(2, 1, SGD, "batch_size=32"),
                new MstEntry(3, 2, SGD, "batch_size=8")));
        assertEquals(List.of(new MstEntry(3, 1, SGD, "batch_size=32"), new MstEntry(4, 2, SGD, "batch_size=8")), second);
        assertEquals(4, ModelSelectionTable.read(store, "mst").size());
    }

    @Test
    void appendRefusesAnotherArchitectureTable() {
        ModelSelectionTable.append(store, "arch", "mst", List.of(new MstEntry(1, 1, SGD, "batch_size=8")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSelectionTable.append(store,
                "other", "mst", List.of(new MstEntry(1, 1, SGD, "batch_size=16"))));
        assertTrue(e.getMessage().contains("'mst'") && e.getMessage().contains("'arch'") && e.getMessage().contains("'other'"),
                e.getMessage());
        assertEquals(1, ModelSelectionTable.read(store, "mst").size());
    }
}
