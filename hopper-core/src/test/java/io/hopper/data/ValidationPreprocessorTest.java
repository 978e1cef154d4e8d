package io.hopper.data;

import io.hopper.store.FileStore;
import io.hopper.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationPreprocessorTest {
    @TempDir
    Path dir;
    private Store store;
    private ValidationPreprocessor pre;

    @BeforeEach
    void open() {
        store = new FileStore(dir.resolve("store"));
        new TrainingPreprocessor(store).preprocess(TestData.training("iris.csv", "iris_train", "species", TestData.IRIS_X)
                .optNormalizingConst(10).optNumClasses(5).optPartitions(3).build());
        pre = new ValidationPreprocessor(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ValidationPreprocessSpec.Builder spec(SourceSpec source, String out) {
        return ValidationPreprocessSpec.builder().setSource(source).setOutputTable(out).setTrainingPreprocessorTable("iris_train")
                .setDependentVarname("species").setIndependentVarname(TestData.IRIS_X);
    }

    @Test
    void keepsSourceOrderAndReusesTrainingClassesAndConstant() throws IOException {
        List<String> lines = Files.readAllLines(TestData.path("iris.csv"));
        List<String> virginica = new ArrayList<>(List.of(lines.get(0)));
        virginica.addAll(lines.subList(101, 111));
        Path csv = dir.resolve("virginica.csv");
        Files.write(csv, virginica);
        PackedSummary s = pre.preprocess(spec(new SourceSpec.Csv(csv), "iris_val").build());
        assertEquals(List.of("setosa", "versicolor", "virginica"), s.classValues());
        assertEquals(5, s.numClasses());
        assertEquals(10.0, s.normalizingConst());
        assertEquals(3, s.partitions());
        assertEquals("iris_train", s.validationOf());
        assertNull(s.seed());
        assertEquals(4, s.bufferSize(), "10 rows on 3 partitions: b = 4, 3 buffers of 4, 4, 2");
        assertEquals(s, PackedTables.readSummary(store, "iris_val"));
        int row = 0;
        for (int p = 0; p < 3; p++) {
            List<PackedBuffer> part = PackedTables.readPartition(store, "iris_val", p);
            assertEquals(1, part.size());
            PackedBuffer b = part.get(0);
            assertEquals(p, b.bufferId());
            assertEquals(5, b.classes());
            for (int r = 0; r < b.rows(); r++, row++) {
                String[] f = virginica.get(1 + row).split(",");
                for (int i = 0; i < 4; i++) {
                    assertEquals((float) (Double.parseDouble(f[i]) / 10), b.x()[r * 4 + i], "row " + row + " in source order");
                }
                for (int c = 0; c < 5; c++) {
                    assertEquals(c == 2 ? 1 : 0, b.y()[r * 5 + c]);
                }
            }
        }
        assertEquals(10, row);
    }

    private void assertRefused(ValidationPreprocessSpec spec, String... parts) {
        List<String> before = store.listTables();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pre.preprocess(spec));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(before, store.listTables(), "no table is left behind");
    }

    @Test
    void refusesClassesTrainingNeverSaw() {
        assertRefused(spec(TestData.csv("broken/iris-unknown-class.csv"), "val").build(), "iris-unknown-class.csv", "line 4",
                "'versicolour'", "not among the class values [setosa, versicolor, virginica]", "'iris_train'");
    }

    @Test
    void refusesMissingOrValidationTrainingTablesAndOtherShapes() {
        assertRefused(spec(TestData.csv("iris.csv"), "val").setTrainingPreprocessorTable("nothing").build(), "'nothing'",
                "no summary table 'nothing_summary'");
        pre.preprocess(spec(TestData.csv("iris.csv"), "val").build());
        assertRefused(spec(TestData.csv("iris.csv"), "val2").setTrainingPreprocessorTable("val").build(), "'val' is a validation table");
        assertRefused(spec(TestData.csv("iris.csv"), "val3").setIndependentVarname("sepal_length,sepal_width").build(),
                "X has shape [2] but training table 'iris_train' has [4]");
    }

    @Test
    void packsAMultiInputTableAgainstItsTrainingGroupsAndRefusesOthers() {
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(TestData.csv("iris.csv"))
                .setOutputTable("two").setDependentVarname("species").setIndependentVarnames(List.of("sepal_length,sepal_width",
                        "petal_length,petal_width")).optPartitions(2).optSeed(1).build());
        ValidationPreprocessSpec.Builder two = ValidationPreprocessSpec.builder().setSource(TestData.csv("iris.csv"))
                .setTrainingPreprocessorTable("two").setDependentVarname("species");
        PackedSummary v = pre.preprocess(two.setOutputTable("two_v").setIndependentVarnames(List.of("sepal_length,sepal_width",
                "petal_length,petal_width")).build());
        assertEquals("two", v.validationOf());
        assertEquals(List.of(List.of(2), List.of(2)), v.sampleShapes());
        PackedBuffer first = PackedTables.readPartition(store, "two_v", 0).get(0);
        assertEquals(5.1f, first.x(0)[0], "source order: iris's first row");
        assertEquals(1.4f, first.x(1)[0]);
        assertRefused(two.setOutputTable("two_v2").setIndependentVarname(TestData.IRIS_X).build(),
                "1 --independent-varname groups and 1 --dependent-varname columns but training table 'two' has 2 inputs (x_0: [2], x_1: [2])");
        assertRefused(two.setOutputTable("two_v3").setIndependentVarnames(List.of("sepal_length", "petal_length,petal_width")).build(),
                "X group 0 (sepal_length) has shape [1] but training table 'two' has [2]");
    }
}
