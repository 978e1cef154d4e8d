package io.hopper.api;

import io.hopper.automl.AutomlResult;
import io.hopper.automl.AutomlSpec;
import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.automl.AutoMl;
import io.hopper.automl.HyperbandSchedule;
import io.hopper.data.PackedSummary;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.data.ValidationPreprocessSpec;
import io.hopper.data.ValidationPreprocessor;
import io.hopper.engine.EngineFactory;
import io.hopper.fit.ConsoleProgress;
import io.hopper.fit.FitMultipleModel;
import io.hopper.fit.FitReplay;
import io.hopper.fit.ProgressListener;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.keras.ArchSummary;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.params.ConfigGrid;
import io.hopper.model.params.MstEntry;
import io.hopper.model.runtime.EvalResult;
import io.hopper.predict.ChosenModel;
import io.hopper.predict.Evaluate;
import io.hopper.predict.EvaluateSpec;
import io.hopper.predict.ModelExport;
import io.hopper.predict.Predict;
import io.hopper.predict.PredictByomSpec;
import io.hopper.predict.PredictSpec;
import io.hopper.report.FitRecord;
import io.hopper.report.HtmlReport;
import io.hopper.report.SearchRecord;
import io.hopper.report.TensorBoardLogs;
import io.hopper.store.FileStore;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;
import io.hopper.store.Stores;
import io.hopper.store.TableNames;
import io.hopper.store.TableRenderer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

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

    /**
     * Opens a store whose PostgreSQL operations retry for up to {@code storeRetry} when the connection drops or the
     * server restarts.
     */
    public static Hopper open(String location, java.time.Duration storeRetry) {
        return new Hopper(Stores.open(location, storeRetry));
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

    /**
     * Drops a table and, for a model output table, its _info, _summary, _schedule and _leaderboard, and for an automl
     * output the mst table the search made (with its summary); returns what was dropped.
     */
    public List<String> dropTable(String table) {
        requireExists(table);
        List<String> tables = new ArrayList<>(List.of(table));
        for (String companion : AutoMl.madeTables(store, table)) {
            if (!tables.contains(companion) && companion.length() <= 63) {
                tables.add(companion);
            }
        }
        for (String suffix : List.of("_info", "_summary", "_schedule", "_leaderboard")) {
            if (table.length() + suffix.length() <= 63) {
                tables.add(table + suffix);
            }
        }
        // the table and its companions go together
        try (StoreOperation op = store.begin(tables)) {
            List<String> dropped = new ArrayList<>();
            for (String t : tables) {
                if (op.exists(t)) {
                    op.drop(t);
                    dropped.add(t);
                }
            }
            if (dropped.isEmpty()) {
                requireExists(table);
            }
            op.commit();
            return dropped;
        }
    }

    private void requireExists(String table) {
        if (!store.exists(table)) {
            throw new IllegalArgumentException("table '" + table + "' does not exist in " + store.describe()
                    + "; `hopper table list` shows the tables");
        }
    }

    /** MADlib's load_keras_model: adds an architecture and returns its model_id. */
    public int loadKerasModel(LoadKerasModelSpec spec) {
        String json = ModelFiles.readArchitecture(spec.modelArch());
        byte[] weights = spec.modelWeights().map(ModelFiles::readWeights).orElse(null);
        return ModelArchTable.load(store, spec.modelArchTable(), json, weights, spec.name().orElse(null),
                spec.description().orElse(null));
    }

    /** The Keras-style summary of an architecture file. */
    public static ArchSummary archSummary(Path modelArch) {
        return KerasArchitecture.parse(ModelFiles.readArchitecture(modelArch)).summary();
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
     * MADlib's generate_model_configs: draws configurations from the grids (every combination, or seeded random
     * draws) and adds those not yet present to the mst table, creating it when absent.
     *
     * @return the rows added, with their mst_keys
     * @throws IllegalArgumentException for an invalid grid, an unknown model id, or an existing mst table that refers
     *     to another architecture table
     */
    public List<MstEntry> generateModelConfigs(GenerateConfigsSpec spec) {
        ConfigGrid grid = ConfigGrid.parse(spec.compileParamsGrid(), spec.fitParamsGrid());
        Set<Integer> known = ModelArchTable.ids(store, spec.modelArchTable());
        List<MstEntry> drawn = switch (spec.searchType()) {
            case GRID -> grid.gridSearch(known, spec.modelIds());
            case RANDOM -> grid.randomSearch(known, spec.modelIds(), spec.numConfigs().orElseThrow(), spec.seed());
        };
        return ModelSelectionTable.append(store, spec.modelArchTable(), spec.modelSelectionTable(), drawn);
    }

    /**
     * MADlib's madlib_keras_fit_multiple_model: trains every configuration of the mst table with Model Hopper
     * Parallelism and writes O, O_info, O_summary and O_schedule. Progress goes to stderr when it is a terminal.
     */
    public FitResult fitMultipleModel(FitSpec spec) {
        return fitMultipleModel(spec, consoleProgress());
    }

    /** {@link #fitMultipleModel(FitSpec)} reporting to the given listener. */
    public FitResult fitMultipleModel(FitSpec spec, ProgressListener listener) {
        FitResult result = new FitMultipleModel(store, spec, listener).run();
        TensorBoardLogs.write(FitRecord.read(store, spec.modelOutputTable()));
        return result;
    }

    /**
     * Re-runs the finished fit {@code recorded} from the provenance its O_summary records (same inputs, settings
     * and seed; every configuration in its recorded visit order) into {@code outputTable}: the weights come out
     * identical. No TensorBoard logs are written (the recorded fit wrote them).
     *
     * @throws IllegalArgumentException when the record is missing, the fit was warm-started, or an input changed
     */
    public FitResult replayFit(String recorded, String outputTable, ProgressListener listener) {
        return FitReplay.of(store, recorded, outputTable, listener).run();
    }

    /**
     * MADlib's madlib_keras_evaluate: the loss and metric of one model of O over a packed test table, on engine
     * workers over the table's partitions; writes the one-row output table.
     */
    public EvalResult evaluate(EvaluateSpec spec) {
        return new Evaluate(store).run(spec);
    }

    /**
     * MADlib's madlib_keras_predict: class probabilities of raw rows on worker threads over partitions of the rows;
     * writes id, class_name, class_value, prob, rank and returns the number of rows written.
     */
    public long predict(PredictSpec spec) {
        return new Predict(store).run(spec);
    }

    /**
     * The mst_key of the best model of {@code modelTable}, as its leaderboard ranks: the lowest final validation loss,
     * else the lowest final training loss (what {@code --mst-key best} picks).
     */
    public int bestMstKey(String modelTable) {
        return ChosenModel.best(store, modelTable);
    }

    /**
     * Writes model {@code mstKey} of {@code modelTable} (the key required for several models, refused for one) as
     * Keras JSON, .npy weights, a manifest and a Python loader in {@code out} (docs/export-format.md).
     *
     * @return the files written, the manifest first
     */
    public List<Path> exportModel(String modelTable, OptionalInt mstKey, Path out) {
        return exportModel(modelTable, mstKey, Optional.of(out), ModelExport.Format.KERAS);
    }

    /**
     * Writes model {@code mstKey} of {@code modelTable} (the key required for several models) in {@code out}, or in
     * {@link #defaultExportPath} when empty: Keras JSON, .npy weights, a manifest and a Python loader, or an ONNX file
     * and a manifest (docs/export-format.md).
     *
     * @return the files written, the manifest first
     */
    public List<Path> exportModel(String modelTable, OptionalInt mstKey, Optional<Path> out, ModelExport.Format format) {
        ChosenModel model = ChosenModel.read(store, modelTable, mstKey);
        return ModelExport.write(model, out.orElseGet(() -> defaultExportPath(modelTable, model.mstKey(), format)), format);
    }

    /**
     * Where an export goes by default: {@code <store>/model-exports/O_mst<K>} (with {@code _onnx} for ONNX) for a
     * directory store (a directory name that is never a table's), {@code ./hopper-exports/...} otherwise.
     */
    public Path defaultExportPath(String modelTable, int mstKey, ModelExport.Format format) {
        Path dir = store instanceof FileStore files ? files.root().resolve("model-exports") : Path.of("hopper-exports");
        return dir.resolve(modelTable + "_mst" + mstKey + (format == ModelExport.Format.ONNX ? "_onnx" : ""));
    }

    /**
     * MADlib's madlib_keras_predict_byom: predict with an architecture table's model and its loaded weights (no fit);
     * writes the table {@link #predict} writes and returns the number of rows written. A model without weights is
     * refused.
     */
    public long predictByom(PredictByomSpec spec) {
        return new Predict(store).runByom(spec);
    }

    /**
     * MADlib's delete_keras_model: removes one architecture from its table, dropping the table when it was the last.
     *
     * @return true when the table was dropped
     */
    public boolean deleteKerasModel(String modelArchTable, int modelId) {
        TableNames.requireIdentifier("--model-arch-table", modelArchTable);
        return ModelArchTable.delete(store, modelArchTable, modelId);
    }

    /**
     * MADlib's hyperband_schedule: the bracket table of Hyperband with these parameters (s, i, n_i, r_i per round),
     * also written to {@code outputTable} when given (columns s, i, n_i, r_i, as MADlib's schedule table).
     *
     * @throws IllegalArgumentException for parameters MADlib refuses, or an output table that exists
     */
    public List<HyperbandSchedule.Round> hyperbandSchedule(int maxIterations, int eta, int skipLast, Optional<String> outputTable) {
        HyperbandSchedule schedule = new HyperbandSchedule(maxIterations, eta, skipLast);
        List<HyperbandSchedule.Round> rounds = schedule.table();
        if (outputTable.isPresent()) {
            String table = TableNames.requireIdentifier("--output-table", outputTable.get());
            if (store.exists(table)) {
                throw new IllegalArgumentException("--output-table '" + table + "' already exists; drop it with `hopper table drop " + table
                        + "` or choose another name");
            }
            store.write(table, HyperbandSchedule.SCHEDULE_TABLE, rounds.stream().map(HyperbandSchedule.Round::toRow).toList());
        }
        return rounds;
    }

    /**
     * Writes the HTML report of a fit or of an automl search (leaderboard, learning curves, schedule; for a search
     * also where each configuration stopped and the promotions) to {@code out}, or to {@link #defaultReportPath} when
     * empty.
     *
     * @return the file written
     */
    public Path report(String modelTable, Optional<Path> out) {
        Path file = out.orElseGet(() -> defaultReportPath(modelTable));
        return SearchRecord.isSearch(store, modelTable) ? HtmlReport.write(SearchRecord.read(store, modelTable), file)
                : HtmlReport.write(FitRecord.read(store, modelTable), file);
    }

    /**
     * Where a report goes by default: {@code <store>/html-reports/O.html} for a directory store (a directory name
     * that is never a table's), {@code ./hopper-reports/O.html} otherwise.
     */
    public Path defaultReportPath(String modelTable) {
        Path dir = store instanceof FileStore files ? files.root().resolve("html-reports") : Path.of("hopper-reports");
        return dir.resolve(modelTable + ".html");
    }

    /**
     * MADlib's madlib_keras_automl (Hyperband) and Hopper's ASHA and random search: draws configurations from the
     * grids, trains them in one fit session, stopping the weak ones early, and writes O, O_info, O_summary, O_schedule.
     * Progress goes to stderr when it is a terminal.
     */
    public AutomlResult automl(AutomlSpec spec) {
        return automl(spec, consoleProgress());
    }

    /** {@link #automl(AutomlSpec)} reporting the progress to the given listener. */
    public AutomlResult automl(AutomlSpec spec, ProgressListener listener) {
        return new AutoMl(store, spec, listener).run();
    }

    /** {@link #automl(AutomlSpec, ProgressListener)} on the engine {@code engines} starts (e.g. Spark's). */
    public AutomlResult automl(AutomlSpec spec, ProgressListener listener, EngineFactory engines) {
        return new AutoMl(store, spec, listener, engines).run();
    }

    /** Progress on stderr when it is a terminal, else none. */
    private static ProgressListener consoleProgress() {
        return ConsoleProgress.stderrIsTerminal() ? ConsoleProgress.onStderr() : ProgressListener.NONE;
    }

    /** {@link #fitMultipleModel(FitSpec, ProgressListener)} on the engine {@code engines} starts (e.g. Spark's). */
    public FitResult fitMultipleModel(FitSpec spec, ProgressListener listener, EngineFactory engines) {
        return new FitMultipleModel(store, spec, listener, engines).run();
    }

    @Override
    public void close() {
        store.close();
    }
}
