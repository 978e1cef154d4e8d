package io.hopper.model.params;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Parsed compile_params: what Keras's {@code model.compile(...)} receives in MADlib.
 *
 * @param optimizer the optimizer and its settings
 * @param loss the loss
 * @param metrics at most one metric
 * @param lossWeights Keras's loss_weights, empty when absent
 * @param weightedMetrics Keras's weighted_metrics, empty when absent
 * @param sampleWeightMode Keras's sample_weight_mode, if given
 */
public record CompileParams(OptimizerSpec optimizer, Loss loss, List<Metric> metrics, List<Double> lossWeights,
                            List<Metric> weightedMetrics, Optional<String> sampleWeightMode) {
    /** Validates and copies. */
    public CompileParams {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        metrics = List.copyOf(metrics);
        lossWeights = List.copyOf(lossWeights);
        weightedMetrics = List.copyOf(weightedMetrics);
        Objects.requireNonNull(sampleWeightMode, "sampleWeightMode");
        if (metrics.size() > 1) {
            throw new IllegalArgumentException("compile_params: metrics lists " + metrics.size() + " metrics; MADlib allows at most one, keep one");
        }
    }

    /** The single metric, if any. */
    public Optional<Metric> metric() {
        return metrics.isEmpty() ? Optional.empty() : Optional.of(metrics.get(0));
    }
}
