package io.hopper.api;

import io.hopper.data.PackedSummary;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.data.ValidationPreprocessSpec;
import io.hopper.data.ValidationPreprocessor;
import io.hopper.engine.EngineFactory;
import io.hopper.fit.ConsoleProgress;
import io.hopper.fit.FitMultipleModel;
import io.hopper.fit.ProgressListener;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.keras.ArchSummary;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.params.MstEntry;
import io.hopper.store.Store;
import io.hopper.store.Stores;
import io.hopper.store.TableRenderer;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java entry point to Hopper: open a store, then load architectures, build model selection tables, prepare
 * data and train. The {@code hopper} command is a thin layer over this class.
 *
 * <pre>{@code
 * try (Hopper hopper = Hopper.open("./hopper-store")) {
 *     int id = hopper.loadKerasModel(LoadKerasModelSpec.builder()
 *             .setModelArchTable("arch").setModelArch(Path.of("mlp.json")).build());
 * }
 * }</pre>
 */
public final class Hopper implements AutoCloseable {
    private final Store store;

    private Hopper(Store store) {
        this.store = store;
    }

    /** Opens a store: a directory, or a {@code jdbc:postgresql:} URL. */
    public static Hopper open(String location) {
        return new Hopper(Stores.open(location));
    }

    /** Wraps an open store; closing the Hopper closes the store. */
    public static Hopper on(Store store) {
        return new Hopper(store);
    }

    /** The store. */
    public Store store() {
        return store;
    }

    /** Prints a table as JSON (one array of row objects) or CSV. */
    public void showTable(String table, TableRenderer.Format format, PrintWriter out) {
        requireExists(table);
        TableRenderer.render(store, table, format, out);
        out.flush();
    }

    /** Drops a table and, for a model output table, its _info, _summary and _schedule; returns what was dropped. */
    public List<String> dropTable(String table) {
        requireExists(table);
        List<String> dropped = new ArrayList<>();
        store.drop(table);
        dropped.add(table);
        for (String suffix : List.of("_info", "_summary", "_schedule")) {
            String companion = table + suffix;
            if (companion.length() <= 63 && store.exists(companion)) {
                store.drop(companion);
                dropped.add(companion);
            }
        }
        return dropped;
    }

    private void requireExists(String table) {
        if (!store.exists(table)) {
            throw new IllegalArgumentException("table '" + table + "' does not exist in " + store.describe()
                    + "; `hopper table list` shows the tables");
        }
    }

    /** MADlib's load_keras_model: adds an architecture and returns its model_id. */
    public int loadKerasModel(LoadKerasModelSpec spec) {
        String json = readText("model architecture", spec.modelArch());
        byte[] weights = spec.modelWeights().map(p -> readBytes("model weights", p)).orElse(null);
        return ModelArchTable.load(store, spec.modelArchTable(), json, weights, spec.name().orElse(null),
                spec.description().orElse(null));
    }

    /** The Keras-style summary of an architecture file. */
    public static ArchSummary archSummary(Path modelArch) {
        return KerasArchitecture.parse(readText("model architecture", modelArch)).summary();
    }

    /** The Keras-style summary of an architecture in an architecture table. */
    public ArchSummary archSummary(String modelArchTable, int modelId) {
        return KerasArchitecture.parse(ModelArchTable.get(store, modelArchTable, modelId).modelArch()).summary();
    }

    /** MADlib's load_model_selection_table: writes the mst table and returns its rows. */
    public List<MstEntry> loadModelSelectionTable(ModelSelectionSpec spec) {
        return ModelSelectionTable.load(store, spec.modelArchTable(), spec.modelSelectionTable(), spec.modelIds(),
                spec.compileParams(), spec.fitParams());
    }

    /** MADlib's training_preprocessor_dl: packs a source into a partitioned table and its summary. */
    public PackedSummary preprocessTraining(TrainingPreprocessSpec spec) {
        return new TrainingPreprocessor(store).preprocess(spec);
    }

    /** MADlib's validation_preprocessor_dl: packs validation rows with a training table's classes and constant. */
    public PackedSummary preprocessValidation(ValidationPreprocessSpec spec) {
        return new ValidationPreprocessor(store).preprocess(spec);
    }

    /**
     * MADlib's madlib_keras_fit_multiple_model: trains every configuration of the mst table with Model Hopper
     * Parallelism and writes O, O_info, O_summary and O_schedule. Progress goes to stderr when it is a terminal.
     */
    public FitResult fitMultipleModel(FitSpec spec) {
        boolean console = System.console() != null;
        ProgressListener listener = console
                ? new ConsoleProgress(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true), true)
                : ProgressListener.NONE;
        return fitMultipleModel(spec, listener);
    }

    /** {@link #fitMultipleModel(FitSpec)} reporting to the given listener. */
    public FitResult fitMultipleModel(FitSpec spec, ProgressListener listener) {
        return new FitMultipleModel(store, spec, listener).run();
    }

    /** {@link #fitMultipleModel(FitSpec, ProgressListener)} on the engine {@code engines} starts (e.g. Spark's). */
    public FitResult fitMultipleModel(FitSpec spec, ProgressListener listener, EngineFactory engines) {
        return new FitMultipleModel(store, spec, listener, engines).run();
    }

    static String readText(String what, Path path) {
        return new String(readBytes(what, path), java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] readBytes(String what, Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(what + " file '" + path + "' does not exist; check the path");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " file '" + path + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
