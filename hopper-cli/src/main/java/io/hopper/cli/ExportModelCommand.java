package io.hopper.cli;

import io.hopper.predict.ModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code hopper export-model}: writes one trained model as Keras JSON, .npy weights, a manifest and a Python loader,
 * or as an ONNX file and a manifest (docs/export-format.md); prints the files.
 */
@Command(name = "export-model", sortOptions = false,
        description = "Write a trained model, loadable without Hopper: Keras JSON + .npy weights + manifest + Python loader, "
                + "or an ONNX file (opset 17) + manifest.")
final class ExportModelCommand implements Runnable {
    @ParentCommand
    HopperCli root;


    @Option(names = "--model-table", required = true, paramLabel = "O", description = "The output model table of fit-multiple-model.")
    String modelTable;

    @Option(names = "--mst-key", paramLabel = "K|best",
            description = "The configuration, or best (lowest final validation loss, else training loss); required when O holds several models.")
    String mstKey;

    @Option(names = "--out", paramLabel = "DIR",
            description = "The directory to write (created; must not hold an export; default: <store>/model-exports/O_mst<K>).")
    Path out;

    @Option(names = "--format", paramLabel = "keras|onnx", defaultValue = "keras",
            description = "keras (default): Keras JSON + .npy weights; onnx: model.onnx, which takes raw rows (it divides by the normalizing constant).")
    String format;

    @Override
    public void run() {
        List<Path> files = root.hopper().exportModel(modelTable, EvaluateCommand.key(root, modelTable, mstKey), java.util.Optional.ofNullable(out),
                ModelExport.Format.parse(format));
        files.forEach(root.out()::println);
    }
}
