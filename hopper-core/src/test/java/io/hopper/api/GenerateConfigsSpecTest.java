package io.hopper.api;

import io.hopper.api.GenerateConfigsSpec.SearchType;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.params.MstEntry;
import io.hopper.store.FileStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateConfigsSpecTest {
    private static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam', 'SGD'], 'lr': [0.001, 0.1]}], 'metrics': ['accuracy']}";
    private static final String FIT = "{'batch_size': [8, 32], 'epochs': [1]}";
    private static final String RANDOM_COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam'], 'lr': [0.0001, 0.1, 'log']}], 'metrics': ['accuracy']}";

    @TempDir
    Path dir;
    private Hopper hopper;

    @BeforeEach
    void open() throws Exception {
        hopper = Hopper.on(new FileStore(dir.resolve("store")));
        String json = Files.readString(Path.of(getClass().getResource("/keras/01_madlib_iris_mlp_keras216.json").toURI()));
        ModelArchTable.load(hopper.store(), "arch", json, null, null, null);
        ModelArchTable.load(hopper.store(), "arch", json, null, null, null);
        ModelArchTable.load(hopper.store(), "arch2", json, null, null, null);
    }

    @AfterEach
    void close() {
        hopper.close();
    }

    private static GenerateConfigsSpec grid(String mst, List<Integer> ids, String compile, String fit) {
        return new GenerateConfigsSpec("arch", mst, ids, compile, fit, SearchType.GRID, OptionalInt.empty(), OptionalLong.empty());
    }

    private static GenerateConfigsSpec random(String mst, int n, long seed) {
        return new GenerateConfigsSpec("arch", mst, List.of(1, 2), RANDOM_COMPILE, FIT, SearchType.RANDOM, OptionalInt.of(n),
                OptionalLong.of(seed));
    }

    @Test
    void gridSearchWritesTheFullProductInCanonicalForm() {
        List<MstEntry> rows = hopper.generateModelConfigs(grid("mst", List.of(1, 2), COMPILE, FIT));
        // 2 model ids x (2 optimizers x 2 lr) x 2 batch sizes
        assertEquals(16, rows.size());
        assertEquals(rows, ModelSelectionTable.read(hopper.store(), "mst"));
        assertEquals("arch", ModelSelectionTable.archTable(hopper.store(), "mst"));
        for (MstEntry e : rows) {
            assertEquals(e.parsedCompileParams().canonical(), e.compileParams());
            assertEquals(e.parsedFitParams().canonical(), e.fitParams());
        }
        assertEquals(16, rows.stream().map(e -> e.modelId() + e.compileParams() + e.fitParams()).distinct().count());
    }

    @Test
    void sameConfigurationAsLoadModelSelectionTableIsNotStoredTwice() {
        List<MstEntry> loaded = hopper.loadModelSelectionTable(new ModelSelectionSpec("arch", "mst", List.of(1),
                List.of("optimizer='SGD(learning_rate=0.1)', metrics=['accuracy'], loss='categorical_crossentropy'"),
                List.of("epochs=1, batch_size=32")));
        assertEquals(1, loaded.size());
        List<MstEntry> added = hopper.generateModelConfigs(grid("mst", List.of(1), COMPILE, FIT));
        assertEquals(7, added.size());
        assertEquals(List.of(2, 3, 4, 5, 6, 7, 8), added.stream().map(MstEntry::mstKey).toList());
        assertEquals(8, ModelSelectionTable.read(hopper.store(), "mst").size());
    }

    @Test
    void appendingContinuesAfterTheLargestKeyAndSkipsWhatIsPresent() {
        hopper.generateModelConfigs(grid("mst", List.of(1), COMPILE, "{'batch_size': [8], 'epochs': [1]}"));
        List<MstEntry> added = hopper.generateModelConfigs(grid("mst", List.of(1), COMPILE, FIT));
        assertEquals(List.of(5, 6, 7, 8), added.stream().map(MstEntry::mstKey).toList());
        assertTrue(added.stream().allMatch(e -> e.fitParams().contains("batch_size=32")), added.toString());
        assertEquals(List.of(), hopper.generateModelConfigs(grid("mst", List.of(1), COMPILE, FIT)));
        assertEquals(8, ModelSelectionTable.read(hopper.store(), "mst").size());
    }

    @Test
    void appendingToATableOfAnotherArchitectureTableIsRefused() {
        hopper.generateModelConfigs(grid("mst", List.of(1), COMPILE, FIT));
        GenerateConfigsSpec other = new GenerateConfigsSpec("arch2", "mst", List.of(1), COMPILE, FIT, SearchType.GRID,
                OptionalInt.empty(), OptionalLong.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hopper.generateModelConfigs(other));
        assertTrue(e.getMessage().contains("'mst'") && e.getMessage().contains("'arch'") && e.getMessage().contains("'arch2'"),
                e.getMessage());
        assertEquals(8, ModelSelectionTable.read(hopper.store(), "mst").size());
    }

    @Test
    void randomSearchIsReproducibleFromTheRandomState() {
        List<MstEntry> a = hopper.generateModelConfigs(random("mst_a", 10, 7));
        List<MstEntry> b = hopper.generateModelConfigs(random("mst_b", 10, 7));
        List<MstEntry> c = hopper.generateModelConfigs(random("mst_c", 10, 8));
        assertEquals(10, a.size());
        assertEquals(a, b);
        assertFalse(a.equals(c));
        Set<String> lrs = a.stream().map(MstEntry::compileParams).collect(Collectors.toSet());
        assertTrue(lrs.size() > 1, "the log distribution should give several learning rates: " + lrs);
    }

    @Test
    void randomSearchAppendsOnlyNewDraws() {
        hopper.generateModelConfigs(random("mst", 5, 7));
        List<MstEntry> again = hopper.generateModelConfigs(random("mst", 5, 7));
        assertEquals(List.of(), again);
        List<MstEntry> more = hopper.generateModelConfigs(random("mst", 5, 9));
        assertEquals(6, more.get(0).mstKey());
    }

    @Test
    void distributionInGridSearchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hopper.generateModelConfigs(grid("mst", List.of(1), RANDOM_COMPILE, FIT)));
        assertTrue(e.getMessage().contains("grid search") && e.getMessage().contains("lr"), e.getMessage());
        assertFalse(hopper.store().exists("mst"));
    }

    @Test
    void randomSearchWithoutNumConfigsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GenerateConfigsSpec("arch", "mst",
                List.of(1), COMPILE, FIT, SearchType.RANDOM, OptionalInt.empty(), OptionalLong.of(1)));
        assertTrue(e.getMessage().contains("num_configs"), e.getMessage());
    }

    @Test
    void numConfigsAndRandomStateInGridSearchAreRefused() {
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class, () -> new GenerateConfigsSpec("arch", "mst",
                List.of(1), COMPILE, FIT, SearchType.GRID, OptionalInt.of(3), OptionalLong.empty()));
        assertTrue(n.getMessage().contains("num_configs=3"), n.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class, () -> new GenerateConfigsSpec("arch", "mst",
                List.of(1), COMPILE, FIT, SearchType.GRID, OptionalInt.empty(), OptionalLong.of(5)));
        assertTrue(s.getMessage().contains("random_state=5"), s.getMessage());
    }

    @Test
    void nonPositiveNumConfigsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GenerateConfigsSpec("arch", "mst",
                List.of(1), COMPILE, FIT, SearchType.RANDOM, OptionalInt.of(0), OptionalLong.empty()));
        assertTrue(e.getMessage().contains("num_configs=0"), e.getMessage());
    }

    @Test
    void valueNotInAListIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hopper.generateModelConfigs(grid("mst", List.of(1), COMPILE, "{'batch_size': 8}")));
        assertTrue(e.getMessage().contains("batch_size") && e.getMessage().contains("list"), e.getMessage());
    }

    @Test
    void misspelledKeyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hopper.generateModelConfigs(grid("mst", List.of(1), COMPILE, "{'batch_sise': [8]}")));
        assertTrue(e.getMessage().contains("batch_sise"), e.getMessage());
        assertFalse(hopper.store().exists("mst"));
    }

    @Test
    void unknownModelIdIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hopper.generateModelConfigs(grid("mst", List.of(1, 9), COMPILE, FIT)));
        assertTrue(e.getMessage().contains("model id 9"), e.getMessage());
        assertFalse(hopper.store().exists("mst"));
    }

    @Test
    void emptyModelIdListIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> grid("mst", List.of(), COMPILE, FIT));
        assertTrue(e.getMessage().contains("model id list"), e.getMessage());
    }
}
