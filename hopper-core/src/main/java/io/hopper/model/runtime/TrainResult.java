package io.hopper.model.runtime;

/**
 * The outcome of one training pass of a {@link TrainableModel}.
 *
 * @param meanLoss the training loss averaged over every sample of every step of the pass (each step's batch loss
 *     weighted by its batch size)
 * @param steps the number of gradient steps taken
 * @param samples the number of samples seen, counting each epoch
 */
public record TrainResult(double meanLoss, long steps, long samples) {
    /** Validates the counts. */
    public TrainResult {
        if (steps < 0 || samples < steps) {
            throw new IllegalArgumentException("train result: steps=" + steps + " and samples=" + samples
                    + " must satisfy 0 <= steps <= samples");
        }
    }
}
