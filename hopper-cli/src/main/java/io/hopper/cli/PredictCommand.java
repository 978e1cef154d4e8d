package io.hopper.cli;

import io.hopper.predict.PredictSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hopper predict}: MADlib's madlib_keras_predict over raw rows; writes id, class_name, class_value, prob, rank.
 */
@Command(name = "predict", sortOptions = false, showDefaultValues = true,
        description = "Class probabilities of raw rows from a trained model (MADlib's madlib_keras_predict); a model of several "
                + "outputs writes one set of rows per output, class_name naming its dependent variable.")
final class PredictCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--model-table", required = true, paramLabel = "O", description = "The output model table of fit-multiple-model.")
    String modelTable;

    @Option(names = "--independent-varname", paramLabel = "X",
            description = "The feature columns (comma-separated, or one array column; default: the training's, from O_summary); "
                    + "repeat it for a model with several inputs, one group per input in the model's order.")
    java.util.List<String> independentVarname;

    @Option(names = "--mst-key", paramLabel = "K|best",
            description = "The configuration, or best (lowest final validation loss, else training loss); required when O holds several models.")
    String mstKey;

    @Mixin
    PredictRowOptions rows;

    @Override
    public void run() {
        long written = root.hopper().predict(new PredictSpec(modelTable, rows.source(), rows.idCol,
                java.util.Optional.ofNullable(independentVarname), rows.outputTable, rows.parsedPredType(),
                EvaluateCommand.key(root, modelTable, mstKey), rows.workerCount()));
        root.out().println("wrote " + written + " rows to " + rows.outputTable);
    }
}
