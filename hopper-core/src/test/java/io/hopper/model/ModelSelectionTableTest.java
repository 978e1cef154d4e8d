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

    @Test
    void loadRefusesAnExistingTableAndLeavesItAsItWas() throws java.io.IOException {
        String json;
        try (java.io.InputStream in = getClass().getResourceAsStream("/keras/01_madlib_iris_mlp_keras216.json")) {
            json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        ModelArchTable.load(store, "arch", json, null, null, null);
        assertEquals(2, ModelSelectionTable.load(store, "arch", "mst", List.of(1), List.of(SGD), List.of("batch_size=8", "batch_size=16")).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelSelectionTable.load(store, "arch", "mst", List.of(1), List.of(SGD), List.of("batch_size=32")));
        assertTrue(e.getMessage().startsWith("model selection table 'mst' already exists") && e.getMessage().contains("table drop mst"),
                e.getMessage());
        assertEquals(2, ModelSelectionTable.read(store, "mst").size());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> ModelSelectionTable.load(store, "arch", "mst2", List.of(7), List.of(SGD), List.of("batch_size=8")));
        assertTrue(unknown.getMessage().contains("7"), unknown.getMessage());
        assertTrue(!store.exists("mst2") && !store.exists("mst2_summary"), "a refused load leaves no table");
    }
}
