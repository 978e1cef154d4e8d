package io.hopper.api;

import io.hopper.store.TableNames;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@link Hopper#generateModelConfigs} adds to a model selection table: MADlib's generate_model_configs.
 *
 * @param modelArchTable the architecture table the model ids refer to
 * @param modelSelectionTable the mst table, created or appended to
 * @param modelIds the model ids, at least one
 * @param compileParamsGrid the compile_params_grid dict literal
 * @param fitParamsGrid the fit_params_grid dict literal
 * @param searchType grid (the full product) or random (numConfigs draws)
 * @param numConfigs random search only, required there: how many configurations to draw
 * @param randomState random search only: the seed of the draws; empty = {@value #DEFAULT_RANDOM_STATE}
 */
public record GenerateConfigsSpec(String modelArchTable, String modelSelectionTable, List<Integer> modelIds,
                                  String compileParamsGrid, String fitParamsGrid, SearchType searchType,
                                  OptionalInt numConfigs, OptionalLong randomState) {

    /** The seed of random search when no random_state is given. */
    public static final long DEFAULT_RANDOM_STATE = 0;

    /** How configurations are drawn from the grids. */
    public enum SearchType {
        /** Every combination. */
        GRID,
        /** numConfigs seeded draws; distributions allowed. */
        RANDOM;

        /** The name as MADlib and the command line write it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validates and copies. */
    public GenerateConfigsSpec {
        TableNames.requireTable(modelArchTable);
        TableNames.requireTable(modelSelectionTable);
        modelIds = List.copyOf(modelIds);
        Objects.requireNonNull(compileParamsGrid, "compileParamsGrid");
        Objects.requireNonNull(fitParamsGrid, "fitParamsGrid");
        Objects.requireNonNull(searchType, "searchType");
        Objects.requireNonNull(numConfigs, "numConfigs");
        Objects.requireNonNull(randomState, "randomState");
        if (modelIds.isEmpty()) {
            throw new IllegalArgumentException("generate_model_configs: model id list is empty; give at least one model_id,"
                    + " e.g. --model-id-list 1,2");
        }
        if (searchType == SearchType.GRID && numConfigs.isPresent()) {
            throw new IllegalArgumentException("generate_model_configs: num_configs=" + numConfigs.getAsInt()
                    + " applies only to random search; drop --num-configs or use --search-type random");
        }
        if (searchType == SearchType.GRID && randomState.isPresent()) {
            throw new IllegalArgumentException("generate_model_configs: random_state=" + randomState.getAsLong()
                    + " applies only to random search; drop --random-state or use --search-type random");
        }
        if (searchType == SearchType.RANDOM && numConfigs.isEmpty()) {
            throw new IllegalArgumentException("generate_model_configs: random search needs num_configs;"
                    + " add e.g. --num-configs 20");
        }
        if (numConfigs.isPresent() && numConfigs.getAsInt() < 1) {
            throw new IllegalArgumentException("generate_model_configs: num_configs=" + numConfigs.getAsInt()
                    + " must be a positive integer; use e.g. --num-configs 20");
        }
    }

    /** The seed random search uses. */
    public long seed() {
        return randomState.orElse(DEFAULT_RANDOM_STATE);
    }
}
