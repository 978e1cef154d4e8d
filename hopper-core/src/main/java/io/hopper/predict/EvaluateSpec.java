package io.hopper.predict;

import io.hopper.store.TableNames;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * MADlib's madlib_keras_evaluate arguments.
 *
 * @param modelTable the output model table O of a fit
 * @param testTable a packed table (preprocess-training or preprocess-validation) with the training's classes
 * @param outputTable the table to write; it must not exist
 * @param mstKey the configuration, required when O holds several models and refused when it holds one
 * @param workers how many engine workers evaluate the test table's partitions; at most its partitions are used
 */
public record EvaluateSpec(String modelTable, String testTable, String outputTable, OptionalInt mstKey, int workers) {
    /** Validates. */
    public EvaluateSpec {
        TableNames.requireIdentifier("--model-table", modelTable);
        TableNames.requireIdentifier("--test-table", testTable);
        TableNames.requireIdentifier("--output-table", outputTable);
        Objects.requireNonNull(mstKey, "mstKey");
        if (workers < 1) {
            throw new IllegalArgumentException("--workers " + workers + " is not positive; use at least 1");
        }
    }
}
