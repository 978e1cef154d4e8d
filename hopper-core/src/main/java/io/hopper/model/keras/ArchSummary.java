package io.hopper.model.keras;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A Keras-style model summary: one row per layer and the parameter totals Keras reports (moving statistics and
 * weights of layers marked trainable=false count as non-trainable).
 *
 * @param modelName the model's name
 * @param rows one row per layer, in Keras's order
 * @param totalParams all weights' element count
 * @param trainableParams the element count of weights the optimizer updates
 * @param nonTrainableParams the rest
 */
public record ArchSummary(String modelName, List<Row> rows, long totalParams, long trainableParams, long nonTrainableParams) {

    /** Validates the totals and copies the rows. */
    public ArchSummary {
        Objects.requireNonNull(modelName, "modelName");
        rows = List.copyOf(rows);
        if (trainableParams < 0 || nonTrainableParams < 0 || totalParams != trainableParams + nonTrainableParams) {
            throw new IllegalArgumentException("summary: total " + totalParams + " != trainable " + trainableParams + " + non-trainable "
                    + nonTrainableParams + "; pass consistent counts");
        }
        long sum = rows.stream().mapToLong(Row::params).sum();
        if (sum != totalParams) {
            throw new IllegalArgumentException("summary: the rows hold " + sum + " params but the total is " + totalParams + "; pass consistent counts");
        }
    }

    /**
     * One layer of the summary.
     *
     * @param name the layer's name
     * @param className the layer's Keras class
     * @param outputShape the output shape as Keras prints it, e.g. {@code (None, 10)}
     * @param params the layer's weight element count
     */
    public record Row(String name, String className, String outputShape, long params) {
        /** Validates. */
        public Row {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(className, "className");
            Objects.requireNonNull(outputShape, "outputShape");
            if (params < 0) {
                throw new IllegalArgumentException("summary row " + name + ": params " + params + " is negative; pass a count");
            }
        }
    }

    /** A Keras-style text table whose last line is {@code total_params=N trainable_params=N non_trainable_params=N}. */
    public String render() {
        String rule = "_".repeat(65);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n").append(rule).append('\n');
        sb.append(String.format(Locale.ROOT, "%-29s%-26s%s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(65)).append('\n');
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(String.format(Locale.ROOT, "%-29s%-26s%,d%n", r.name() + " (" + r.className() + ")", r.outputShape(), r.params()));
            sb.append(i == rows.size() - 1 ? "=".repeat(65) : rule).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "Total params: %,d%nTrainable params: %,d%nNon-trainable params: %,d%n", totalParams,
                trainableParams, nonTrainableParams));
        sb.append(rule).append('\n');
        sb.append("total_params=").append(totalParams).append(" trainable_params=").append(trainableParams)
                .append(" non_trainable_params=").append(nonTrainableParams);
        return sb.toString();
    }
}
