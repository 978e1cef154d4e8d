package io.hopper.predict;

import io.hopper.fit.OutputTables;
import io.hopper.fit.ModelRow;
import io.hopper.fit.SummaryRow;
import io.hopper.store.Store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * One model of an output model table O, chosen by mst_key with MADlib's rule, and what its training recorded in
 * O_summary: the normalizing constant, the class values and the dependent variable's name.
 *
 * @param modelTable the table O
 * @param mstKey the chosen configuration
 * @param archJson the Keras JSON of its architecture
 * @param state the whole exported training state (weights and optimizer)
 * @param kerasWeights its weights concatenated in Keras's get_weights() order and layout
 * @param dependentVarname the class column's name (class_name in predict's output)
 * @param classValues the class values in output order; the class indexes as text when the labels were one-hot
 * @param normalizingConst what the training X was divided by
 */
public record ChosenModel(String modelTable, int mstKey, String archJson, byte[] state, float[] kerasWeights,
                          String dependentVarname, List<String> classValues, double normalizingConst) {
    /**
     * Validates and copies the class values, which may hold nulls (a missing label is a class of its own; classes
     * padded beyond the distinct values have none). The arrays are not copied: nobody may modify them.
     */
    public ChosenModel {
        Objects.requireNonNull(archJson, "archJson");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(kerasWeights, "kerasWeights");
        classValues = Collections.unmodifiableList(new ArrayList<>(classValues));
        if (!(normalizingConst > 0) || classValues.isEmpty()) {
            throw new IllegalArgumentException("model table '" + modelTable + "': normalizing const " + normalizingConst + " and "
                    + classValues.size() + " classes; need a positive constant and at least one class");
        }
    }

    /**
     * Reads model {@code mstKey} of {@code modelTable}: the key is required when the table holds several models and
     * refused when it holds one.
     *
     * @throws IllegalArgumentException when the table is missing or not a model table, or the key breaks the rule or
     *     is not in the table
     */
    public static ChosenModel read(Store store, String modelTable, OptionalInt mstKey) {
        if (!store.exists(modelTable) || !OutputTables.isModelTable(store.schema(modelTable))
                || !store.exists(OutputTables.summary(modelTable))) {
            throw new IllegalArgumentException("--model-table '" + modelTable + "' " + (store.exists(modelTable)
                    ? "is not a model table of fit-multiple-model or automl (columns " + store.schema(modelTable).names() + ")"
                    : "does not exist in " + store.describe()) + "; give the output table of `hopper fit-multiple-model`");
        }
        List<ModelRow> rows = OutputTables.readModels(store, modelTable);
        TreeSet<Integer> keys = new TreeSet<>();
        rows.forEach(r -> keys.add(r.mstKey()));
        if (rows.size() > 1 && mstKey.isEmpty()) {
            throw new IllegalArgumentException("--mst-key is required: model table '" + modelTable + "' holds " + rows.size()
                    + " models (mst_key " + keys + "); pick one with --mst-key");
        }
        if (rows.size() == 1 && mstKey.isPresent()) {
            throw new IllegalArgumentException("--mst-key " + mstKey.getAsInt() + " is refused: model table '" + modelTable
                    + "' holds a single model; leave --mst-key out");
        }
        ModelRow row = rows.size() == 1 ? rows.get(0) : rows.stream().filter(r -> r.mstKey() == mstKey.getAsInt()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--mst-key " + mstKey.getAsInt() + " is not in model table '" + modelTable
                        + "' (it has mst_key " + keys + "); use one of those"));
        SummaryRow summary = OutputTables.readSummary(store, modelTable);
        List<String> recorded = summary.classValues().orElse(null);
        List<String> classValues = new ArrayList<>();
        for (int i = 0; i < summary.numClasses(); i++) {
            // Classes padded beyond the recorded values (num_classes above the distinct count) have no value.
            classValues.add(recorded == null ? Integer.toString(i) : i < recorded.size() ? recorded.get(i) : null);
        }
        return new ChosenModel(modelTable, row.mstKey(), row.modelArch(), row.modelState(), floats(row.modelWeights()),
                summary.dependentVarname(), classValues, summary.normalizingConst());
    }

    /** Little-endian float32 bytes as floats. */
    static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }
}
