package io.hopper.cli;

import io.hopper.api.ModelSelectionSpec;
import io.hopper.model.params.MstEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;

/**
 * {@code hopper load-model-selection-table}: MADlib's load_model_selection_table.
 */
@Command(name = "load-model-selection-table", sortOptions = false,
        description = "Build a model selection (mst) table: model ids x compile params x fit params, de-duplicated.")
final class LoadModelSelectionTableCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "The architecture table.")
    String archTable;

    @Option(names = "--model-selection-table", required = true, paramLabel = "M", description = "The new mst table.")
    String mstTable;

    @Option(names = "--model-id-list", required = true, split = ",", paramLabel = "ID", description = "Model ids, comma-separated.")
    List<Integer> modelIds;

    @Option(names = "--compile-params-list", required = true, paramLabel = "S",
            description = "A compile_params string; repeat for several, e.g. \"loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']\".")
    List<String> compileParams;

    @Option(names = "--fit-params-list", required = true, paramLabel = "S",
            description = "A fit_params string; repeat for several, e.g. \"batch_size=32, epochs=1\".")
    List<String> fitParams;

    @Override
    public void run() {
        List<MstEntry> rows = root.hopper().loadModelSelectionTable(
                new ModelSelectionSpec(archTable, mstTable, modelIds, compileParams, fitParams));
        root.out().println("wrote " + rows.size() + " configurations to " + mstTable);
    }
}
