package io.hopper.fit;

import io.hopper.model.ModelSelectionTable;

import java.util.List;

/** Loads an mst table "mst" over model 1 of "arch" from whole compile_params strings. */
final class ModelSelectionTableLoader {
    private ModelSelectionTableLoader() {
    }

    static void load(FitFixture f, List<String> compileParams) {
        ModelSelectionTable.load(f.store, "arch", "mst", List.of(1), compileParams, List.of("batch_size=16, epochs=1"));
    }
}
