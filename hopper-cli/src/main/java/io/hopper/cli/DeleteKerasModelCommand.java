package io.hopper.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code hopper delete-keras-model}: MADlib's delete_keras_model; the table is dropped with its last architecture. */
@Command(name = "delete-keras-model", sortOptions = false,
        description = "Remove one architecture from its table (MADlib's delete_keras_model); the table is dropped with its last one.")
final class DeleteKerasModelCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "The architecture table of load-keras-model.")
    String modelArchTable;

    @Option(names = "--model-id", required = true, paramLabel = "N", description = "The architecture to remove.")
    int modelId;

    @Override
    public void run() {
        boolean dropped = root.hopper().deleteKerasModel(modelArchTable, modelId);
        root.out().println("deleted model_id " + modelId + " from " + modelArchTable + (dropped ? "; it was the last, so the table is dropped" : ""));
    }
}
