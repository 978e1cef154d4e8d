package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import io.hopper.model.params.Loss;

/**
 * Keras 2 losses computed per sample on a network's outputs (probabilities when the last layer is a softmax, as in
 * Keras), with Keras's epsilon 1e-7.
 *
 * <ul>
 *   <li>categorical_crossentropy: p / sum(p), clipped to [eps, 1 - eps], then -sum(y log p);</li>
 *   <li>binary_crossentropy: p clipped to [eps, 1 - eps], then -mean(y log(p + eps) + (1 - y) log(1 - p + eps))
 *       (tf.keras's backend formula);</li>
 *   <li>mean_squared_error, mean_absolute_error: the mean over the last axis;</li>
 *   <li>categorical_hinge: max(0, max((1 - y) p) - sum(y p) + 1);</li>
 *   <li>kullback_leibler_divergence: y and p clipped to [eps, 1], then sum(y log(y / p)).</li>
 * </ul>
 * Clipping passes no gradient outside its range, as in TensorFlow.
 */
public final class Losses {
    /** Keras's fuzz factor, {@code K.epsilon()}. */
    public static final float EPSILON = 1e-7f;

    private static final int[] LAST = {-1};

    private Losses() {
    }

    /**
     * The loss of each sample.
     *
     * @param loss the loss
     * @param predicted the network's output, [batch, classes]
     * @param target the targets (one-hot for the categorical losses), [batch, classes], the same data type
     * @return the loss per sample, [batch]
     */
    public static NDArray perSample(Loss loss, NDArray predicted, NDArray target) {
        return switch (loss) {
            case CATEGORICAL_CROSSENTROPY -> {
                NDArray p = predicted.div(predicted.sum(LAST, true)).clip(EPSILON, 1 - EPSILON);
                yield target.mul(p.log()).sum(LAST).neg();
            }
            case BINARY_CROSSENTROPY -> {
                NDArray p = predicted.clip(EPSILON, 1 - EPSILON);
                NDArray positive = target.mul(p.add(EPSILON).log());
                NDArray negative = target.neg().add(1f).mul(p.neg().add(1f).add(EPSILON).log());
                yield positive.add(negative).mean(LAST).neg();
            }
            case MEAN_SQUARED_ERROR -> predicted.sub(target).square().mean(LAST);
            case MEAN_ABSOLUTE_ERROR -> predicted.sub(target).abs().mean(LAST);
            case CATEGORICAL_HINGE -> {
                NDArray positive = target.mul(predicted).sum(LAST);
                NDArray negative = target.neg().add(1f).mul(predicted).max(LAST);
                yield negative.sub(positive).add(1f).maximum(0f);
            }
            case KULLBACK_LEIBLER_DIVERGENCE -> {
                NDArray y = target.clip(EPSILON, 1f);
                NDArray p = predicted.clip(EPSILON, 1f);
                yield y.mul(y.div(p).log()).sum(LAST);
            }
        };
    }
}
