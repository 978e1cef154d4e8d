package io.hopper.engine;

import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;

import java.util.Objects;

/**
 * What a worker needs to build a configuration's model: its architecture and its compile and fit settings.
 *
 * <p>The initial weights are not part of the spec: they travel in the first state a unit carries (the driver
 * builds it from the seed and the architecture table's model_weights), so a worker only ever imports states.
 *
 * @param archJson the Keras JSON of the architecture
 * @param compile the parsed compile_params
 * @param fit the parsed fit_params
 */
public record ModelSpec(String archJson, CompileParams compile, FitParams fit) {
    /** Validates. */
    public ModelSpec {
        Objects.requireNonNull(archJson, "archJson");
        Objects.requireNonNull(compile, "compile");
        Objects.requireNonNull(fit, "fit");
    }
}
