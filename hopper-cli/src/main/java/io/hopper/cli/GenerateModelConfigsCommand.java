package io.hopper.cli;

import io.hopper.api.GenerateConfigsSpec;
import io.hopper.model.params.MstEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * {@code hopper generate-model-configs}: MADlib's generate_model_configs (grid or random search over parameter grids).
 */
@Command(name = "generate-model-configs", sortOptions = false,
        description = "Add configurations drawn from compile and fit parameter grids to a model selection (mst) table.")
final class GenerateModelConfigsCommand implements Runnable {
    @ParentCommand
    HopperCli root;

    @Option(names = "--model-arch-table", required = true, paramLabel = "A", description = "The architecture table.")
    String archTable;

    @Option(names = "--model-selection-table", required = true, paramLabel = "M",
            description = "The mst table: created, or appended to when it exists and refers to the same architecture table.")
    String mstTable;

    @Option(names = "--model-id-list", required = true, split = ",", paramLabel = "ID", description = "Model ids, comma-separated.")
    List<Integer> modelIds;

    @Option(names = "--compile-params-grid", required = true, paramLabel = "DICT",
            description = "A dict of lists, e.g. \"{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
                    + "[{'optimizer': ['Adam'], 'lr': [0.0001, 0.1, 'log']}], 'metrics': ['accuracy']}\".")
    String compileParamsGrid;

    @Option(names = "--fit-params-grid", required = true, paramLabel = "DICT",
            description = "A dict of lists, e.g. \"{'batch_size': [8, 32], 'epochs': [1]}\".")
    String fitParamsGrid;

    @Option(names = "--search-type", paramLabel = "TYPE", defaultValue = "grid",
            description = "grid (every combination) or random (--num-configs draws) (default: ${DEFAULT-VALUE}).")
    GenerateConfigsSpec.SearchType searchType;

    @Option(names = "--num-configs", paramLabel = "N", description = "Random search: how many configurations to draw (required there).")
    Integer numConfigs;

    @Option(names = "--random-state", paramLabel = "S",
            description = "Random search: the seed of the draws (default: " + GenerateConfigsSpec.DEFAULT_RANDOM_STATE + ").")
    Long randomState;

    @Override
    public void run() {
        List<MstEntry> added = root.hopper().generateModelConfigs(new GenerateConfigsSpec(archTable, mstTable, modelIds,
                compileParamsGrid, fitParamsGrid, searchType,
                numConfigs == null ? OptionalInt.empty() : OptionalInt.of(numConfigs),
                randomState == null ? OptionalLong.empty() : OptionalLong.of(randomState)));
        root.out().println("added " + added.size() + " configurations to " + mstTable
                + (added.isEmpty() ? "" : " (mst_key " + added.get(0).mstKey() + ".." + added.get(added.size() - 1).mstKey() + ")"));
    }
}
