package io.hopper.model.params;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Parsed compile_params: what Keras's {@code model.compile(...)} receives in MADlib.
 *
 * <p>Two strings that mean the same settings give equal records: names are resolved to enum constants (so
 * 'acc' and 'accuracy', 'mse' and 'mean_squared_error' are the same), the optimizer holds every setting with
 * Keras's defaults filled in, and absent, None and empty lists are all the empty list.
 *
 * @param optimizer the optimizer and its settings
 * @param loss the loss
 * @param metrics at most one metric
 * @param lossWeights Keras's loss_weights, empty when absent
 * @param weightedMetrics Keras's weighted_metrics, empty when absent
 * @param topK the k of top_k_categorical_accuracy: Keras's 5, or N when the metric is written as MADlib's top_N_accuracy
 * @param sampleWeightMode Keras's sample_weight_mode ("temporal"), if given
 */
public record CompileParams(OptimizerSpec optimizer, Loss loss, List<Metric> metrics, List<Double> lossWeights,
                            List<Metric> weightedMetrics, Optional<String> sampleWeightMode, int topK) {
    /** Keras's k of top_k_categorical_accuracy. */
    public static final int KERAS_TOP_K = 5;

    /** Settings whose top-k metric, if any, uses Keras's k of 5. */
    public CompileParams(OptimizerSpec optimizer, Loss loss, List<Metric> metrics, List<Double> lossWeights,
                         List<Metric> weightedMetrics, Optional<String> sampleWeightMode) {
        this(optimizer, loss, metrics, lossWeights, weightedMetrics, sampleWeightMode, KERAS_TOP_K);
    }

    /** Validates and copies. */
    public CompileParams {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        metrics = List.copyOf(metrics);
        lossWeights = List.copyOf(lossWeights);
        weightedMetrics = List.copyOf(weightedMetrics);
        Objects.requireNonNull(sampleWeightMode, "sampleWeightMode");
        if (metrics.size() > 1) {
            throw new IllegalArgumentException("compile_params: metrics lists " + metrics.size()
                    + " metrics; MADlib allows at most one, keep one");
        }
        for (double weight : lossWeights) {
            if (!(weight >= 0 && Double.isFinite(weight))) {
                throw new IllegalArgumentException("compile_params: loss_weights entry " + weight
                        + " must be a finite number >= 0; use e.g. loss_weights=[1.0]");
            }
        }
        if (topK < 1) {
            throw new IllegalArgumentException("compile_params: top_" + topK + "_accuracy needs N >= 1; use e.g. top_3_accuracy");
        }
        if (topK != KERAS_TOP_K && !metrics.contains(Metric.TOP_K_CATEGORICAL_ACCURACY) && !weightedMetrics.contains(Metric.TOP_K_CATEGORICAL_ACCURACY)) {
            throw new IllegalArgumentException("compile_params: a top-k of " + topK + " is given without a top-k metric; use metrics=['top_"
                    + topK + "_accuracy']");
        }
        if (sampleWeightMode.isPresent() && !sampleWeightMode.get().equals("temporal")) {
            throw new IllegalArgumentException("compile_params: sample_weight_mode='" + sampleWeightMode.get()
                    + "' is not allowed; use sample_weight_mode='temporal' or leave it out");
        }
    }

    /** The single metric's name as written canonically ('top_3_accuracy' for a top-k metric with k = 3), if any. */
    public Optional<String> metricName() {
        return metric().map(this::name);
    }

    private String name(Metric m) {
        return m == Metric.TOP_K_CATEGORICAL_ACCURACY && topK != KERAS_TOP_K ? "top_" + topK + "_accuracy" : m.kerasName();
    }

    /** The single metric, if any. */
    public Optional<Metric> metric() {
        return metrics.isEmpty() ? Optional.empty() : Optional.of(metrics.get(0));
    }

    /**
     * The canonical compile_params string: keys sorted; loss, metrics and the optimizer under their canonical
     * Keras names; every optimizer setting explicit (see {@link OptimizerSpec#canonical()}); numbers as Python
     * writes floats; strings in single quotes; loss_weights, metrics, sample_weight_mode and weighted_metrics
     * left out when absent or empty. It parses back to an equal record, and equal records give equal strings.
     * Example: {@code loss='categorical_crossentropy', metrics=['accuracy'],
     * optimizer='Adam(amsgrad=False, beta_1=0.9, beta_2=0.999, decay=0.0, epsilon=1e-07, lr=0.001)'}.
     */
    public String canonical() {
        List<String> pairs = new ArrayList<>();
        pairs.add("loss=" + PyFormat.string(loss.kerasName()));
        if (!lossWeights.isEmpty()) {
            pairs.add("loss_weights=" + lossWeights.stream().map(PyFormat::number)
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        if (!metrics.isEmpty()) {
            pairs.add("metrics=" + metricList(metrics));
        }
        pairs.add("optimizer=" + PyFormat.string(optimizer.canonical()));
        sampleWeightMode.ifPresent(mode -> pairs.add("sample_weight_mode=" + PyFormat.string(mode)));
        if (!weightedMetrics.isEmpty()) {
            pairs.add("weighted_metrics=" + metricList(weightedMetrics));
        }
        return String.join(", ", pairs);
    }

    private String metricList(List<Metric> list) {
        return list.stream().map(m -> PyFormat.string(name(m))).collect(Collectors.joining(", ", "[", "]"));
    }
}
