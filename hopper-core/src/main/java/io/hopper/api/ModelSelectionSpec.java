package io.hopper.api;

import io.hopper.store.TableNames;

import java.util.List;

/**
 * What {@link Hopper#loadModelSelectionTable} builds: the cross product of model ids, compile_params strings
 * and fit_params strings.
 *
 * @param modelArchTable the architecture table the model ids refer to
 * @param modelSelectionTable the new mst table
 * @param modelIds the model ids, at least one
 * @param compileParams compile_params strings, at least one
 * @param fitParams fit_params strings, at least one
 */
public record ModelSelectionSpec(String modelArchTable, String modelSelectionTable, List<Integer> modelIds,
                                 List<String> compileParams, List<String> fitParams) {
    /** Validates and copies. */
    public ModelSelectionSpec {
        TableNames.requireTable(modelArchTable);
        TableNames.requireTable(modelSelectionTable);
        modelIds = List.copyOf(modelIds);
        compileParams = List.copyOf(compileParams);
        fitParams = List.copyOf(fitParams);
        if (modelIds.isEmpty()) {
            throw new IllegalArgumentException("model id list is empty; give at least one model_id, e.g. --model-id-list 1,2");
        }
        if (compileParams.isEmpty()) {
            throw new IllegalArgumentException("compile params list is empty; give at least one --compile-params-list");
        }
        if (fitParams.isEmpty()) {
            throw new IllegalArgumentException("fit params list is empty; give at least one --fit-params-list");
        }
    }
}
