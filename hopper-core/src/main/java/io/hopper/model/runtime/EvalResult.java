package io.hopper.model.runtime;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The loss and metric of a model over some samples, as sample-weighted means so that partitions combine by weight.
 *
 * @param loss the mean loss per sample
 * @param metric the mean metric per sample, empty when the model was compiled without a metric
 * @param samples the number of samples the means are over
 */
public record EvalResult(double loss, OptionalDouble metric, long samples) {
    /** Validates. */
    public EvalResult {
        Objects.requireNonNull(metric, "metric");
        if (samples < 0) {
            throw new IllegalArgumentException("eval result: samples=" + samples + " must not be negative");
        }
    }

    /**
     * Combines results over disjoint sample sets into the result over their union (means weighted by samples).
     *
     * @param parts the results; all with a metric or all without
     * @return the combined result; loss NaN when there are no samples
     */
    public static EvalResult combine(List<EvalResult> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("eval results: nothing to combine; pass at least one result");
        }
        boolean withMetric = parts.get(0).metric().isPresent();
        double loss = 0;
        double metric = 0;
        long samples = 0;
        for (EvalResult part : parts) {
            if (part.metric().isPresent() != withMetric) {
                throw new IllegalArgumentException("eval results: some have a metric and some do not; combine results of one model");
            }
            if (part.samples() == 0) {
                continue;
            }
            loss += part.loss() * part.samples();
            metric += withMetric ? part.metric().getAsDouble() * part.samples() : 0;
            samples += part.samples();
        }
        double lossMean = samples == 0 ? Double.NaN : loss / samples;
        OptionalDouble metricMean = withMetric ? OptionalDouble.of(samples == 0 ? Double.NaN : metric / samples) : OptionalDouble.empty();
        return new EvalResult(lossMean, metricMean, samples);
    }
}
