package io.hopper.fit;

import io.hopper.fit.MemoryEstimate;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a fit-multiple-model run produced, besides its output tables.
 *
 * @param modelOutputTable the output model table O
 * @param models one outcome per configuration, in mst_key order
 * @param memory the memory estimate checked before training
 * @param workers the number of workers
 * @param storeReads how many times a partition was read from the store
 * @param trainingSeconds wall time from the first unit to the last
 * @param metricsIters the iterations at which metrics were computed
 * @param resumed what a resumed run continued from ("resumed at iteration 4 of 10, 12 units already done (attempt
 *     2)"); empty for a run that started from scratch
 */
public record FitResult(String modelOutputTable, List<ModelOutcome> models, MemoryEstimate memory, int workers,
                        long storeReads, double trainingSeconds, List<Integer> metricsIters, String resumed) {
    /** Copies and validates. */
    public FitResult {
        Objects.requireNonNull(modelOutputTable, "modelOutputTable");
        Objects.requireNonNull(resumed, "resumed");
        models = List.copyOf(models);
        Objects.requireNonNull(memory, "memory");
        metricsIters = List.copyOf(metricsIters);
    }

    /** A result of a run that started from scratch. */
    public FitResult(String modelOutputTable, List<ModelOutcome> models, MemoryEstimate memory, int workers, long storeReads,
                     double trainingSeconds, List<Integer> metricsIters) {
        this(modelOutputTable, models, memory, workers, storeReads, trainingSeconds, metricsIters, "");
    }

    /** This result, saying what was resumed ({@code resumedAt}, empty for a new run). */
    public FitResult withResumed(String resumedAt) {
        return new FitResult(modelOutputTable, models, memory, workers, storeReads, trainingSeconds, metricsIters, resumedAt);
    }

    /**
     * The final figures of one configuration.
     *
     * @param mstKey the configuration
     * @param status {@code ok} or {@code diverged at iteration N}
     * @param trainingLoss the training loss at the last metrics iteration (NaN when diverged)
     * @param trainingMetric the training metric then, empty without a metric
     * @param validationLoss the validation loss then, empty without a validation table
     * @param validationMetric the validation metric then, empty without a metric or validation table
     */
    public record ModelOutcome(int mstKey, String status, double trainingLoss, OptionalDouble trainingMetric,
                               OptionalDouble validationLoss, OptionalDouble validationMetric) {
        /** Validates. */
        public ModelOutcome {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(trainingMetric, "trainingMetric");
            Objects.requireNonNull(validationLoss, "validationLoss");
            Objects.requireNonNull(validationMetric, "validationMetric");
        }

        /** The loss a leaderboard ranks by: validation loss when there is one, else training loss. */
        public double rankingLoss() {
            return validationLoss.orElse(trainingLoss);
        }
    }

    /**
     * The configurations ranked best first: by validation loss when the fit had a validation table, else by
     * training loss; diverged configurations come last, ties go to the smaller mst_key.
     */
    public List<ModelOutcome> leaderboard() {
        return models.stream().sorted(Leaderboard.order(ModelOutcome::rankingLoss, ModelOutcome::mstKey)).toList();
    }
}
