package io.hopper.cli;

import io.hopper.predict.PredType;
import io.hopper.predict.PredictByomSpec;
import io.hopper.predict.PredictSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Optional;

/**
 * {@code hopper predict-byom}: MADlib's madlib_keras_predict_byom, predict with an architecture table's model and its
 * loaded weights; writes id, class_name, class_value, prob, rank.
 */
@Command(name = "predict-byom", sortOptions = false, showDefaultValues = true,
        description = "Class probabilities of raw rows from an architecture table's model with loaded weights, no fit (MADlib's madlib_keras_predict_byom).")
final class PredictByomCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "The architecture table of load-keras-model.")
    String modelArchTable;

    @Option(names = "--model-id", required = true, paramLabel = "N", description = "The architecture; it must have weights (load-keras-model --model-weights).")
    int modelId;

    @Option(names = "--test-table", required = true, paramLabel = "T", description = "Raw rows: a table name or csv:PATH.")
    String testTable;

    @Option(names = "--id-col", required = true, paramLabel = "ID", description = "The column that identifies a row.")
    String idCol;

    @Option(names = "--independent-varname", required = true, paramLabel = "X",
            description = "The feature columns (comma-separated, or one array column).")
    String independentVarname;

    @Option(names = "--output-table", required = true, paramLabel = "P", description = "The table to write.")
    String outputTable;

    @Option(names = "--pred-type", defaultValue = "prob", paramLabel = "prob|response|K|V",
            description = "prob: every class; response: the top class; an integer K: the top K; a number V: classes with prob > V.")
    String predType;

    @Option(names = "--class-values", split = ",", paramLabel = "V,...",
            description = "The class of each model output, in order (default: the output indexes 0..n-1).")
    List<String> classValues;

    @Option(names = "--normalizing-const", defaultValue = "1.0", paramLabel = "C", description = "X is divided by it before the model.")
    double normalizingConst;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads over partitions of the rows (default: cores).")
    Integer workers;

    @Override
    public void run() {
        long rows = root.hopper().predictByom(new PredictByomSpec(modelArchTable, modelId, PredictSpec.testSource(testTable), idCol,
                independentVarname, outputTable, PredType.parse(predType), Optional.ofNullable(classValues), normalizingConst,
                workers == null ? PredictSpec.defaultWorkers() : workers));
        root.out().println("wrote " + rows + " rows to " + outputTable);
    }
}
