package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.hopper.model.params.Loss;
import io.hopper.model.params.Metric;

/**
 * Keras 2 metrics computed per sample on a network's outputs.
 *
 * <ul>
 *   <li>categorical_accuracy: 1 when argmax(p) equals argmax(y) (first index on ties, as TensorFlow);</li>
 *   <li>binary_accuracy: the mean over the last axis of (p &gt; 0.5) == y;</li>
 *   <li>top_k_categorical_accuracy (k = 5): 1 when fewer than 5 classes score strictly higher than the true class
 *       (TensorFlow's in_top_k, which counts ties at the boundary as in);</li>
 *   <li>mae, mse: as the losses.</li>
 * </ul>
 * Keras's "accuracy" means binary_accuracy when the loss is binary_crossentropy or the output has one column, and
 * categorical_accuracy otherwise ({@link #resolve}).
 */
public final class Metrics {
    /** The k of top_k_categorical_accuracy (Keras's default). */
    public static final int TOP_K = 5;

    private static final int[] LAST = {-1};

    private Metrics() {
    }

    /**
     * Resolves Keras's generic "accuracy" to the accuracy Keras 2 computes for this loss and output width.
     *
     * @param metric the compiled metric
     * @param loss the compiled loss
     * @param outputWidth the number of output columns
     * @return the metric to compute; never {@link Metric#ACCURACY}
     */
    public static Metric resolve(Metric metric, Loss loss, long outputWidth) {
        if (metric != Metric.ACCURACY) {
            return metric;
        }
        return loss == Loss.BINARY_CROSSENTROPY || outputWidth == 1 ? Metric.BINARY_ACCURACY : Metric.CATEGORICAL_ACCURACY;
    }

    /**
     * The metric of each sample.
     *
     * @param metric a resolved metric (see {@link #resolve})
     * @param predicted the network's output, [batch, classes]
     * @param target the targets, [batch, classes], the same data type
     * @return the metric per sample as float32, [batch]
     */
    public static NDArray perSample(Metric metric, NDArray predicted, NDArray target) {
        return perSample(metric, TOP_K, predicted, target);
    }

    /**
     * The metric of each sample, with this k for top_k_categorical_accuracy (MADlib's top_N_accuracy).
     *
     * @param metric a resolved metric (see {@link #resolve})
     * @param k the k of a top-k metric
     * @param predicted the network's output, [batch, classes]
     * @param target the targets, [batch, classes], the same data type
     * @return the metric per sample as float32, [batch]
     */
    public static NDArray perSample(Metric metric, int k, NDArray predicted, NDArray target) {
        return switch (metric) {
            case ACCURACY -> throw new IllegalArgumentException("metric: 'accuracy' must be resolved against the loss first; call Metrics.resolve");
            case CATEGORICAL_ACCURACY -> predicted.argMax(-1).eq(target.argMax(-1)).toType(DataType.FLOAT32, false);
            case BINARY_ACCURACY -> predicted.gt(0.5f).toType(predicted.getDataType(), false).eq(target)
                    .toType(DataType.FLOAT32, false).mean(LAST);
            case TOP_K_CATEGORICAL_ACCURACY -> {
                NDArray truth = target.mul(predicted).sum(LAST, true);
                NDArray higher = predicted.gt(truth).toType(DataType.FLOAT32, false).sum(LAST);
                yield higher.lt((float) k).toType(DataType.FLOAT32, false);
            }
            case MAE -> Losses.perSample(Loss.MEAN_ABSOLUTE_ERROR, predicted, target);
            case MSE -> Losses.perSample(Loss.MEAN_SQUARED_ERROR, predicted, target);
        };
    }
}
