package io.hopper.predict;

import io.hopper.data.SourceSpec;
import io.hopper.store.TableNames;

import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * MADlib's madlib_keras_predict arguments.
 *
 * @param modelTable the output model table O of a fit
 * @param testSource the raw rows: a table or {@code csv:PATH}
 * @param idCol the column that identifies a row
 * @param independentVarnames X, one group per input of the model, each a comma-separated list of numeric columns or
 *     one numeric-array column; empty for the training's (the model table's summary records them)
 * @param outputTable the table to write; it must not exist
 * @param predType which classes to write per row
 * @param mstKey the configuration, required when O holds several models and refused when it holds one
 * @param workers how many worker threads predict over partitions of the rows
 */
public record PredictSpec(String modelTable, SourceSpec testSource, String idCol, Optional<List<String>> independentVarnames,
                          String outputTable, PredType predType, OptionalInt mstKey, int workers) {
    /** Validates. */
    public PredictSpec {
        TableNames.requireIdentifier("--model-table", modelTable);
        Objects.requireNonNull(testSource, "testSource");
        Objects.requireNonNull(independentVarnames, "independentVarnames");
        independentVarnames = independentVarnames.map(List::copyOf);
        if (independentVarnames.isPresent() && independentVarnames.get().isEmpty()) {
            throw new IllegalArgumentException("--independent-varname: no group given; give one per input of the model or leave it out");
        }
        TableNames.requireIdentifier("--output-table", outputTable);
        Objects.requireNonNull(predType, "predType");
        Objects.requireNonNull(mstKey, "mstKey");
        if (workers < 1) {
            throw new IllegalArgumentException("--workers " + workers + " is not positive; use at least 1");
        }
    }

    /** A spec with X given. */
    public PredictSpec(String modelTable, SourceSpec testSource, String idCol, String independentVarname, String outputTable,
                       PredType predType, OptionalInt mstKey, int workers) {
        this(modelTable, testSource, idCol, Optional.of(List.of(independentVarname)), outputTable, predType, mstKey, workers);
    }

    /**
     * The test table argument: {@code csv:PATH} (or another source form with a colon) or a plain table name.
     *
     * @throws IllegalArgumentException when neither
     */
    public static SourceSpec testSource(String text) {
        if (text != null && text.indexOf(':') < 0) {
            if (SourceSpec.looksLikeFile(text)) {
                throw new IllegalArgumentException("--test-table '" + text + "' is not a table name but looks like a file path; did you mean csv:"
                        + text + "?");
            }
            return new SourceSpec.Table(TableNames.requireIdentifier("--test-table", text));
        }
        return SourceSpec.parse(text);
    }

    /** The default number of workers: the machine's cores. */
    public static int defaultWorkers() {
        return Runtime.getRuntime().availableProcessors();
    }
}
