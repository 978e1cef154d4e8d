package io.hopper.cli;

import io.hopper.api.LoadKerasModelSpec;
import io.hopper.api.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/**
 * {@code hopper load-keras-model}: MADlib's load_keras_model; prints the new model_id.
 */
@Command(name = "load-keras-model", sortOptions = false,
        description = "Store a Keras architecture (model.to_json(), a TensorFlow.js model.json or a .keras file) in an"
                + " architecture table and print its model_id.")
final class LoadKerasModelCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "The architecture table (created when missing).")
    String table;

    @Spec
    CommandSpec spec;

    @Option(names = "--model-arch", required = true, paramLabel = "FILE.json", description = "The Keras JSON document"
            + " (model.to_json(), or a TensorFlow.js model.json), or a Keras 3 .keras file (its config.json).")
    Path arch;

    @Option(names = "--model-weights", paramLabel = "FILE", description = "Initial weights: float32 little-endian in Keras get_weights() order.")
    Path weights;

    @Option(names = "--name", description = "A name for the architecture.")
    String name;

    @Option(names = "--description", description = "A description.")
    String description;

    @Override
    public void run() {
        int id = root.hopper().loadKerasModel(LoadKerasModelSpec.builder()
                .setModelArchTable(table).setModelArch(arch).optModelWeights(weights).optName(name)
                .optDescription(description).build());
        if (weights == null && ModelFiles.hasUnreadWeights(arch)) {
            spec.commandLine().getErr().println("hopper: note: read the architecture of " + arch + "; its weights (model.weights.h5)"
                    + " are not read: give --model-weights FILE (float32 in get_weights() order) to start from them");
        }
        root.out().println(id);
    }
}
