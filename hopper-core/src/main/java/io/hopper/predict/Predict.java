package io.hopper.predict;

import io.hopper.data.RawRows;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * MADlib's madlib_keras_predict: reads raw rows, divides X by the training's normalizing constant, runs the chosen
 * model and writes one row per (row, kept class): id, class_name, class_value, prob, rank.
 *
 * <p>A model of several inputs reads one X group per input (the training's groups unless given); a model of several
 * outputs writes one set of rows per output, in its output order, whose class_name is that output's dependent
 * variable (MADlib 1.20's layout): the output table's columns are the same for every model.
 *
 * <p>The rows are split into as many contiguous partitions as there are workers; each worker thread builds its own
 * {@link KerasPredictor} and predicts its partition. The output is in source row order and, within a row, by rank
 * (probability descending, ties by class index), so it does not depend on the number of workers.
 */
public final class Predict {
    /**
     * The output table: MADlib's columns; id keeps an INT or BIGINT id column's type and is TEXT otherwise (CSV ids
     * are text, so "007" stays "007").
     */
    public static Schema output(ColumnType idType) {
        return Schema.of(
                "id", idType,
                "class_name", ColumnType.TEXT,
                "class_value", ColumnType.TEXT,
                "prob", ColumnType.DOUBLE,
                "rank", ColumnType.INT);
    }

    private final Store store;

    /** Predict over tables of {@code store}. */
    public Predict(Store store) {
        this.store = store;
    }

    /**
     * Runs predict and writes the output table.
     *
     * @return the number of rows written
     * @throws IllegalArgumentException for bad input, before the output table is written
     */
    public long run(PredictSpec spec) {
        requireNew(spec.outputTable());
        ChosenModel model = ChosenModel.read(store, spec.modelTable(), spec.mstKey());
        return write(model, "model table '" + spec.modelTable() + "'", spec.testSource(), spec.idCol(),
                spec.independentVarnames().orElse(model.inputGroups()), spec.outputTable(), spec.predType(), spec.workers());
    }

    /**
     * Runs MADlib's predict_byom: the architecture table's model with its loaded weights, the given class values and
     * normalizing constant; writes the same table as {@link #run(PredictSpec)} with class_name
     * {@value PredictByomSpec#DEPENDENT_VAR}.
     *
     * @return the number of rows written
     * @throws IllegalArgumentException for bad input (a model without weights among it), before the output table is
     *     written
     */
    public long runByom(PredictByomSpec spec) {
        requireNew(spec.outputTable());
        ChosenModel model = ChosenModel.fromArchitecture(store, spec.modelArchTable(), spec.modelId(), spec.classValues(), spec.normalizingConst());
        return write(model, "model_id " + spec.modelId() + " of '" + spec.modelArchTable() + "'", spec.testSource(), spec.idCol(),
                List.of(spec.independentVarname()), spec.outputTable(), spec.predType(), spec.workers());
    }

    private void requireNew(String outputTable) {
        if (store.exists(outputTable)) {
            throw new IllegalArgumentException("--output-table '" + outputTable + "' already exists; drop it with `hopper table drop "
                    + outputTable + "` or choose another name");
        }
    }

    private long write(ChosenModel model, String what, io.hopper.data.SourceSpec source, String idCol, List<String> independentVarnames,
                       String outputTable, PredType predType, int workers) {
        List<ChosenModel.Output> outputs = model.outputs();
        int fewest = outputs.stream().mapToInt(o -> o.classValues().size()).min().orElseThrow();
        if (predType.kind() == PredType.Kind.TOP_K && predType.topK() > fewest) {
            throw new IllegalArgumentException("--pred-type " + predType.topK() + " is more than the " + fewest
                    + " classes of " + what + (outputs.size() > 1 ? " (its smallest output)" : "") + "; use k <= " + fewest);
        }
        int inputs = KerasArchitecture.parse(model.archJson()).inputShapes().size();
        if (independentVarnames.size() != inputs) {
            throw new IllegalArgumentException("--independent-varname: " + independentVarnames.size() + " groups " + independentVarnames
                    + " but " + what + " has " + inputs + " inputs; give one --independent-varname group per input, in the model's order");
        }
        RawRows rows = RawRows.read(source, store, idCol, independentVarnames, model.normalizingConst());
        List<float[]> probs = outputs(model, rows, workers);
        List<Row> out = new ArrayList<>();
        for (int r = 0; r < rows.rows(); r++) {
            for (int o = 0; o < outputs.size(); o++) {
                ChosenModel.Output output = outputs.get(o);
                int classes = output.classValues().size();
                float[] p = probs.get(o);
                int base = r * classes;
                Integer[] order = new Integer[classes];
                float[] sorted = new float[classes];
                for (int c = 0; c < classes; c++) {
                    order[c] = c;
                }
                Arrays.sort(order, (a, b) -> Float.compare(p[base + b], p[base + a]));
                for (int c = 0; c < classes; c++) {
                    sorted[c] = p[base + order[c]];
                }
                int keep = predType.keep(sorted);
                for (int k = 0; k < keep; k++) {
                    out.add(Row.of(rows.id(r), output.dependentVarname(), output.classValues().get(order[k]), (double) sorted[k], k + 1));
                }
            }
        }
        store.write(outputTable, output(rows.idType()), out);
        return out.size();
    }

    /** Every row's outputs of a single-output model, row-major, computed by {@code workers} threads. */
    static float[] probabilities(ChosenModel model, RawRows rows, int workers) {
        return outputs(model, rows, workers).get(0);
    }

    /** Every row's values of each output, row-major, computed by {@code workers} threads over contiguous partitions of the rows. */
    static List<float[]> outputs(ChosenModel model, RawRows rows, int workers) {
        int n = rows.rows();
        int parts = Math.min(workers, n);
        ExecutorService pool = Executors.newFixedThreadPool(parts, r -> {
            Thread t = new Thread(r, "hopper-predict");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<float[]>>> futures = new ArrayList<>();
            for (int p = 0; p < parts; p++) {
                int from = (int) ((long) n * p / parts);
                int to = (int) ((long) n * (p + 1) / parts);
                futures.add(pool.submit(() -> {
                    try (KerasPredictor predictor = new KerasPredictor(model.archJson(), model.kerasWeights())) {
                        checkShape(predictor, rows, model);
                        return predictor.predictAll(rows.xs(), rows.sampleShapes(), from, to);
                    }
                }));
            }
            List<ChosenModel.Output> outputs = model.outputs();
            List<float[]> all = new ArrayList<>();
            for (ChosenModel.Output o : outputs) {
                all.add(new float[n * o.classValues().size()]);
            }
            int[] at = new int[outputs.size()];
            for (Future<List<float[]>> f : futures) {
                List<float[]> part = get(f);
                for (int o = 0; o < outputs.size(); o++) {
                    System.arraycopy(part.get(o), 0, all.get(o), at[o], part.get(o).length);
                    at[o] += part.get(o).length;
                }
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void checkShape(KerasPredictor predictor, RawRows rows, ChosenModel model) {
        if (!predictor.accepts(rows.sampleShapes())) {
            boolean one = rows.sampleShapes().size() == 1;
            throw new IllegalArgumentException("--independent-varname: the rows' X has shape " + (one ? rows.sampleShape() : rows.sampleShapes())
                    + " but model " + model.mstKey() + " of '" + model.modelTable() + "' takes "
                    + (one ? predictor.sampleShape() : predictor.sampleShapes()) + "; name the same X columns as in training");
        }
        List<Integer> recorded = model.outputs().stream().map(o -> o.classValues().size()).toList();
        if (!predictor.outputClasses().equals(recorded)) {
            throw new IllegalStateException("model " + model.mstKey() + " of '" + model.modelTable() + "' has outputs of "
                    + predictor.outputClasses() + " values but its summary records " + recorded + " classes; the table is inconsistent");
        }
    }

    private static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("predict: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("predict: a worker failed: " + e.getCause(), e.getCause());
        }
    }
}
