package io.hopper.cli;

import io.hopper.api.Hopper;
import io.hopper.model.keras.ArchSummary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;

/**
 * {@code hopper arch-summary}: a Keras-style summary of an architecture whose last line gives the parameter counts.
 */
@Command(name = "arch-summary", sortOptions = false,
        description = "Print a Keras-style summary; the last line is total_params=N trainable_params=N non_trainable_params=N.")
final class ArchSummaryCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Either a file or a row of an architecture table. */
    static final class Source {
        @Option(names = "--model-arch", paramLabel = "FILE.json", description = "A Keras JSON file (model.to_json() or a TensorFlow.js model.json) or a .keras file.")
        Path file;

        @ArgGroup(exclusive = false)
        TableRow row;
    }

    /** An architecture table and a model id. */
    static final class TableRow {
        @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "An architecture table.")
        String table;

        @Option(names = "--model-id", required = true, paramLabel = "I", description = "The model_id in that table.")
        int modelId;
    }

    @Override
    public void run() {
        ArchSummary summary = source.file != null
                ? Hopper.archSummary(source.file)
                : root.hopper().archSummary(source.row.table, source.row.modelId);
        root.out().println(summary.render().stripTrailing());
        root.out().flush();
    }
}
