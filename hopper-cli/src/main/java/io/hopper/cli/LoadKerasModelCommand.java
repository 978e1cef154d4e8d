package io.hopper.cli;

import io.hopper.api.LoadKerasModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;

/**
 * {@code hopper load-keras-model}: MADlib's load_keras_model; prints the new model_id.
 */
@Command(name = "load-keras-model", sortOptions = false,
        description = "Store a Keras model.to_json() architecture in an architecture table and print its model_id.")
final class LoadKerasModelCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "The architecture table (created when missing).")
    String table;

    @Option(names = "--model-arch", required = true, paramLabel = "FILE.json", description = "The Keras JSON document.")
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
        root.out().println(id);
    }
}
