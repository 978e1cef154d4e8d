package io.hopper.automl;

import java.util.Comparator;

/**
 * What AutoML ranks a configuration by after a round: a loss (lower is better) or a metric in its own direction
 * ({@link io.hopper.model.params.Metric#higherIsBetter()}). A NaN value (a diverged configuration) ranks last.
 *
 * @param value the loss or metric
 * @param higherIsBetter whether a larger value is better
 */
public record Score(double value, boolean higherIsBetter) {

    /** Best first; NaN last; equal values keep their order (sort stably, e.g. by mst_key first). */
    public static final Comparator<Score> BEST_FIRST = (a, b) -> {
        if (Double.isNaN(a.value) || Double.isNaN(b.value)) {
            return Boolean.compare(Double.isNaN(a.value), Double.isNaN(b.value));
        }
        return a.higherIsBetter ? Double.compare(b.value, a.value) : Double.compare(a.value, b.value);
    };

    /** A loss: lower is better. */
    public static Score loss(double value) {
        return new Score(value, false);
    }
}
