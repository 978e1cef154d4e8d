package io.hopper.fit;

import io.hopper.store.Row;
import io.hopper.store.Schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of O_info, typed: a configuration's settings, learning curves and status; {@link #toRow()} and
 * {@link #fromRow} are O_info's one codec (the *_final columns are the curves' last values, NaN for an empty curve).
 *
 * @param mstKey the configuration
 * @param modelId its architecture
 * @param compileParams MADlib's compile_params string
 * @param fitParams MADlib's fit_params string
 * @param modelSize the weights' size in KiB
 * @param elapsedSeconds seconds since the fit started at each metrics point
 * @param metricType the metric's Keras name, empty when compiled without one
 * @param lossType the loss's Keras name
 * @param trainingLoss at each metrics point
 * @param trainingMetric at each metrics point, empty without a metric
 * @param validationLoss at each metrics point, empty without a validation table
 * @param validationMetric at each metrics point, empty without a validation table or a metric
 * @param status {@code ok} or {@code diverged at iteration N}
 * @param perOutput a multi-output model's final values per output ({@link OutputTables#INFO_MULTI_OUTPUT}'s extra
 *     columns); empty for a single-output model
 */
public record InfoRow(int mstKey, int modelId, String compileParams, String fitParams, double modelSize,
                      List<Double> elapsedSeconds, Optional<String> metricType, String lossType, List<Double> trainingLoss,
                      Optional<List<Double>> trainingMetric, Optional<List<Double>> validationLoss,
                      Optional<List<Double>> validationMetric, String status, Optional<PerOutput> perOutput) {
    /**
     * A multi-output model's losses and metrics of each output at the last metrics point (NaN where not computed), in
     * the model's output order; the totals (training_loss: Keras's weighted sum; training_metrics: the outputs' mean)
     * stay in the curves.
     *
     * @param names the output layers' names
     * @param trainingLoss each output's unweighted training loss
     * @param trainingMetric each output's training metric, empty without a metric
     * @param validationLoss each output's validation loss, empty without a validation table
     * @param validationMetric each output's validation metric, empty without a validation table or a metric
     */
    public record PerOutput(List<String> names, List<Double> trainingLoss, List<Double> trainingMetric, List<Double> validationLoss,
                            List<Double> validationMetric) {
        /** Copies the lists. */
        public PerOutput {
            names = List.copyOf(names);
            trainingLoss = List.copyOf(trainingLoss);
            trainingMetric = List.copyOf(trainingMetric);
            validationLoss = List.copyOf(validationLoss);
            validationMetric = List.copyOf(validationMetric);
        }

        private List<Object> values() {
            return java.util.Arrays.asList(names, trainingLoss, trainingMetric.isEmpty() ? null : trainingMetric,
                    validationLoss.isEmpty() ? null : validationLoss, validationMetric.isEmpty() ? null : validationMetric);
        }

        private static Optional<PerOutput> fromRow(Row r, Schema schema) {
            if (!schema.has("output_names")) {
                return Optional.empty();
            }
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) r.get(schema.indexOf("output_names"));
            if (names == null) {
                return Optional.empty();
            }
            return Optional.of(new PerOutput(names, doubles(r, schema, "training_loss_per_output_final").orElse(List.of()),
                    doubles(r, schema, "training_metrics_per_output_final").orElse(List.of()),
                    doubles(r, schema, "validation_loss_per_output_final").orElse(List.of()),
                    doubles(r, schema, "validation_metrics_per_output_final").orElse(List.of())));
        }
    }

    /** A single-output model's row. */
    public InfoRow(int mstKey, int modelId, String compileParams, String fitParams, double modelSize, List<Double> elapsedSeconds,
                   Optional<String> metricType, String lossType, List<Double> trainingLoss, Optional<List<Double>> trainingMetric,
                   Optional<List<Double>> validationLoss, Optional<List<Double>> validationMetric, String status) {
        this(mstKey, modelId, compileParams, fitParams, modelSize, elapsedSeconds, metricType, lossType, trainingLoss, trainingMetric,
                validationLoss, validationMetric, status, Optional.empty());
    }
    /** Validates and copies (NaN stays NaN). */
    public InfoRow {
        Objects.requireNonNull(compileParams, "compileParams");
        Objects.requireNonNull(fitParams, "fitParams");
        Objects.requireNonNull(lossType, "lossType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(metricType, "metricType");
        elapsedSeconds = List.copyOf(elapsedSeconds);
        trainingLoss = List.copyOf(trainingLoss);
        trainingMetric = trainingMetric.map(List::copyOf);
        validationLoss = validationLoss.map(List::copyOf);
        validationMetric = validationMetric.map(List::copyOf);
        Objects.requireNonNull(perOutput, "perOutput");
    }

    /** The row in {@link OutputTables#INFO}'s column order, or {@link OutputTables#INFO_MULTI_OUTPUT}'s with per-output values. */
    public Row toRow() {
        return toRow(perOutput.isPresent());
    }

    /** The row with {@link OutputTables#INFO_MULTI_OUTPUT}'s columns when asked (NULL per-output values when it has none), else {@link OutputTables#INFO}'s. */
    public Row toRow(boolean multiOutput) {
        List<Object> values = values();
        if (multiOutput) {
            values.addAll(perOutput.map(PerOutput::values).orElse(java.util.Arrays.asList(null, null, null, null, null)));
        }
        return Row.of(values);
    }

    /** The values in {@link OutputTables#INFO}'s column order (a search appends its own columns). */
    public List<Object> values() {
        return new ArrayList<>(java.util.Arrays.asList(mstKey, modelId, compileParams, fitParams, OutputTables.MODEL_TYPE,
                modelSize, elapsedSeconds, metricType.map(List::of).orElse(null), lossType,
                trainingMetric.map(InfoRow::last).orElse(null), last(trainingLoss), trainingMetric.orElse(null), trainingLoss,
                validationMetric.map(InfoRow::last).orElse(null), validationLoss.map(InfoRow::last).orElse(null),
                validationMetric.orElse(null), validationLoss.orElse(null), status));
    }

    /** The last value, NaN when there is none. */
    public static double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    /** A row of a table with {@code schema} (O_info's columns, found by name; a search's has more). */
    public static InfoRow fromRow(Row r, Schema schema) {
        @SuppressWarnings("unchecked")
        List<String> metricsType = (List<String>) r.get(schema.indexOf("metrics_type"));
        return new InfoRow((Integer) r.get(schema.indexOf("mst_key")), (Integer) r.get(schema.indexOf("model_id")),
                (String) r.get(schema.indexOf("compile_params")), (String) r.get(schema.indexOf("fit_params")),
                (Double) r.get(schema.indexOf("model_size")), doubles(r, schema, "metrics_elapsed_time").orElse(List.of()),
                metricsType == null || metricsType.isEmpty() ? Optional.empty() : Optional.of(metricsType.get(0)),
                (String) r.get(schema.indexOf("loss_type")), doubles(r, schema, "training_loss").orElse(List.of()),
                doubles(r, schema, "training_metrics"), doubles(r, schema, "validation_loss"),
                doubles(r, schema, "validation_metrics"), (String) r.get(schema.indexOf("status")), PerOutput.fromRow(r, schema));
    }

    /** A DOUBLE_ARRAY column, empty when NULL; NULL elements become NaN. */
    private static Optional<List<Double>> doubles(Row r, Schema schema, String column) {
        @SuppressWarnings("unchecked")
        List<Double> values = (List<Double>) r.get(schema.indexOf(column));
        if (values == null) {
            return Optional.empty();
        }
        List<Double> out = new ArrayList<>(values);
        Collections.replaceAll(out, null, Double.NaN);
        return Optional.of(out);
    }
}
