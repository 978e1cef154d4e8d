package io.hopper.predict;

import io.hopper.data.PackedSummary;
import io.hopper.data.PackedTables;
import io.hopper.engine.Engine;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitTask;
import io.hopper.engine.local.LocalEngine;
import io.hopper.fit.InfoRow;
import io.hopper.fit.OutputTables;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.EvalResult;
import io.hopper.mop.Placement;
import io.hopper.mop.Unit;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * MADlib's madlib_keras_evaluate: the loss and metric of one model over a packed test table, computed as eval units
 * on an engine's workers (the local engine by default), one per partition of the test table, and combined in
 * partition order.
 *
 * <p>For a model of several outputs, loss is Keras's total (the outputs' losses weighted by loss_weights and summed)
 * and metric the mean of the outputs' metrics; the output table then has {@link #OUTPUT_MULTI}'s columns, which add
 * each output's name, loss and metric in the model's output order. A single-output model's table is {@link #OUTPUT}.
 */
public final class Evaluate {
    /** The output table: MADlib's columns. */
    public static final Schema OUTPUT = Schema.of(
            "loss", ColumnType.DOUBLE,
            "metric", ColumnType.DOUBLE,
            "metrics_type", ColumnType.TEXT_ARRAY,
            "loss_type", ColumnType.TEXT);

    /** The output table of a model of several outputs: {@link #OUTPUT}'s columns and each output's values. */
    public static final Schema OUTPUT_MULTI = Schema.of(
            "loss", ColumnType.DOUBLE,
            "metric", ColumnType.DOUBLE,
            "metrics_type", ColumnType.TEXT_ARRAY,
            "loss_type", ColumnType.TEXT,
            "output_names", ColumnType.TEXT_ARRAY,
            "output_losses", ColumnType.DOUBLE_ARRAY,
            "output_metrics", ColumnType.DOUBLE_ARRAY);

    private final Store store;
    private final EngineFactory engines;

    /** Evaluate over tables of {@code store} on the embedded engine ({@link LocalEngine}). */
    public Evaluate(Store store) {
        this(store, LocalEngine::new);
    }

    /** Evaluate over tables of {@code store} on the engine {@code engines} starts. */
    public Evaluate(Store store, EngineFactory engines) {
        this.store = store;
        this.engines = engines;
    }

    /**
     * Runs evaluate and writes the one-row output table.
     *
     * @return the loss, metric and sample count
     * @throws IllegalArgumentException for bad input, before any work
     */
    public EvalResult run(EvaluateSpec spec) {
        if (store.exists(spec.outputTable())) {
            throw new IllegalArgumentException("--output-table '" + spec.outputTable() + "' already exists; drop it with `hopper table drop "
                    + spec.outputTable() + "` or choose another name");
        }
        ChosenModel model = ChosenModel.read(store, spec.modelTable(), spec.mstKey());
        PackedSummary test = testSummary(spec.testTable(), model);
        CompileParams compile = compileParams(spec.modelTable(), model.mstKey());
        ModelSpec modelSpec = new ModelSpec(model.archJson(), compile, FitParams.defaults());
        int partitions = test.partitions();
        Placement placement = Placement.roundRobin(partitions, Math.min(spec.workers(), partitions));
        List<EvalResult> parts = new ArrayList<>();
        try (Engine engine = engines.start(store, placement, false)) {
            List<CompletableFuture<UnitResult>> futures = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                futures.add(engine.submit(new UnitTask(new Unit(model.mstKey(), p, 1), Phase.EVAL, spec.testTable(), modelSpec,
                        model.state(), 0L)));
            }
            for (CompletableFuture<UnitResult> f : futures) {
                UnitResult r = join(f);
                parts.add(r.eval());
            }
        }
        EvalResult all = EvalResult.combine(parts);
        if (all.samples() == 0) {
            throw new IllegalArgumentException("--test-table '" + spec.testTable() + "' holds no rows; pack a test set with rows");
        }
        Double metric = all.metric().isPresent() ? all.metric().getAsDouble() : null;
        List<String> metricsType = compile.metricName().map(List::of).orElse(null);
        List<String> outputNames = KerasArchitecture.parse(model.archJson()).outputNames();
        if (outputNames.size() == 1) {
            store.write(spec.outputTable(), OUTPUT, List.of(Row.of(all.loss(), metric, metricsType, compile.loss().kerasName())));
        } else {
            store.write(spec.outputTable(), OUTPUT_MULTI, List.of(Row.of(all.loss(), metric, metricsType, compile.loss().kerasName(),
                    outputNames, all.outputLosses(), all.metric().isPresent() ? all.outputMetrics() : null)));
        }
        return all;
    }

    private PackedSummary testSummary(String table, ChosenModel model) {
        if (!store.exists(table) || !PackedTables.isPacked(store.schema(table)) || !store.exists(PackedTables.summaryTable(table))) {
            throw new IllegalArgumentException("--test-table '" + table + "' " + (store.exists(table) ? "is not a packed table" : "does not exist")
                    + "; pack the test rows with `hopper preprocess-validation --training-preprocessor-table` of the training table");
        }
        PackedSummary s = PackedTables.readSummary(store, table);
        KerasArchitecture arch = KerasArchitecture.parse(model.archJson());
        if (s.multiIo() || arch.inputShapes().size() > 1 || arch.outputShapes().size() > 1) {
            arch.requireFits(s, "model " + model.mstKey() + " of '" + model.modelTable() + "'");
        }
        List<ChosenModel.Output> outputs = model.outputs();
        for (int k = 0; k < outputs.size(); k++) {
            PackedSummary.Output o = s.outputs().get(k);
            List<String> trained = outputs.get(k).classValues();
            List<String> classes = o.classValues();
            boolean sameClasses = o.numClasses() == trained.size() && classes.size() <= o.numClasses()
                    && (classes.isEmpty() || trained.subList(0, classes.size()).equals(classes));
            if (!sameClasses || s.normalizingConst() != model.normalizingConst()) {
                throw new IllegalArgumentException("--test-table '" + table + "' was packed with " + o.numClasses() + " classes " + classes
                        + (outputs.size() > 1 ? " for output " + k + " ('" + o.varname() + "')" : "")
                        + " and normalizing const " + s.normalizingConst() + " but model table '" + model.modelTable() + "' was trained with "
                        + trained.size() + " classes and constant " + model.normalizingConst()
                        + "; pack it with `hopper preprocess-validation --training-preprocessor-table` of the training table");
            }
        }
        return s;
    }

    private CompileParams compileParams(String modelTable, int mstKey) {
        for (InfoRow r : OutputTables.readInfos(store, modelTable)) {
            if (r.mstKey() == mstKey) {
                return ParamParser.parseCompile(r.compileParams());
            }
        }
        throw new IllegalStateException("model table '" + modelTable + "': mst_key " + mstKey + " has no row in "
                + OutputTables.info(modelTable) + "; the tables are inconsistent, rerun the fit");
    }

    private static UnitResult join(CompletableFuture<UnitResult> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("evaluate: a worker failed: " + e.getCause(), e.getCause());
        }
    }
}
