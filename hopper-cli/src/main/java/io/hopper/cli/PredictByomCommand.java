package io.hopper.cli;

import io.hopper.predict.PredictByomSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(names = "--independent-varname", required = true, paramLabel = "X",
            description = "The feature columns (comma-separated, or one array column).")
    String independentVarname;

    @Option(names = "--class-values", split = ",", paramLabel = "V,...",
            description = "The class of each model output, in order (default: the output indexes 0..n-1).")
    List<String> classValues;

    @Option(names = "--normalizing-const", defaultValue = "1.0", paramLabel = "C", description = "X is divided by it before the model.")
    double normalizingConst;

    @Mixin
    PredictRowOptions rows;

    @Override
    public void run() {
        long written = root.hopper().predictByom(new PredictByomSpec(modelArchTable, modelId, rows.source(), rows.idCol,
                independentVarname, rows.outputTable, rows.parsedPredType(), Optional.ofNullable(classValues), normalizingConst,
                rows.workerCount()));
        root.out().println("wrote " + written + " rows to " + rows.outputTable);
    }
}
