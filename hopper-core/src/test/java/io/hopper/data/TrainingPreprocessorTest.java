package io.hopper.data;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPreprocessorTest {
    @TempDir
    Path dir;
    private Store store;
    private TrainingPreprocessor pre;

    @BeforeEach
    void open() {
        store = new FileStore(dir.resolve("store"));
        pre = new TrainingPreprocessor(store);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<PackedBuffer> all(String table) {
        List<PackedBuffer> out = new ArrayList<>();
        PackedTables.scan(store, table, out::add);
        return out;
    }

    /** The class index of each row of a buffer. */
    private static int[] classesOf(PackedBuffer b) {
        int[] out = new int[b.rows()];
        for (int r = 0; r < b.rows(); r++) {
            int ones = 0;
            for (int c = 0; c < b.classes(); c++) {
                short v = b.y()[r * b.classes() + c];
                if (v == 1) {
                    out[r] = c;
                    ones++;
                } else {
                    assertEquals(0, v);
                }
            }
            assertEquals(1, ones, "row " + r + " of buffer " + b.bufferId() + " is not one-hot");
        }
        return out;
    }

    private static List<float[]> csvRows(Path csv, int... columns) throws IOException {
        List<float[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            float[] r = new float[columns.length];
            for (int i = 0; i < columns.length; i++) {
                r[i] = (float) Double.parseDouble(f[columns[i]].strip());
            }
            rows.add(r);
        }
        return rows;
    }

    private static List<String> sortedRows(List<PackedBuffer> buffers, int dims) {
        List<String> out = new ArrayList<>();
        for (PackedBuffer b : buffers) {
            for (int r = 0; r < b.rows(); r++) {
                out.add(Arrays.toString(Arrays.copyOfRange(b.x(), r * dims, (r + 1) * dims)));
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void packsIrisIntoShuffledOneHotBuffers() throws IOException {
        PackedSummary s = pre.preprocess(TestData.training("iris.csv", "iris_packed", "species", TestData.IRIS_X).build());
        assertEquals(List.of("setosa", "versicolor", "virginica"), s.classValues());
        assertEquals(3, s.numClasses());
        assertEquals(75, s.bufferSize());
        assertEquals(2, s.numBuffers());
        assertEquals(150, s.totalRows());
        assertEquals(List.of(4), s.sampleShape());
        assertEquals("text", s.dependentVartype());
        assertEquals("csv:" + TestData.path("iris.csv"), s.sourceTable());
        assertEquals(TestData.IRIS_X, s.independentVarname());
        assertEquals(PackedSummary.ALL_SEGMENTS, s.distributionRules());
        assertEquals(1L, s.seed());
        assertNull(s.validationOf());
        assertEquals(s, PackedTables.readSummary(store, "iris_packed"));

        List<PackedBuffer> buffers = all("iris_packed");
        assertEquals(List.of(75, 4), buffers.get(0).xShape());
        assertEquals(List.of(75, 3), buffers.get(0).yShape());
        List<String> expected = new ArrayList<>();
        for (float[] r : csvRows(TestData.path("iris.csv"), 0, 1, 2, 3)) {
            expected.add(Arrays.toString(r));
        }
        expected.sort(null);
        assertEquals(expected, sortedRows(buffers, 4), "the packed rows are the source rows");
        int[] counts = new int[3];
        for (PackedBuffer b : buffers) {
            for (int c : classesOf(b)) {
                counts[c]++;
            }
        }
        assertArrayEquals(new int[] {50, 50, 50}, counts);
        int[] first = classesOf(buffers.get(0));
        assertFalse(Arrays.stream(first).allMatch(c -> c == 0), "the source is sorted by species; a shuffle mixes them");
        // setosa rows keep their class: petal_length < 2.5 only for setosa
        for (PackedBuffer b : buffers) {
            int[] cls = classesOf(b);
            for (int r = 0; r < b.rows(); r++) {
                assertEquals(b.x()[r * 4 + 2] < 2.5f, cls[r] == 0);
            }
        }
    }

    private Path numbered(int rows) throws IOException {
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(',').append(-i).append(',').append(i % 3 == 0 ? "x" : "y").append('\n');
        }
        Path p = dir.resolve("rows" + rows + ".csv");
        Files.writeString(p, sb);
        return p;
    }

    private List<Integer> bufferRows(String table) {
        return all(table).stream().map(PackedBuffer::rows).toList();
    }

    @Test
    void defaultBufferSizesFollowMadlibExamples() throws IOException {
        pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(numbered(120))).setOutputTable("t120")
                .setDependentVarname("label").setIndependentVarname("a,b").optPartitions(2).build());
        assertEquals(List.of(60, 60), bufferRows("t120"));
        PackedSummary s = pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(numbered(52)))
                .setOutputTable("t52").setDependentVarname("label").setIndependentVarname("a,b").optPartitions(3).build());
        assertEquals(18, s.bufferSize());
        assertEquals(List.of(18, 18, 16), bufferRows("t52"));
        for (int p = 0; p < 3; p++) {
            List<PackedBuffer> part = PackedTables.readPartition(store, "t52", p);
            assertEquals(List.of(p), part.stream().map(PackedBuffer::bufferId).toList());
        }
    }

    @Test
    void bufferSizeOverrideDealsBuffersRoundRobin() throws IOException {
        PackedSummary s = pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(numbered(10)))
                .setOutputTable("t10").setDependentVarname("label").setIndependentVarname("a,b").optPartitions(2)
                .optBufferSize(3).build());
        assertEquals(3, s.bufferSize());
        assertEquals(List.of(3, 3, 3, 1), bufferRows("t10"));
        assertEquals(List.of(0, 2), PackedTables.readPartition(store, "t10", 0).stream().map(PackedBuffer::bufferId).toList());
        assertEquals(List.of(1, 3), PackedTables.readPartition(store, "t10", 1).stream().map(PackedBuffer::bufferId).toList());
        List<Row> raw = store.readAll("t10");
        for (Row r : raw) {
            assertEquals((Integer) r.get(5) % 2, r.get(0), "__dist_key__ is buffer_id % partitions");
        }
    }

    @Test
    void missingClassComesFirstThenNumericOrderPaddedToNumClasses() {
        PackedSummary s = pre.preprocess(TestData.training("numeric-classes.csv", "nums", "y", "x").optNumClasses(6).build());
        assertEquals(Arrays.asList(null, "2.5", "9", "10"), s.classValues());
        assertEquals(6, s.numClasses());
        assertEquals("double precision", s.dependentVartype());
        Map<Float, Integer> expected = Map.of(1f, 3, 2f, 2, 3f, 0, 4f, 1, 5f, 3, 6f, 2);
        Map<Float, Integer> seen = new HashMap<>();
        for (PackedBuffer b : all("nums")) {
            assertEquals(6, b.classes());
            int[] cls = classesOf(b);
            for (int r = 0; r < b.rows(); r++) {
                seen.put(b.x()[r], cls[r]);
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    void arrayColumnsAndTextClassesWithMissingValues() {
        PackedSummary s = pre.preprocess(TestData.training("arrays.csv", "arr", "y", "x").optPartitions(1).build());
        assertEquals(Arrays.asList(null, "a", "b"), s.classValues());
        assertEquals(List.of(2), s.sampleShape());
        Map<Float, Integer> seen = new HashMap<>();
        for (PackedBuffer b : all("arr")) {
            int[] cls = classesOf(b);
            for (int r = 0; r < b.rows(); r++) {
                assertEquals(b.x()[2 * r] + 1, b.x()[2 * r + 1]);
                seen.put(b.x()[2 * r], cls[r]);
            }
        }
        assertEquals(Map.of(1f, 2, 3f, 0, 5f, 1, 7f, 2, 9f, 0), seen);
    }

    @Test
    void numericArrayYIsTakenAsOneHot() {
        PackedSummary s = pre.preprocess(TestData.training("onehot.csv", "oh", "y", "x1,x2").optPartitions(1).optNumClasses(4).build());
        assertTrue(s.oneHotInput());
        assertEquals(4, s.numClasses());
        assertEquals("double precision[]", s.dependentVartype());
        Map<Float, Integer> seen = new HashMap<>();
        for (PackedBuffer b : all("oh")) {
            int[] cls = classesOf(b);
            for (int r = 0; r < b.rows(); r++) {
                seen.put(b.x()[2 * r], cls[r]);
            }
        }
        assertEquals(Map.of(1f, 1, 3f, 0, 5f, 2), seen);
        assertTrue(store.readAll("oh_summary").get(0).get(5) == null, "MADlib stores NULL class_values for one-hot input");
    }

    @Test
    void normalizingConstDividesX() throws IOException {
        pre.preprocess(TestData.training("iris.csv", "half", "species", TestData.IRIS_X).optNormalizingConst(2).build());
        List<String> expected = new ArrayList<>();
        for (float[] r : csvRows(TestData.path("iris.csv"), 0, 1, 2, 3)) {
            float[] h = new float[4];
            for (int i = 0; i < 4; i++) {
                h[i] = (float) (Double.parseDouble(Float.toString(r[i])) / 2);
            }
            expected.add(Arrays.toString(h));
        }
        expected.sort(null);
        assertEquals(expected, sortedRows(all("half"), 4));
        assertEquals(2.0, PackedTables.readSummary(store, "half").normalizingConst());
    }

    @Test
    void sameSeedGivesByteIdenticalTablesAndOtherSeedsDiffer() {
        pre.preprocess(TestData.training("iris.csv", "s1", "species", TestData.IRIS_X).optSeed(42).build());
        pre.preprocess(TestData.training("iris.csv", "s2", "species", TestData.IRIS_X).optSeed(42).build());
        pre.preprocess(TestData.training("iris.csv", "s3", "species", TestData.IRIS_X).optSeed(43).build());
        List<Row> a = store.readAll("s1");
        List<Row> b = store.readAll("s2");
        List<Row> c = store.readAll("s3");
        assertEquals(a.size(), b.size());
        boolean differs = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals((byte[]) a.get(i).get(1), (byte[]) b.get(i).get(1));
            assertArrayEquals((byte[]) a.get(i).get(2), (byte[]) b.get(i).get(2));
            assertEquals(a.get(i).get(3), b.get(i).get(3));
            differs |= !Arrays.equals((byte[]) a.get(i).get(1), (byte[]) c.get(i).get(1));
        }
        assertTrue(differs, "seed 43 gives another order than seed 42");
    }

    @Test
    void mnistImagesKeepTheirShape() throws IOException {
        SourceSpec idx = SourceSpec.parse("idx:" + TestData.path("mnist-100-images-idx3-ubyte.gz") + ","
                + TestData.path("mnist-100-labels-idx1-ubyte.gz"));
        PackedSummary s = pre.preprocess(TrainingPreprocessSpec.builder().setSource(idx).setOutputTable("mnist")
                .setDependentVarname("label").setIndependentVarname("image").optNormalizingConst(255).optPartitions(2).build());
        assertEquals(List.of(28, 28, 1), s.sampleShape());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), s.classValues());
        assertEquals("integer", s.dependentVartype());
        assertEquals(50, s.bufferSize());
        List<PackedBuffer> buffers = all("mnist");
        assertEquals(List.of(50, 28, 28, 1), buffers.get(0).xShape());
        // the first test image is a 7 (label byte 7); find it by its pixels and check its normalised values
        byte[] raw = new java.util.zip.GZIPInputStream(Files.newInputStream(TestData.path("mnist-100-images-idx3-ubyte.gz"))).readAllBytes();
        float[] first = new float[784];
        for (int i = 0; i < 784; i++) {
            first[i] = (float) ((raw[16 + i] & 0xff) / 255.0);
        }
        int found = 0;
        for (PackedBuffer b : buffers) {
            int[] cls = classesOf(b);
            for (int r = 0; r < b.rows(); r++) {
                float[] img = Arrays.copyOfRange(b.x(), r * 784, (r + 1) * 784);
                for (float v : img) {
                    assertTrue(v >= 0 && v <= 1);
                }
                if (Arrays.equals(img, first)) {
                    assertEquals(7, cls[r]);
                    found++;
                }
            }
        }
        assertEquals(1, found);
    }

    @Test
    void adultNumericColumnsPack() {
        PackedSummary s = pre.preprocess(TestData.training("adult-200.csv", "adult", "Salary",
                "age,fnlwgt,education-num,capital-gain,capital-loss,hours-per-week").build());
        assertEquals(List.of("<=50K", ">50K"), s.classValues());
        assertEquals(200, s.totalRows());
        assertEquals(List.of(6), s.sampleShape());
        assertEquals(100, s.bufferSize());
    }

    @Test
    void tableSourcesTakeScalarAndArrayColumns() {
        store.write("iris_data", Schema.of("id", ColumnType.INT, "attributes", ColumnType.DOUBLE_ARRAY, "class_text", ColumnType.TEXT,
                "class_int", ColumnType.INT), List.of(
                Row.of(1, List.of(5.1, 3.5, 1.4, 0.2), "setosa", 2),
                Row.of(2, List.of(7.0, 3.2, 4.7, 1.4), "versicolor", 10),
                Row.of(3, List.of(6.3, 3.3, 6.0, 2.5), null, null)));
        PackedSummary s = pre.preprocess(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("table:iris_data"))
                .setOutputTable("from_array").setDependentVarname("class_text").setIndependentVarname("attributes").optPartitions(1).build());
        assertEquals(Arrays.asList(null, "setosa", "versicolor"), s.classValues());
        assertEquals("text", s.dependentVartype());
        assertEquals(List.of(4), s.sampleShape());
        PackedSummary t = pre.preprocess(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("table:iris_data"))
                .setOutputTable("from_scalars").setDependentVarname("class_int").setIndependentVarname("id").optPartitions(1).build());
        assertEquals(Arrays.asList(null, "2", "10"), t.classValues());
        assertEquals("integer", t.dependentVartype());
        Map<Float, Integer> seen = new HashMap<>();
        for (PackedBuffer b : all("from_scalars")) {
            int[] cls = classesOf(b);
            for (int r = 0; r < b.rows(); r++) {
                seen.put(b.x()[r], cls[r]);
            }
        }
        assertEquals(Map.of(1f, 1, 2f, 2, 3f, 0), seen);
    }

    @Test
    void refusesTruncatedGzipCsvAndNullsInTables() throws IOException {
        byte[] gz;
        try (var bytes = new java.io.ByteArrayOutputStream(); var out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(Files.readAllBytes(TestData.path("iris.csv")));
            out.finish();
            gz = bytes.toByteArray();
        }
        Path cut = dir.resolve("iris-cut.csv.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        assertRefused(TestData.training("iris.csv", "out", "species", TestData.IRIS_X).setSource(new SourceSpec.Csv(cut)),
                "iris-cut.csv.gz", "is truncated");
        store.write("raw", Schema.of("a", ColumnType.DOUBLE, "v", ColumnType.DOUBLE_ARRAY, "y", ColumnType.INT_ARRAY),
                List.of(Row.of(1.0, List.of(1.0, 2.0), List.of(0, 1)), Row.of(null, Arrays.asList(3.0, null), List.of(1, 0))));
        assertRefused(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("table:raw")).setOutputTable("out")
                .setDependentVarname("y").setIndependentVarname("a"), "table:raw", "column 'a' row 2 is NULL");
        assertRefused(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("table:raw")).setOutputTable("out")
                .setDependentVarname("y").setIndependentVarname("v"), "column 'v' row 2 is NULL or holds a NULL");
        store.write("onehot", Schema.of("v", ColumnType.DOUBLE_ARRAY, "y", ColumnType.INT_ARRAY),
                List.of(Row.of(List.of(1.0, 2.0), List.of(0, 1)), Row.of(List.of(3.0, 4.0), List.of(1, 0))));
        PackedSummary s = pre.preprocess(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("table:onehot")).setOutputTable("oh")
                .setDependentVarname("y").setIndependentVarname("v").optPartitions(1).build());
        assertEquals("integer[]", s.dependentVartype());
        assertTrue(s.oneHotInput());
        PackedBuffer b = all("oh").get(0);
        int[] cls = classesOf(b);
        for (int r = 0; r < 2; r++) {
            assertEquals(b.x()[2 * r] == 1f ? 1 : 0, cls[r]);
        }
    }

    private void assertRefused(TrainingPreprocessSpec.Builder spec, String... parts) {
        List<String> before = store.listTables();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pre.preprocess(spec.build()));
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(before, store.listTables(), "no table is left behind");
    }

    private static TrainingPreprocessSpec.Builder broken(String file) {
        return TestData.training("broken/" + file, "out", "species", TestData.IRIS_X);
    }

    @Test
    void refusesBrokenCsvInput() {
        assertRefused(TestData.training("iris.csv", "out", "species", TestData.IRIS_X)
                .setSource(new SourceSpec.Csv(dir.resolve("nope.csv"))), "nope.csv", "not found");
        assertRefused(broken("empty.csv"), "empty.csv", "empty");
        assertRefused(broken("header-only.csv"), "header-only.csv", "no rows");
        assertRefused(broken("no-header.csv"), "no-header.csv", "no column names");
        assertRefused(broken("ragged.csv"), "ragged.csv", "line 5 has 4 fields but the header has 5");
        assertRefused(broken("missing-x.csv"), "missing-x.csv", "column 'sepal_width' line 5 is empty");
        assertRefused(TestData.training("broken/ragged-array.csv", "out", "y", "x"), "ragged-array.csv", "line 4",
                "X has shape [2] but the first row's X has [3]");
        assertRefused(TestData.training("iris.csv", "out", "species", "sepal_length,petal"), "no column 'petal'");
    }

    @Test
    void categoricalAdultColumnsNameColumnAndLine() {
        assertRefused(TestData.training("adult-200.csv", "out", "Salary", "age,workclass"),
                "column 'workclass' line 2 is not numeric ('State-gov'); encode it first or leave it out of --independent-varname");
    }

    @Test
    void refusesTooFewClassesAndExistingTables() {
        assertRefused(TestData.training("iris.csv", "out", "species", TestData.IRIS_X).optNumClasses(2),
                "--num-classes 2 is below the 3 distinct values");
        pre.preprocess(TestData.training("iris.csv", "taken", "species", TestData.IRIS_X).build());
        assertRefused(TestData.training("iris.csv", "taken", "species", TestData.IRIS_X), "'taken'", "already exists");
        store.write("other_summary", Schema.of("a", ColumnType.INT), List.of(Row.of(1)));
        assertRefused(TestData.training("iris.csv", "other", "species", TestData.IRIS_X), "'other_summary' already exists");
        assertRefused(TestData.training("iris.csv", "out", "species", TestData.IRIS_X).setSource(SourceSpec.parse("table:missing")),
                "table:missing", "no table 'missing'");
        assertRefused(TestData.training("iris.csv", "out", "species", TestData.IRIS_X).setSource(SourceSpec.parse("sql:SELECT 1")),
                "sql:SELECT 1: sql: sources need a PostgreSQL store (--store jdbc:postgresql://...); use csv:, idx: or table: with a directory store");
    }

    @Test
    void refusesBrokenIdxInput() {
        String images = TestData.path("mnist-100-images-idx3-ubyte.gz").toString();
        String labels = TestData.path("mnist-100-labels-idx1-ubyte.gz").toString();
        assertRefused(idx(labels, images), "magic number 0x00000801", "0x00000803");
        assertRefused(idx(TestData.path("broken/bad-magic-images-idx3-ubyte").toString(), labels), "bad-magic", "0x00000804");
        assertRefused(idx(images, TestData.path("broken/mnist-99-labels-idx1-ubyte.gz").toString()), "100 images", "99 labels");
        assertRefused(idx(TestData.path("broken/truncated-images-idx3-ubyte.gz").toString(), labels), "truncated-images",
                "is truncated");
        assertRefused(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("idx:" + images + "," + labels)).setOutputTable("out")
                .setDependentVarname("y").setIndependentVarname("pixels"), "X 'image' and Y 'label'");
    }

    private static TrainingPreprocessSpec.Builder idx(String images, String labels) {
        return TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("idx:" + images + "," + labels)).setOutputTable("out")
                .setDependentVarname("label").setIndependentVarname("image").optPartitions(2);
    }

    /** The first X value (the row number of {@link #numbered}) of every row of a packed table, in buffer order. */
    private List<Integer> firstColumn(String table) {
        List<Integer> out = new ArrayList<>();
        all(table).stream().sorted(java.util.Comparator.comparingInt(PackedBuffer::bufferId)).forEach(b -> {
            for (int r = 0; r < b.rows(); r++) {
                out.add((int) b.x()[r * 2]);
            }
        });
        return out;
    }

    @Test
    void validationSplitPacksBothPartsInOnePassAsPreprocessValidationWould() throws IOException {
        Path csv = numbered(200);
        PackedSummary train = pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv)).setOutputTable("tr")
                .setDependentVarname("label").setIndependentVarname("a,b").optPartitions(2).optSeed(7)
                .optValidationSplit(0.25, "va").build());
        PackedSummary val = PackedTables.readSummary(store, "va");
        assertEquals(200, train.totalRows() + val.totalRows());
        assertTrue(val.totalRows() > 30 && val.totalRows() < 70, "about a quarter: " + val.totalRows());
        assertEquals("tr", val.validationOf());
        List<Integer> held = firstColumn("va");
        assertEquals(held.stream().sorted().toList(), held, "validation rows keep the source order");
        java.util.Set<Integer> all = new java.util.TreeSet<>(held);
        all.addAll(firstColumn("tr"));
        assertEquals(200, all.size(), "every row is in exactly one part");

        // preprocess-validation over exactly the held-out rows gives the same table and summary
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i : held) {
            sb.append(i).append(',').append(-i).append(',').append(i % 3 == 0 ? "x" : "y").append('\n');
        }
        Path heldCsv = dir.resolve("held.csv");
        Files.writeString(heldCsv, sb);
        PackedSummary again = new ValidationPreprocessor(store).preprocess(ValidationPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(heldCsv)).setOutputTable("va2").setTrainingPreprocessorTable("tr")
                .setDependentVarname("label").setIndependentVarname("a,b").build());
        assertEquals(new PackedSummary(val.sourceTable(), "va2", val.dependentVarname(), val.independentVarname(), val.dependentVartype(),
                val.classValues(), val.bufferSize(), val.normalizingConst(), val.numClasses(), val.distributionRules(), val.partitions(),
                val.seed(), val.validationOf(), val.formatVersion(), val.sampleShape(), val.totalRows(), val.numBuffers()),
                new PackedSummary(val.sourceTable(), again.outputTable(), again.dependentVarname(), again.independentVarname(),
                        again.dependentVartype(), again.classValues(), again.bufferSize(), again.normalizingConst(), again.numClasses(),
                        again.distributionRules(), again.partitions(), again.seed(), again.validationOf(), again.formatVersion(),
                        again.sampleShape(), again.totalRows(), again.numBuffers()));
        List<Row> a = store.readAll("va");
        List<Row> b = store.readAll("va2");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals((byte[]) a.get(i).get(1), (byte[]) b.get(i).get(1), "x of buffer " + i);
            assertArrayEquals((byte[]) a.get(i).get(2), (byte[]) b.get(i).get(2), "y of buffer " + i);
        }

        // the same seed splits the same way; another seed differently
        pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv)).setOutputTable("tr_b")
                .setDependentVarname("label").setIndependentVarname("a,b").optPartitions(2).optSeed(7)
                .optValidationSplit(0.25, "va_b").build());
        assertEquals(held, firstColumn("va_b"));
        pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv)).setOutputTable("tr_c")
                .setDependentVarname("label").setIndependentVarname("a,b").optPartitions(2).optSeed(8)
                .optValidationSplit(0.25, "va_c").build());
        assertNotEquals(held, firstColumn("va_c"));
    }

    @Test
    void validationSplitRefusesBadFractionsExistingTablesAndEmptyParts() throws IOException {
        Path csv = numbered(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingPreprocessSpec.builder().optValidationSplit(1.0, "v"));
        assertTrue(e.getMessage().contains("--validation-fraction 1.0 is not between 0 and 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv))
                .setOutputTable("t").setDependentVarname("label").setIndependentVarname("a,b").optValidationSplit(0.5, "t").build());
        assertTrue(e.getMessage().contains("collides"), e.getMessage());
        pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv)).setOutputTable("taken")
                .setDependentVarname("label").setIndependentVarname("a,b").optPartitions(1).build());
        List<String> before = store.listTables();
        e = assertThrows(IllegalArgumentException.class, () -> pre.preprocess(TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(csv)).setOutputTable("t").setDependentVarname("label").setIndependentVarname("a,b")
                .optPartitions(1).optValidationSplit(0.5, "taken").build()));
        assertTrue(e.getMessage().contains("--validation-output-table 'taken'") && e.getMessage().contains("already exists"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> pre.preprocess(TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(csv)).setOutputTable("t").setDependentVarname("label").setIndependentVarname("a,b")
                .optPartitions(1).optValidationSplit(0.01, "v").build()));
        assertTrue(e.getMessage().contains("both parts need rows"), e.getMessage());
        assertEquals(before, store.listTables(), "nothing is left behind");
    }

    @Test
    void packsSeveralXGroupsAndYColumnsAsFormatTwoKeepingEachRowsPartsTogether() throws IOException {
        // a second label of iris: whether sepal_width is at least 3 ("wide") or not, and a third Y with numbers
        Path csv = dir.resolve("iris2.csv");
        List<String> lines = Files.readAllLines(TestData.path("iris.csv"));
        List<String> out = new ArrayList<>(List.of(lines.get(0) + ",width,petals"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            out.add(line + "," + (Double.parseDouble(f[1]) >= 3 ? "wide" : "narrow") + "," + (int) Double.parseDouble(f[2]));
        }
        Files.write(csv, out);
        PackedSummary s = pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv)).setOutputTable("multi")
                .setDependentVarnames(List.of("species", "width", "petals")).setIndependentVarnames(List.of("sepal_length,sepal_width",
                        "petal_length,petal_width,sepal_length")).optPartitions(2).optSeed(1).build());
        assertEquals(PackedTables.MULTI_IO_VERSION, s.formatVersion());
        assertEquals(List.of(List.of(2), List.of(3)), s.sampleShapes());
        assertEquals(List.of("species", "width", "petals"), s.outputs().stream().map(PackedSummary.Output::varname).toList());
        assertEquals(List.of("narrow", "wide"), s.outputs().get(1).classValues());
        assertEquals(List.of("1", "3", "4", "5", "6"), s.outputs().get(2).classValues());
        assertEquals("integer", s.outputs().get(2).vartype());
        assertEquals(List.of(3, 2, 5), s.numClassesList());
        assertEquals("sepal_length,sepal_width;petal_length,petal_width,sepal_length", s.independentVarnameText());
        assertEquals(s, PackedTables.readSummary(store, "multi"));
        assertEquals(PackedTables.schema(2, 3), store.schema("multi"));
        assertEquals(List.of(PackedTables.PARTITION_COLUMN, "x_0", "x_1", "y_0", "y_1", "y_2", "x_0_shape", "x_1_shape", "y_0_shape",
                "y_1_shape", "y_2_shape", PackedTables.BUFFER_ID_COLUMN), store.schema("multi").names());
        // every packed row is a source row: its groups and labels stay together through the shuffle
        Map<String, String> bySepal = new HashMap<>();
        for (String line : out.subList(1, out.size())) {
            String[] f = line.split(",");
            bySepal.merge(fmt(Float.parseFloat(f[0])) + "|" + fmt(Float.parseFloat(f[1])) + "|" + fmt(Float.parseFloat(f[2])) + "|"
                    + fmt(Float.parseFloat(f[3])), f[4] + "|" + f[5] + "|" + f[6], (a, b) -> a);
        }
        int rows = 0;
        for (PackedBuffer b : all("multi")) {
            assertEquals(2, b.inputs());
            assertEquals(3, b.outputs());
            for (int r = 0; r < b.rows(); r++) {
                float[] x0 = Arrays.copyOfRange(b.x(0), 2 * r, 2 * r + 2);
                float[] x1 = Arrays.copyOfRange(b.x(1), 3 * r, 3 * r + 3);
                assertEquals(x0[0], x1[2], "x_1's third column is sepal_length of the same row");
                String key = fmt(x0[0]) + "|" + fmt(x0[1]) + "|" + fmt(x1[0]) + "|" + fmt(x1[1]);
                List<String> labels = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    int c = b.classes(k);
                    int hot = -1;
                    for (int j = 0; j < c; j++) {
                        if (b.y(k)[r * c + j] == 1) {
                            hot = j;
                        }
                    }
                    labels.add(s.outputs().get(k).classValues().get(hot));
                }
                assertEquals(bySepal.get(key), String.join("|", labels), key);
                rows++;
            }
        }
        assertEquals(150, rows);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(csv)).setOutputTable("m2").setDependentVarnames(List.of("species", "width"))
                .setIndependentVarname("sepal_length,width").build());
        assertTrue(twice.getMessage().contains("--dependent-varname 'width' is also in --independent-varname"), twice.getMessage());
        IllegalArgumentException numClasses = assertThrows(IllegalArgumentException.class, () -> pre.preprocess(TrainingPreprocessSpec
                .builder().setSource(new SourceSpec.Csv(csv)).setOutputTable("m3").setDependentVarnames(List.of("species", "width"))
                .setIndependentVarname("sepal_length").optNumClasses(4).build()));
        assertTrue(numClasses.getMessage().startsWith("--num-classes applies to one Y but there are 2"), numClasses.getMessage());
        assertFalse(store.exists("m3"));
    }

    /** A CSV number as the packer reads it back. */
    private static String fmt(float v) {
        return new java.math.BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString();
    }

    @Test
    void packsArrayColumnGroupsOfAStoreTableAsSeparateInputs() {
        store.write("arrays", Schema.of("a", ColumnType.DOUBLE_ARRAY, "b", ColumnType.INT_ARRAY, "y", ColumnType.TEXT),
                List.of(Row.of(List.of(1.0, 2.0), List.of(7, 8, 9), "p"), Row.of(List.of(3.0, 4.0), List.of(10, 11, 12), "q")));
        PackedSummary s = pre.preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Table("arrays"))
                .setOutputTable("arr").setDependentVarname("y").setIndependentVarnames(List.of("a", "b")).optPartitions(1).optSeed(1).build());
        assertEquals(List.of(List.of(2), List.of(3)), s.sampleShapes());
        PackedBuffer b = all("arr").get(0);
        Map<Float, float[]> byFirst = new HashMap<>();
        for (int r = 0; r < b.rows(); r++) {
            byFirst.put(b.x(0)[2 * r], Arrays.copyOfRange(b.x(1), 3 * r, 3 * r + 3));
        }
        assertArrayEquals(new float[] {7, 8, 9}, byFirst.get(1f));
        assertArrayEquals(new float[] {10, 11, 12}, byFirst.get(3f));
    }
}
