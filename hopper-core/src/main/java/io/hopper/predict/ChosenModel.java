package io.hopper.predict;

import io.hopper.fit.Leaderboard;
import io.hopper.fit.OutputTables;
import io.hopper.fit.InfoRow;
import io.hopper.fit.ModelRow;
import io.hopper.fit.SummaryRow;
import io.hopper.model.ModelArchTable;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.store.Store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One model of an output model table O, chosen by mst_key (or the best by the leaderboard's rule), and what its training recorded in
 * O_summary: the normalizing constant, the class values and the dependent variable's name.
 *
 * @param modelTable the table O
 * @param mstKey the chosen configuration
 * @param archJson the Keras JSON of its architecture
 * @param state the whole exported training state (weights and optimizer)
 * @param kerasWeights its weights concatenated in Keras's get_weights() order and layout
 * @param dependentVarname the class column's name (class_name in predict's output)
 * @param independentVarname the training's feature columns (comma-separated, or one array column)
 * @param classValues the class values in output order; the class indexes as text when the labels were one-hot
 * @param normalizingConst what the training X was divided by
 * @param moreOutputs the model's outputs after the first (several dependent variables), each with its dependent
 *     variable and class values; empty for a single-output model
 */
public record ChosenModel(String modelTable, int mstKey, String archJson, byte[] state, float[] kerasWeights,
                          String dependentVarname, String independentVarname, List<String> classValues, double normalizingConst,
                          List<Output> moreOutputs) {
    /**
     * One output of the model.
     *
     * @param dependentVarname its dependent variable (class_name in predict's output)
     * @param classValues its class values in output order (elements may be null)
     */
    public record Output(String dependentVarname, List<String> classValues) {
        /** Copies the class values, which may hold nulls. */
        public Output {
            Objects.requireNonNull(dependentVarname, "dependentVarname");
            classValues = Collections.unmodifiableList(new ArrayList<>(classValues));
        }
    }

    /**
     * Validates and copies the class values, which may hold nulls (a missing label is a class of its own; classes
     * padded beyond the distinct values have none). The arrays are not copied: nobody may modify them.
     */
    public ChosenModel {
        Objects.requireNonNull(archJson, "archJson");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(kerasWeights, "kerasWeights");
        Objects.requireNonNull(independentVarname, "independentVarname");
        classValues = Collections.unmodifiableList(new ArrayList<>(classValues));
        moreOutputs = List.copyOf(moreOutputs);
        if (!(normalizingConst > 0) || classValues.isEmpty()) {
            throw new IllegalArgumentException("model table '" + modelTable + "': normalizing const " + normalizingConst + " and "
                    + classValues.size() + " classes; need a positive constant and at least one class");
        }
    }

    /** A single-output model. */
    public ChosenModel(String modelTable, int mstKey, String archJson, byte[] state, float[] kerasWeights, String dependentVarname,
                       String independentVarname, List<String> classValues, double normalizingConst) {
        this(modelTable, mstKey, archJson, state, kerasWeights, dependentVarname, independentVarname, classValues, normalizingConst,
                List.of());
    }

    /** Every output of the model, in its output order. */
    public List<Output> outputs() {
        List<Output> all = new ArrayList<>();
        all.add(new Output(dependentVarname, classValues));
        all.addAll(moreOutputs);
        return all;
    }

    /** The training's X groups, one per input of the model (its independent_varname, split for several inputs). */
    public List<String> inputGroups() {
        return io.hopper.data.PackedSummary.groups(independentVarname, KerasArchitecture.parse(archJson).inputShapes().size());
    }

    /**
     * Reads model {@code mstKey} of {@code modelTable}: the key is required when the table holds several models and
     * may be left out when it holds one (a key given must then name that model).
     *
     * @throws IllegalArgumentException when the table is missing or not a model table, or the key breaks the rule or
     *     is not in the table
     */
    public static ChosenModel read(Store store, String modelTable, OptionalInt mstKey) {
        requireModelTable(store, modelTable);
        List<ModelRow> rows = OutputTables.readModels(store, modelTable);
        TreeSet<Integer> keys = new TreeSet<>();
        rows.forEach(r -> keys.add(r.mstKey()));
        if (rows.size() > 1 && mstKey.isEmpty()) {
            throw new IllegalArgumentException("--mst-key is required: model table '" + modelTable + "' holds " + rows.size()
                    + " models (mst_key " + keys + "); pick one with --mst-key, or --mst-key best");
        }
        ModelRow row = mstKey.isEmpty() ? rows.get(0) : rows.stream().filter(r -> r.mstKey() == mstKey.getAsInt()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--mst-key " + mstKey.getAsInt() + " is not in model table '" + modelTable
                        + "' (it has mst_key " + keys + "); use " + (keys.size() == 1 ? "that one or leave --mst-key out" : "one of those")));
        SummaryRow summary = OutputTables.readSummary(store, modelTable);
        List<String> classValues = classes(summary.classValues().orElse(List.of()), summary.numClasses());
        int outputs = KerasArchitecture.parse(row.modelArch()).outputShapes().size();
        return new ChosenModel(modelTable, row.mstKey(), row.modelArch(), row.modelState(), floats(row.modelWeights()),
                summary.dependentVarname(), summary.independentVarname(), classValues, summary.normalizingConst(),
                outputs == 1 ? List.of() : moreOutputs(store, modelTable, summary, outputs));
    }

    /**
     * The outputs after the first of a multi-output model: O_summary records the first's classes (MADlib's columns),
     * the packed training table's summary every output's.
     */
    private static List<Output> moreOutputs(Store store, String modelTable, SummaryRow summary, int outputs) {
        String source = summary.sourceTable();
        if (!store.exists(io.hopper.data.PackedTables.summaryTable(source))) {
            throw new IllegalArgumentException("model table '" + modelTable + "' has " + outputs + " outputs whose class values are "
                    + "recorded in its training table's summary '" + io.hopper.data.PackedTables.summaryTable(source) + "', which is gone; "
                    + "repack the training table '" + source + "' as it was (same --dependent-varname columns)");
        }
        io.hopper.data.PackedSummary packed = io.hopper.data.PackedTables.readSummary(store, source);
        if (packed.outputs().size() != outputs || !packed.dependentVarname().equals(summary.dependentVarname())) {
            throw new IllegalArgumentException("model table '" + modelTable + "' has " + outputs + " outputs but its training table '"
                    + source + "' now packs " + packed.describeIo() + "; repack it as it was trained");
        }
        List<Output> more = new ArrayList<>();
        for (int k = 1; k < outputs; k++) {
            io.hopper.data.PackedSummary.Output o = packed.outputs().get(k);
            more.add(new Output(o.varname(), classes(o.classValues(), o.numClasses())));
        }
        return more;
    }

    /**
     * The class of each of {@code numClasses} outputs: the recorded values, null for classes padded beyond them
     * (num_classes above the distinct count), the class indexes as text when none were recorded (one-hot labels).
     */
    private static List<String> classes(List<String> recorded, int numClasses) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            values.add(recorded.isEmpty() ? Integer.toString(i) : i < recorded.size() ? recorded.get(i) : null);
        }
        return values;
    }

    /**
     * The best model's key: O_leaderboard's first (a fit ranks by {@link Leaderboard#order}, an automl search as it
     * searched: trained longest first); without O_leaderboard, ranked by {@link Leaderboard#order} on O_info's final
     * validation loss when the fit had a validation table, else the final training loss.
     *
     * @throws IllegalArgumentException when the table is missing or not a model table, or the best has no finite loss
     */
    public static int best(Store store, String modelTable) {
        requireModelTable(store, modelTable);
        String info = OutputTables.info(modelTable);
        if (!store.exists(info)) {
            throw new IllegalArgumentException("--mst-key best: model table '" + modelTable + "' has no " + info
                    + " to rank its models by; give the key");
        }
        Set<Integer> inModel = new TreeSet<>();
        OutputTables.readModels(store, modelTable).forEach(r -> inModel.add(r.mstKey()));
        Map<Integer, Double> loss = new TreeMap<>();
        for (InfoRow r : OutputTables.readInfos(store, modelTable)) {
            if (inModel.contains(r.mstKey())) {
                double validation = last(r.validationLoss().orElse(List.of()));
                loss.put(r.mstKey(), Double.isNaN(validation) ? last(r.trainingLoss()) : validation);
            }
        }
        List<Integer> ranked = OutputTables.readLeaderboardOrder(store, modelTable)
                .orElseGet(() -> loss.keySet().stream().sorted(Leaderboard.order(loss::get, k -> k)).toList());
        return ranked.stream().filter(loss::containsKey).findFirst().filter(k -> Double.isFinite(loss.get(k)))
                .orElseThrow(() -> new IllegalArgumentException("--mst-key best: no model of '" + modelTable
                        + "' has a finite loss in " + info + " (all diverged); give the key"));
    }

    private static double last(List<Double> values) {
        return values.isEmpty() || values.get(values.size() - 1) == null ? Double.NaN : values.get(values.size() - 1);
    }

    private static void requireModelTable(Store store, String modelTable) {
        if (!store.exists(modelTable) || !OutputTables.isModelTable(store.schema(modelTable))
                || !store.exists(OutputTables.summary(modelTable))) {
            throw new IllegalArgumentException("--model-table '" + modelTable + "' " + (store.exists(modelTable)
                    ? "is not a model table of fit-multiple-model or automl (columns " + store.schema(modelTable).names() + ")"
                    : "does not exist in " + store.describe()) + "; give the output table of `hopper fit-multiple-model`");
        }
    }

    /**
     * An architecture table's model with its loaded weights, for predict-byom (no fit: no training state, mst_key is
     * the model_id).
     *
     * @param classValues the class of each output; empty: the output indexes as text
     * @throws IllegalArgumentException when the table or id is missing, the model has no weights, its output is not
     *     [classes], or the class values do not match the outputs
     */
    public static ChosenModel fromArchitecture(Store store, String archTable, int modelId, java.util.Optional<List<String>> classValues,
                                               double normalizingConst) {
        ModelArchTable.Entry e = ModelArchTable.get(store, archTable, modelId);
        if (e.modelWeights().isEmpty()) {
            throw new IllegalArgumentException("model_id " + modelId + " of '" + archTable + "' has no weights (model_weights is NULL), so "
                    + "there is nothing to predict with; load trained weights with `hopper load-keras-model --model-weights FILE`");
        }
        KerasArchitecture arch = KerasArchitecture.parse(e.modelArch());
        if (arch.outputShapes().size() != 1 || arch.outputShapes().get(0).dimension() != 1) {
            throw new IllegalArgumentException("model_id " + modelId + " of '" + archTable + "' has outputs " + arch.outputShapes()
                    + "; predict-byom needs one output of shape [classes]");
        }
        int outputs = Math.toIntExact(arch.outputShapes().get(0).get(0));
        List<String> classes = new ArrayList<>();
        if (classValues.isPresent()) {
            if (classValues.get().size() != outputs) {
                throw new IllegalArgumentException("--class-values has " + classValues.get().size() + " values but model_id " + modelId
                        + " of '" + archTable + "' has " + outputs + " outputs; give one value per output");
            }
            classes.addAll(classValues.get());
        } else {
            for (int i = 0; i < outputs; i++) {
                classes.add(Integer.toString(i));
            }
        }
        java.nio.ByteBuffer w = e.modelWeights().get().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] weights = new float[w.remaining() / 4];
        w.asFloatBuffer().get(weights);
        return new ChosenModel(archTable, modelId, e.modelArch(), new byte[0], weights, PredictByomSpec.DEPENDENT_VAR, "", classes,
                normalizingConst);
    }

    /** Little-endian float32 bytes as floats. */
    static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
