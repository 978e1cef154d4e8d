package io.hopper.model;

import ai.djl.ndarray.NDArray;

/**
 * Keras's weight regularization of one parameter (a layer's {@code kernel_regularizer} and the like): {@code l1 *
 * sum(|w|) + l2 * sum(w^2)} is added to the loss Keras trains and reports.
 *
 * @param l1 the L1 factor (0 for none)
 * @param l2 the L2 factor (0 for none)
 */
public record WeightPenalty(double l1, double l2) {
    /** No penalty. */
    public static final WeightPenalty NONE = new WeightPenalty(0, 0);

    /** Validates the factors. */
    public WeightPenalty {
        if (!(l1 >= 0 && l2 >= 0 && Double.isFinite(l1) && Double.isFinite(l2))) {
            throw new IllegalArgumentException("regularizer: l1 " + l1 + " and l2 " + l2 + " must be finite and not negative;"
                    + " use factors such as 0.01");
        }
    }

    /** Whether the penalty is zero whatever the weight. */
    public boolean isNone() {
        return l1 == 0 && l2 == 0;
    }

    /** The penalty of the weight, a scalar in the weight's graph (so its gradient flows into the weight). */
    public NDArray of(NDArray weight) {
        NDArray total = null;
        if (l1 != 0) {
            total = weight.abs().sum().mul((float) l1);
        }
        if (l2 != 0) {
            NDArray squares = weight.square().sum().mul((float) l2);
            total = total == null ? squares : total.add(squares);
        }
        return total == null ? weight.getManager().create(0f) : total;
    }
}
