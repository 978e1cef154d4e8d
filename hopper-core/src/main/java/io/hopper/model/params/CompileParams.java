package io.hopper.model.params;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 * @param loss the loss (with a list: the first output's; with a dict: that of the first name in sorted order)
 * @param metrics at most one metric
 * @param lossWeights Keras's loss_weights, empty when absent
 * @param weightedMetrics Keras's weighted_metrics, empty when absent
 * @param topK the k of top_k_categorical_accuracy: Keras's 5, or N when the metric is written as MADlib's top_N_accuracy
 * @param sampleWeightMode Keras's sample_weight_mode ("temporal"), if given
 * @param lossList loss given as a list, one per output in output order; empty otherwise
 * @param lossDict loss given as a dict by output name (kept sorted by name); empty otherwise
 * @param lossWeightDict loss_weights given as a dict by output name (kept sorted by name); empty otherwise
 */
public record CompileParams(OptimizerSpec optimizer, Loss loss, List<Metric> metrics, List<Double> lossWeights,
                            List<Metric> weightedMetrics, Optional<String> sampleWeightMode, List<Loss> lossList,
                            Map<String, Loss> lossDict, Map<String, Double> lossWeightDict, int topK) {
    /** Keras's k of top_k_categorical_accuracy. */
    public static final int KERAS_TOP_K = 5;

    /** Parameters with one loss and loss_weights, if any, as a list, whose top-k metric, if any, uses Keras's k of 5. */
    public CompileParams(OptimizerSpec optimizer, Loss loss, List<Metric> metrics, List<Double> lossWeights,
                         List<Metric> weightedMetrics, Optional<String> sampleWeightMode) {
        this(optimizer, loss, metrics, lossWeights, weightedMetrics, sampleWeightMode, KERAS_TOP_K);
    }

    /** Parameters with one loss and loss_weights, if any, as a list, and this k for a top-k metric. */
    public CompileParams(OptimizerSpec optimizer, Loss loss, List<Metric> metrics, List<Double> lossWeights,
                         List<Metric> weightedMetrics, Optional<String> sampleWeightMode, int topK) {
        this(optimizer, loss, metrics, lossWeights, weightedMetrics, sampleWeightMode, List.of(), Map.of(), Map.of(), topK);
    }

    /** Parameters with per-output losses or loss weights, whose top-k metric, if any, uses Keras's k of 5. */
    public CompileParams(OptimizerSpec optimizer, Loss loss, List<Metric> metrics, List<Double> lossWeights,
                         List<Metric> weightedMetrics, Optional<String> sampleWeightMode, List<Loss> lossList,
                         Map<String, Loss> lossDict, Map<String, Double> lossWeightDict) {
        this(optimizer, loss, metrics, lossWeights, weightedMetrics, sampleWeightMode, lossList, lossDict, lossWeightDict, KERAS_TOP_K);
    }

    /** Validates and copies. */
    public CompileParams {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        metrics = List.copyOf(metrics);
        lossWeights = List.copyOf(lossWeights);
        lossList = List.copyOf(lossList);
        lossDict = Collections.unmodifiableMap(new java.util.TreeMap<>(lossDict));
        lossWeightDict = Collections.unmodifiableMap(new java.util.TreeMap<>(lossWeightDict));
        if (!lossList.isEmpty() && !lossDict.isEmpty()) {
            throw new IllegalArgumentException("compile_params: loss is both a list and a dict; give one");
        }
        Loss first = !lossList.isEmpty() ? lossList.get(0) : lossDict.isEmpty() ? loss : lossDict.values().iterator().next();
        if (first != loss) {
            throw new IllegalArgumentException("compile_params: loss " + loss.kerasName() + " is not the first output's loss " + first.kerasName()
                    + "; pass the first entry of the list or dict as loss");
        }
        if (!lossWeights.isEmpty() && !lossWeightDict.isEmpty()) {
            throw new IllegalArgumentException("compile_params: loss_weights is both a list and a dict; give one");
        }
        for (double weight : lossWeightDict.values()) {
            if (!(weight >= 0 && Double.isFinite(weight))) {
                throw new IllegalArgumentException("compile_params: loss_weights entry " + weight
                        + " must be a finite number >= 0; use e.g. loss_weights={'out': 1.0}");
            }
        }
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

    /** These parameters with another optimizer (and its settings); everything else the same. */
    public CompileParams withOptimizer(OptimizerSpec other) {
        return new CompileParams(other, loss, metrics, lossWeights, weightedMetrics, sampleWeightMode, lossList, lossDict,
                lossWeightDict);
    }

    /**
     * The loss of each output of a model with these output names (Keras's rules): one loss for every output, a list
     * with one per output, or a dict naming every output.
     *
     * @throws IllegalArgumentException naming both sides when the list's length or the dict's keys do not match
     */
    public List<Loss> outputLosses(List<String> outputNames) {
        if (!lossList.isEmpty()) {
            if (lossList.size() != outputNames.size()) {
                throw new IllegalArgumentException("compile_params: loss lists " + lossList.size() + " losses but the model has "
                        + outputNames.size() + " outputs " + outputNames + "; give one loss per output");
            }
            return lossList;
        }
        if (!lossDict.isEmpty()) {
            requireNames("loss", lossDict.keySet(), outputNames);
            return outputNames.stream().map(lossDict::get).toList();
        }
        return outputNames.stream().map(n -> loss).toList();
    }

    /**
     * Each output's loss weight, or an empty list when loss_weights is absent (every output weighs 1).
     *
     * @throws IllegalArgumentException naming both sides when the list's length or the dict's keys do not match
     */
    public List<Double> outputLossWeights(List<String> outputNames) {
        if (!lossWeightDict.isEmpty()) {
            requireNames("loss_weights", lossWeightDict.keySet(), outputNames);
            return outputNames.stream().map(lossWeightDict::get).toList();
        }
        if (!lossWeights.isEmpty() && lossWeights.size() != outputNames.size()) {
            throw new IllegalArgumentException("compile_params: loss_weights has " + lossWeights.size() + " entries but the model has "
                    + outputNames.size() + " outputs " + outputNames + "; give one weight per output");
        }
        return lossWeights;
    }

    private static void requireNames(String key, java.util.Set<String> given, List<String> outputNames) {
        if (!given.equals(new java.util.HashSet<>(outputNames))) {
            throw new IllegalArgumentException("compile_params: " + key + " names outputs " + new java.util.TreeSet<>(given)
                    + " but the model's outputs are " + outputNames + "; name every output once");
        }
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
        if (!lossList.isEmpty()) {
            pairs.add("loss=" + lossList.stream().map(l -> PyFormat.string(l.kerasName())).collect(Collectors.joining(", ", "[", "]")));
        } else if (!lossDict.isEmpty()) {
            pairs.add("loss=" + new java.util.TreeMap<>(lossDict).entrySet().stream()
                    .map(e -> PyFormat.string(e.getKey()) + ": " + PyFormat.string(e.getValue().kerasName())).collect(Collectors.joining(", ", "{", "}")));
        } else {
            pairs.add("loss=" + PyFormat.string(loss.kerasName()));
        }
        if (!lossWeights.isEmpty()) {
            pairs.add("loss_weights=" + lossWeights.stream().map(PyFormat::number)
                    .collect(Collectors.joining(", ", "[", "]")));
        } else if (!lossWeightDict.isEmpty()) {
            pairs.add("loss_weights=" + new java.util.TreeMap<>(lossWeightDict).entrySet().stream()
                    .map(e -> PyFormat.string(e.getKey()) + ": " + PyFormat.number(e.getValue())).collect(Collectors.joining(", ", "{", "}")));
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
