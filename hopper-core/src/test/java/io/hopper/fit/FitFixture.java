package io.hopper.fit;

import io.hopper.fit.FitSpec;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.data.ValidationPreprocessSpec;
import io.hopper.data.ValidationPreprocessor;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.Unit;
import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test data for fits: iris packed into 3 partitions in a file store, MADlib's iris MLP, mst tables. */
final class FitFixture {
    static final String IRIS_X = "sepal_length,sepal_width,petal_length,petal_width";
    static final String ADAM = "loss='categorical_crossentropy', optimizer='Adam(lr=%s)', metrics=['accuracy']";

    final Store store;
    final Path dir;

    FitFixture(Path dir) {
        this(dir, new FileStore(dir.resolve("store")));
    }

    FitFixture(Path dir, Store store) {
        this.dir = dir;
        this.store = store;
    }

    static Path resource(String name) {
        try {
            return Path.of(FitFixture.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String archJson(int outputs) {
        try (InputStream in = FitFixture.class.getResourceAsStream("/keras/01_madlib_iris_mlp_keras216.json")) {
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int last = json.lastIndexOf("\"units\": 3");
            return json.substring(0, last) + "\"units\": " + outputs + json.substring(last + "\"units\": 3".length());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Packs iris (150 rows) into {@code table} with 3 partitions, and its validation table {@code table_v}. */
    FitFixture iris(String table, Integer numClasses) {
        TrainingPreprocessSpec.Builder b = TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(resource("iris.csv")))
                .setOutputTable(table).setDependentVarname("species").setIndependentVarname(IRIS_X).optPartitions(3).optSeed(7);
        if (numClasses != null) {
            b.optNumClasses(numClasses);
        }
        new TrainingPreprocessor(store).preprocess(b.build());
        new ValidationPreprocessor(store).preprocess(ValidationPreprocessSpec.builder().setSource(new SourceSpec.Csv(resource("iris.csv")))
                .setOutputTable(table + "_v").setTrainingPreprocessorTable(table).setDependentVarname("species")
                .setIndependentVarname(IRIS_X).build());
        return this;
    }

    /** Packs iris with its labels already one-hot (an array column) into {@code table}. */
    FitFixture irisOneHot(String table) throws IOException {
        List<String> lines = Files.readAllLines(resource("iris.csv"));
        List<String> out = new ArrayList<>(List.of(IRIS_X + ",label"));
        List<String> species = List.of("setosa", "versicolor", "virginica");
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            int k = species.indexOf(f[4]);
            out.add(String.join(",", f[0], f[1], f[2], f[3]) + ",\"[" + (k == 0 ? 1 : 0) + "," + (k == 1 ? 1 : 0) + "," + (k == 2 ? 1 : 0) + "]\"");
        }
        Path csv = dir.resolve("iris_onehot.csv");
        Files.write(csv, out);
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv))
                .setOutputTable(table).setDependentVarname("label").setIndependentVarname(IRIS_X).optPartitions(3).optSeed(7).build());
        return this;
    }

    /**
     * Packs iris as MADlib's multi-IO test does (two inputs of the 4 measurements, two labels: species and a second of 3
     * classes, petal_size by petal length) into {@code table} with 2 partitions, and its validation table {@code table_v}.
     */
    FitFixture irisMultiIo(String table) throws IOException {
        List<String> lines = Files.readAllLines(resource("iris.csv"));
        List<String> out = new ArrayList<>(List.of(lines.get(0) + ",petal_size"));
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                double petal = Double.parseDouble(line.split(",")[2]);
                out.add(line + "," + (petal < 2.5 ? "small" : petal < 5 ? "medium" : "large"));
            }
        }
        Path csv = dir.resolve("iris_multi_io.csv");
        Files.write(csv, out);
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv))
                .setOutputTable(table).setDependentVarnames(List.of("species", "petal_size")).setIndependentVarnames(List.of(IRIS_X, IRIS_X))
                .optPartitions(2).optSeed(7).optValidationSplit(0.2, table + "_v").build());
        return this;
    }

    /** Loads MADlib's two-input, two-output iris model into architecture table {@code arch}; returns its id. */
    int archMultiIo(String arch) {
        try {
            return ModelArchTable.load(store, arch, Files.readString(resource("keras/03_madlib_iris_multi_input_concat_functional.json")),
                    null, "multi-io", null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads MADlib's iris MLP with {@code outputs} output units into architecture table {@code arch}; returns its id. */
    int arch(String arch, int outputs) {
        return ModelArchTable.load(store, arch, archJson(outputs), null, "mlp", null);
    }

    /** An mst table: the cross product of the Adam learning rates and the fit strings. */
    void mst(String arch, int modelId, String mst, List<String> learningRates, List<String> fitParams) {
        List<String> compile = learningRates.stream().map(lr -> String.format(ADAM, lr)).toList();
        ModelSelectionTable.load(store, arch, mst, List.of(modelId), compile, fitParams);
    }

    /** An mst table "mst" over model 1 of "arch" from whole compile_params strings, batch size 16. */
    void mstFromCompile(List<String> compileParams) {
        ModelSelectionTable.load(store, "arch", "mst", List.of(1), compileParams, List.of("batch_size=16, epochs=1"));
    }

    static FitSpec.Builder spec(String source, String out, String mst, int iterations) {
        return FitSpec.builder().setSourceTable(source).setModelOutputTable(out).setModelSelectionTable(mst)
                .setNumIterations(iterations).optWorkers(2).optSeed(11);
    }

    /** The schedule table's rows of one phase as executed units. */
    List<ExecutedUnit> schedule(String out, String phase) {
        return OutputTables.readSchedule(store, out).stream().filter(r -> r.phase().equals(phase))
                .map(r -> new ExecutedUnit(new Unit(r.mstKey(), r.partition(), r.iteration()), r.worker(), r.startMs(), r.endMs()))
                .toList();
    }

    /** Column {@code column} of table {@code table} by mst_key (the first column). */
    Map<Integer, Object> byKey(String table, String column) {
        int index = store.schema(table).indexOf(column);
        Map<Integer, Object> values = new TreeMap<>();
        for (Row r : store.readAll(table)) {
            values.put((Integer) r.get(0), r.get(index));
        }
        return values;
    }
}
