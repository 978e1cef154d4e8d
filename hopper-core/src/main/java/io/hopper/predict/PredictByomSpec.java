package io.hopper.predict;

import io.hopper.data.SourceSpec;
import io.hopper.store.TableNames;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * MADlib's madlib_keras_predict_byom arguments: predict with an architecture table's model and its loaded weights,
 * without a fit.
 *
 * @param modelArchTable the architecture table of load-keras-model
 * @param modelId the architecture's model_id; it must have weights
 * @param testSource the raw rows: a table or {@code csv:PATH}
 * @param idCol the column that identifies a row
 * @param independentVarname X: a comma-separated list of numeric columns or one numeric-array column
 * @param outputTable the table to write; it must not exist
 * @param predType which classes to write per row
 * @param classValues the class of each output, in output order; empty: the output indexes 0..n-1 (MADlib's default)
 * @param normalizingConst what X is divided by before the model (MADlib's default 1.0)
 * @param workers how many worker threads predict over partitions of the rows
 */
public record PredictByomSpec(String modelArchTable, int modelId, SourceSpec testSource, String idCol, String independentVarname,
                              String outputTable, PredType predType, Optional<List<String>> classValues, double normalizingConst,
                              int workers) {
    /** The class_name written for every row, as MADlib names a dependent variable it does not know. */
    public static final String DEPENDENT_VAR = "dependent_var";

    /** Validates and copies the class values. */
    public PredictByomSpec {
        TableNames.requireIdentifier("--model-arch-table", modelArchTable);
        Objects.requireNonNull(testSource, "testSource");
        Objects.requireNonNull(idCol, "idCol");
        Objects.requireNonNull(independentVarname, "independentVarname");
        TableNames.requireIdentifier("--output-table", outputTable);
        Objects.requireNonNull(predType, "predType");
        classValues = classValues.map(v -> Collections.unmodifiableList(new ArrayList<>(v)));
        if (classValues.isPresent() && classValues.get().isEmpty()) {
            throw new IllegalArgumentException("--class-values is empty; give one value per model output, or leave it out for 0..n-1");
        }
        if (!(normalizingConst > 0) || Double.isInfinite(normalizingConst)) {
            throw new IllegalArgumentException("--normalizing-const " + normalizingConst + " is not a positive number; give the constant the "
                    + "model's training data was divided by (default 1.0)");
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers " + workers + " is not positive; use at least 1");
        }
    }
}
