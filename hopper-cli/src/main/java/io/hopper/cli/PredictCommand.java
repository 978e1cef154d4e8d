package io.hopper.cli;

import io.hopper.predict.PredType;
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

    @Mixin
    CsvOptions csv;


    @Option(names = "--model-table", required = true, paramLabel = "O", description = "The output model table of fit-multiple-model.")
    String modelTable;

    @Option(names = "--test-table", required = true, paramLabel = "T", description = "Raw rows: a table name or csv:PATH.")
    String testTable;

    @Option(names = "--id-col", required = true, paramLabel = "ID", description = "The column that identifies a row.")
    String idCol;

    @Option(names = "--independent-varname", paramLabel = "X",
            description = "The feature columns (comma-separated, or one array column; default: the training's, from O_summary); "
                    + "repeat it for a model with several inputs, one group per input in the model's order.")
    java.util.List<String> independentVarname;

    @Option(names = "--output-table", required = true, paramLabel = "P", description = "The table to write.")
    String outputTable;

    @Option(names = "--pred-type", defaultValue = "prob", paramLabel = "prob|response|K|V",
            description = "prob: every class; response: the top class; an integer K: the top K; a number V: classes with prob > V.")
    String predType;

    @Option(names = "--mst-key", paramLabel = "K|best",
            description = "The configuration, or best (lowest final validation loss, else training loss); required when O holds several models.")
    String mstKey;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads over partitions of the rows (default: cores).")
    Integer workers;

    @Override
    public void run() {
        long rows = root.hopper().predict(new PredictSpec(modelTable, csv.apply(PredictSpec.testSource(testTable)), idCol, java.util.Optional.ofNullable(independentVarname),
                outputTable, PredType.parse(predType), EvaluateCommand.key(root, modelTable, mstKey), workers == null ? PredictSpec.defaultWorkers() : workers));
        root.out().println("wrote " + rows + " rows to " + outputTable);
    }
}
