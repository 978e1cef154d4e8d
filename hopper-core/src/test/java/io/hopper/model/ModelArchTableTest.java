package io.hopper.model;

import io.hopper.store.ColumnType;
import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelArchTableTest {
    @TempDir
    Path dir;
    private Store store;
    private String iris;

    @BeforeEach
    void open() throws IOException {
        store = new FileStore(dir.resolve("store"));
        try (InputStream in = getClass().getResourceAsStream("/keras/01_madlib_iris_mlp_keras216.json")) {
            iris = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void loadNumbersArchitecturesFromOneAndKeepsWeights() {
        assertEquals(1, ModelArchTable.load(store, "arch", iris, null, "first", null));
        byte[] weights = ByteBuffer.allocate(4 * 193).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 0.5f).array();
        assertEquals(2, ModelArchTable.load(store, "arch", iris, weights, null, "with weights"));

        assertEquals(Set.of(1, 2), ModelArchTable.ids(store, "arch"));
        ModelArchTable.Entry first = ModelArchTable.get(store, "arch", 1);
        assertEquals(iris, first.modelArch());
        assertEquals("first", first.name().orElseThrow());
        assertTrue(first.modelWeights().isEmpty());
        ModelArchTable.Entry second = ModelArchTable.get(store, "arch", 2);
        assertEquals(4 * 193, second.modelWeights().orElseThrow().remaining());
        assertEquals(0.5f, second.modelWeights().orElseThrow().order(ByteOrder.LITTLE_ENDIAN).getFloat(0));
    }

    @Test
    void weightsOfTheWrongSizeAreRefusedAndNothingIsWritten() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelArchTable.load(store, "arch", iris, new byte[4 * 192], null, null));
        assertTrue(e.getMessage().startsWith("model weights: 768 bytes") && e.getMessage().contains("193 parameters"), e.getMessage());
        assertFalse(store.exists("arch"));
    }

    @Test
    void anArchitectureThatDoesNotBuildIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelArchTable.load(store, "arch", "{not json", null, null, null));
        assertFalse(store.exists("arch"));
    }

    @Test
    void anUnknownModelIdListsTheKnownOnes() {
        ModelArchTable.load(store, "arch", iris, null, null, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelArchTable.get(store, "arch", 9));
        assertTrue(e.getMessage().startsWith("model_id 9 is not in architecture table 'arch' (it has [1])"), e.getMessage());
    }

    @Test
    void aMissingTableOrAnotherLayoutIsRefused() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ModelArchTable.ids(store, "arch"));
        assertTrue(missing.getMessage().contains("'arch' does not exist") && missing.getMessage().contains("load-keras-model"),
                missing.getMessage());
        store.write("other", Schema.of("x", ColumnType.INT), List.of(Row.of(1)));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> ModelArchTable.load(store, "other", iris, null, null, null));
        assertTrue(other.getMessage().startsWith("table 'other' is not a model architecture table"), other.getMessage());
        assertEquals(1, store.readAll("other").size(), "the other table is untouched");
    }
}
