package io.hopper.engine.spark;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.data.ValidationPreprocessSpec;
import io.hopper.data.ValidationPreprocessor;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.local.LocalEngine;
import io.hopper.fit.FitMultipleModel;
import io.hopper.fit.OutputTables;
import io.hopper.fit.ProgressListener;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.mop.Configurations;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.ScheduleInvariants;
import io.hopper.mop.Unit;
import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * MADlib's iris scenarios for engine tests: iris packed into 3 partitions (and its validation table) in a file
 * store, MADlib's iris MLP, mst tables of Adam configurations, and fits on a chosen engine.
 */
final class FitFixture implements AutoCloseable {
    static final String TABLE = "iris";
    static final String VALIDATION = "iris_v";
    static final String IRIS_X = "sepal_length,sepal_width,petal_length,petal_width";
    private static final String ADAM = "loss='categorical_crossentropy', optimizer='Adam(lr=%s)', metrics=['accuracy']";

    final String storeLocation;
    final Store store;
    private final int modelId;

    /** A fixture on a file store in {@code dir/store}. */
    FitFixture(Path dir) {
        this(dir.resolve("store").toString(), new FileStore(dir.resolve("store")));
    }

    /**
     * Packs iris into {@value #TABLE} and {@value #VALIDATION} of {@code store} (which {@code storeLocation} opens)
     * and loads the MLP into table {@code arch}.
     */
    FitFixture(String storeLocation, Store store) {
        this.storeLocation = storeLocation;
        this.store = store;
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(resource("iris.csv"))).setOutputTable(TABLE)
                .setDependentVarname("species").setIndependentVarname(IRIS_X).optPartitions(3).optSeed(7).build());
        new ValidationPreprocessor(store).preprocess(ValidationPreprocessSpec.builder()
                .setSource(new SourceSpec.Csv(resource("iris.csv"))).setOutputTable(VALIDATION)
                .setTrainingPreprocessorTable(TABLE).setDependentVarname("species").setIndependentVarname(IRIS_X).build());
        modelId = ModelArchTable.load(store, "arch", archJson(), null, "mlp", null);
    }

    private static Path resource(String name) {
        try {
            return Path.of(FitFixture.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String archJson() {
        return text("keras/01_madlib_iris_mlp_keras216.json");
    }

    /**
     * Packs iris as MADlib's multi-IO test does (two inputs of the 4 measurements; labels species and petal_size, 3
     * classes by petal length) into {@code table} and {@code table_v} (a fifth held out), with 3 partitions; loads MADlib's
     * two-input, two-output model into arch table {@code arch} and returns its id.
     */
    int multiIo(Path dir, String table, String arch) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(resource("iris.csv"));
        List<String> out = new java.util.ArrayList<>(List.of(lines.get(0) + ",petal_size"));
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                double petal = Double.parseDouble(line.split(",")[2]);
                out.add(line + "," + (petal < 2.5 ? "small" : petal < 5 ? "medium" : "large"));
            }
        }
        Path csv = dir.resolve(table + ".csv");
        java.nio.file.Files.write(csv, out);
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(csv)).setOutputTable(table)
                .setDependentVarnames(List.of("species", "petal_size")).setIndependentVarnames(List.of(IRIS_X, IRIS_X)).optPartitions(3)
                .optSeed(7).optValidationSplit(0.2, table + "_v").build());
        return ModelArchTable.load(store, arch, text("keras/03_madlib_iris_multi_input_concat_functional.json"), null, "multi-io", null);
    }

    private static String text(String resource) {
        try (InputStream in = FitFixture.class.getResourceAsStream("/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Packs the MNIST test set (10,000 images) into {@code table} with 3 partitions, loads an MLP for it and writes
     * mst table {@code mst} with one configuration (Adam lr 0.001, batch 128).
     */
    void mnist(String table, String mst) {
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder()
                .setSource(new SourceSpec.Idx(resource("mnist/t10k-images-idx3-ubyte.gz"),
                        resource("mnist/t10k-labels-idx1-ubyte.gz")))
                .setOutputTable(table).setDependentVarname("label").setIndependentVarname("image")
                .optNormalizingConst(255).optPartitions(3).optSeed(1).build());
        int id = ModelArchTable.load(store, "mnist_arch", text("keras/mnist_mlp.json"), null, "mlp", null);
        ModelSelectionTable.load(store, "mnist_arch", mst, List.of(id), List.of(String.format(ADAM, "0.001")),
                List.of("batch_size=128, epochs=1"));
    }

    /** Writes mst table {@code mst}: the cross product of Adam learning rates and fit_params strings. */
    void mst(String mst, List<String> learningRates, List<String> fitParams) {
        List<String> compile = learningRates.stream().map(lr -> String.format(ADAM, lr)).toList();
        ModelSelectionTable.load(store, "arch", mst, List.of(modelId), compile, fitParams);
    }

    /** A spec on iris with 2 workers and seed 11. */
    static FitSpec.Builder spec(String out, String mst, int iterations) {
        return FitSpec.builder().setSourceTable(TABLE).setModelOutputTable(out).setModelSelectionTable(mst)
                .setNumIterations(iterations).optWorkers(2).optSeed(11);
    }

    /** Runs a fit on the engines {@code engines} starts. */
    FitResult fit(FitSpec spec, EngineFactory engines) {
        return new FitMultipleModel(store, spec, ProgressListener.NONE, engines).run();
    }

    /** Runs a fit on the embedded engine. */
    FitResult fitEmbedded(FitSpec spec) {
        return fit(spec, LocalEngine::new);
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

    /** The schedule table's rows of one phase as executed units. */
    List<ExecutedUnit> schedule(String out, String phase) {
        return OutputTables.readSchedule(store, out).stream().filter(r -> r.phase().equals(phase))
                .map(r -> new ExecutedUnit(new Unit(r.mstKey(), r.partition(), r.iteration()), r.worker(), r.startMs(), r.endMs()))
                .toList();
    }

    /** O's weights and states of fits {@code a} and {@code b} are equal, to the bit. */
    void assertSameModels(String a, String b) {
        for (String column : List.of("model_weights", "model_state")) {
            Map<Integer, Object> x = byKey(a, column);
            Map<Integer, Object> y = byKey(b, column);
            assertEquals(x.keySet(), y.keySet());
            x.forEach((k, v) -> assertArrayEquals((byte[]) v, (byte[]) y.get(k), column + " of mst " + k));
        }
    }

    /** Every configuration trained on every partition once per iteration, never two units of a configuration or a
     * worker at once, per O_schedule; returns the train units. */
    List<ExecutedUnit> checkSchedule(String out, int configs, int iterations) {
        List<ExecutedUnit> train = schedule(out, "train");
        assertEquals(configs * 3 * iterations, train.size());
        ScheduleInvariants.check(train, new Configurations(List.copyOf(byKey(out, "mst_key").keySet())), 3);
        return train;
    }

    @Override
    public void close() {
        store.close();
    }
}
