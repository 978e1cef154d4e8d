package io.hopper.model.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The loss and metric of a model over some samples, as sample-weighted means so that partitions combine by weight.
 *
 * <p>For a model with several outputs, {@code loss} is Keras's total loss (the per-output losses weighted by
 * loss_weights and summed), {@code outputLosses} and {@code outputMetrics} hold each output's own values (as MADlib's
 * evaluate keeps them) and {@code metric} is the mean of the outputs' metrics.
 *
 * @param loss the mean loss per sample (the weighted total over the outputs)
 * @param metric the mean metric per sample (averaged over the outputs), empty when the model was compiled without a
 *     metric
 * @param samples the number of samples the means are over
 * @param outputLosses the mean unweighted loss of each output, in the network's output order
 * @param outputMetrics the mean metric of each output, empty when the model was compiled without a metric
 */
public record EvalResult(double loss, OptionalDouble metric, long samples, List<Double> outputLosses, List<Double> outputMetrics) {
    /** Validates and copies. */
    public EvalResult {
        Objects.requireNonNull(metric, "metric");
        outputLosses = List.copyOf(outputLosses);
        outputMetrics = List.copyOf(outputMetrics);
        if (samples < 0) {
            throw new IllegalArgumentException("eval result: samples=" + samples + " must not be negative");
        }
        if (outputLosses.isEmpty() || outputMetrics.size() != (metric.isPresent() ? outputLosses.size() : 0)) {
            throw new IllegalArgumentException("eval result: " + outputLosses.size() + " output losses and " + outputMetrics.size()
                    + " output metrics; give one loss per output and one metric per output exactly when a metric is present");
        }
    }

    /**
     * The result of a single-output model, whose only output loss and metric are the totals.
     *
     * @param loss the mean loss per sample
     * @param metric the mean metric per sample, empty without a metric
     * @param samples the number of samples
     */
    public EvalResult(double loss, OptionalDouble metric, long samples) {
        this(loss, metric, samples, List.of(loss), metric.isPresent() ? List.of(metric.getAsDouble()) : List.of());
    }

    /**
     * Combines results over disjoint sample sets into the result over their union (means weighted by samples).
     *
     * @param parts the results of one model: all with a metric or all without, all with the same number of outputs
     * @return the combined result; losses and metrics NaN when there are no samples
     */
    public static EvalResult combine(List<EvalResult> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("eval results: nothing to combine; pass at least one result");
        }
        boolean withMetric = parts.get(0).metric().isPresent();
        int outputs = parts.get(0).outputLosses().size();
        double loss = 0;
        double metric = 0;
        double[] outputLoss = new double[outputs];
        double[] outputMetric = new double[withMetric ? outputs : 0];
        long samples = 0;
        for (EvalResult part : parts) {
            if (part.metric().isPresent() != withMetric || part.outputLosses().size() != outputs) {
                throw new IllegalArgumentException("eval results: some have a metric or a number of outputs that others do not; combine results of one model");
            }
            if (part.samples() == 0) {
                continue;
            }
            loss += part.loss() * part.samples();
            metric += withMetric ? part.metric().getAsDouble() * part.samples() : 0;
            for (int k = 0; k < outputs; k++) {
                outputLoss[k] += part.outputLosses().get(k) * part.samples();
            }
            for (int k = 0; k < outputMetric.length; k++) {
                outputMetric[k] += part.outputMetrics().get(k) * part.samples();
            }
            samples += part.samples();
        }
        return new EvalResult(mean(loss, samples), withMetric ? OptionalDouble.of(mean(metric, samples)) : OptionalDouble.empty(), samples,
                means(outputLoss, samples), means(outputMetric, samples));
    }

    private static double mean(double sum, long samples) {
        return samples == 0 ? Double.NaN : sum / samples;
    }

    private static List<Double> means(double[] sums, long samples) {
        List<Double> out = new ArrayList<>(sums.length);
        for (double s : sums) {
            out.add(mean(s, samples));
        }
        return out;
    }
}
