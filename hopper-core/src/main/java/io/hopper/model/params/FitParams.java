package io.hopper.model.params;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Parsed fit_params: what Keras's {@code model.fit(...)} receives for one hop in MADlib.
 *
 * @param batchSize samples per gradient step (Keras default 32)
 * @param epochs passes over the partition per hop (default 1)
 * @param verbose Keras's verbosity, kept for compatibility
 * @param shuffle whether samples are shuffled before each epoch (default true)
 * @param classWeight weight per class index, empty when absent
 * @param initialEpoch Keras's initial_epoch (default 0)
 * @param stepsPerEpoch Keras's steps_per_epoch, if given
 * @param tensorBoardLogDir the log_dir of a TensorBoard callback, if given
 */
public record FitParams(int batchSize, int epochs, int verbose, boolean shuffle, Map<Integer, Double> classWeight,
                        int initialEpoch, OptionalInt stepsPerEpoch, Optional<String> tensorBoardLogDir) {
    /** Validates and copies. */
    public FitParams {
        if (batchSize < 1) {
            throw new IllegalArgumentException("fit_params: batch_size=" + batchSize + " must be a positive integer");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("fit_params: epochs=" + epochs + " must be a positive integer");
        }
        classWeight = Map.copyOf(classWeight);
        Objects.requireNonNull(stepsPerEpoch, "stepsPerEpoch");
        Objects.requireNonNull(tensorBoardLogDir, "tensorBoardLogDir");
    }

    /** Keras's defaults: batch_size 32, epochs 1, shuffle. */
    public static FitParams defaults() {
        return new FitParams(32, 1, 0, true, Map.of(), 0, OptionalInt.empty(), Optional.empty());
    }
}
