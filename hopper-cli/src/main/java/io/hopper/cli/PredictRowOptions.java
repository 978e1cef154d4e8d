package io.hopper.cli;

import io.hopper.data.SourceSpec;
import io.hopper.predict.PredType;
import io.hopper.predict.PredictSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options {@code predict} and {@code predict-byom} share, as a picocli mixin: the raw rows (with their CSV
 * dialect), their id column, the output table, the pred_type and the worker threads.
 */
final class PredictRowOptions {
    @Mixin
    CsvOptions csv;

    @Option(names = "--test-table", required = true, paramLabel = "T", description = "Raw rows: a table name or csv:PATH.")
    String testTable;

    @Option(names = "--id-col", required = true, paramLabel = "ID", description = "The column that identifies a row.")
    String idCol;

    @Option(names = "--output-table", required = true, paramLabel = "P", description = "The table to write.")
    String outputTable;

    @Option(names = "--pred-type", defaultValue = "prob", paramLabel = "prob|response|K|V",
            description = "prob: every class; response: the top class; an integer K: the top K; a number V: classes with prob > V.")
    String predType;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads over partitions of the rows (default: cores).")
    Integer workers;

    /** The raw rows, read with the CSV options. */
    SourceSpec source() {
        return csv.apply(PredictSpec.testSource(testTable));
    }

    /** The parsed --pred-type. */
    PredType parsedPredType() {
        return PredType.parse(predType);
    }

    /** --workers, or one per core. */
    int workerCount() {
        return workers == null ? PredictSpec.defaultWorkers() : workers;
    }
}
