package io.hopper.cli;

import io.hopper.model.runtime.EvalResult;
import io.hopper.predict.EvaluateSpec;
import io.hopper.predict.PredictSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * {@code hopper evaluate}: MADlib's madlib_keras_evaluate; prints the loss and metric and writes them to the output
 * table.
 */
@Command(name = "evaluate", sortOptions = false, showDefaultValues = true,
        description = "Loss and metric of a trained model over a packed test table (MADlib's madlib_keras_evaluate).")
final class EvaluateCommand implements Runnable {
    @ParentCommand
    HopperCli root;


    @Option(names = "--model-table", required = true, paramLabel = "O", description = "The output model table of fit-multiple-model.")
    String modelTable;

    @Option(names = "--test-table", required = true, paramLabel = "T",
            description = "A packed table (preprocess-validation with the training table).")
    String testTable;

    @Option(names = "--output-table", required = true, paramLabel = "E", description = "The table to write: loss, metric, metrics_type, loss_type (a model of several outputs: "
                    + "the total and mean, then output_names, output_losses, output_metrics).")
    String outputTable;

    @Option(names = "--mst-key", paramLabel = "K|best",
            description = "The configuration, or best (lowest final validation loss, else training loss); required when O holds several models.")
    String mstKey;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads (default: cores; at most the test table's partitions).")
    Integer workers;

    @Override
    public void run() {
        EvalResult r = root.hopper().evaluate(new EvaluateSpec(modelTable, testTable, outputTable, key(root, modelTable, mstKey),
                workers == null ? PredictSpec.defaultWorkers() : workers));
        root.out().println(String.format(Locale.ROOT, "loss=%.6f metric=%s samples=%d; wrote %s", r.loss(),
                r.metric().isPresent() ? String.format(Locale.ROOT, "%.6f", r.metric().getAsDouble()) : "-", r.samples(), outputTable));
    }

    /** The --mst-key of the commands that use a model: empty when left out, the best model's for "best", else the key. */
    static OptionalInt key(HopperCli root, String modelTable, String mstKey) {
        if (mstKey == null) {
            return OptionalInt.empty();
        }
        if (mstKey.strip().equalsIgnoreCase("best")) {
            return OptionalInt.of(root.hopper().bestMstKey(modelTable));
        }
        try {
            return OptionalInt.of(Integer.parseInt(mstKey.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mst-key '" + mstKey + "' is neither an mst_key nor best; give an integer key or best");
        }
    }
}
