package io.hopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.List;

/**
 * Keras's weight constraints (a layer's {@code kernel_constraint} and the like), which Keras applies to a weight after
 * every optimizer update; each is a factor the weight is multiplied by, in Keras's formula and the weight's Keras
 * layout. Axes are those of the Keras-layout weight (negative ones count from the end).
 */
public sealed interface WeightConstraint {
    /** Keras's backend epsilon, added to the norms before dividing. */
    float EPSILON = 1e-7f;

    /** The factor {@code w * factor} is the constrained weight (broadcast against the weight). */
    NDArray factor(NDArray weight);

    /** The axes the constraint reduces over (none for element-wise ones). */
    default List<Integer> axes() {
        return List.of();
    }

    /** Whether every axis exists in a weight of this rank. */
    default boolean fits(int rank) {
        return axes().stream().allMatch(a -> a >= -rank && a < rank);
    }

    /** Keras's MaxNorm: columns (along the axes) whose L2 norm exceeds max_value are scaled down to it. */
    record MaxNorm(double maxValue, List<Integer> axes) implements WeightConstraint {
        /** Validates. */
        public MaxNorm {
            axes = List.copyOf(axes);
            if (!(maxValue > 0) || Double.isInfinite(maxValue) || axes.isEmpty()) {
                throw new IllegalArgumentException("MaxNorm: max_value " + maxValue + " must be positive and finite, with at least one axis;"
                        + " use e.g. max_value=2, axis=0");
            }
        }

        @Override
        public NDArray factor(NDArray weight) {
            return new MinMaxNorm(0, maxValue, 1, axes).factor(weight);
        }
    }

    /** Keras's MinMaxNorm: norms pulled into [min_value, max_value] at the given rate. */
    record MinMaxNorm(double minValue, double maxValue, double rate, List<Integer> axes) implements WeightConstraint {
        /** Validates. */
        public MinMaxNorm {
            axes = List.copyOf(axes);
            if (!(minValue >= 0 && maxValue >= minValue && Double.isFinite(maxValue) && rate >= 0 && rate <= 1) || axes.isEmpty()) {
                throw new IllegalArgumentException("MinMaxNorm: min_value " + minValue + ", max_value " + maxValue + " and rate " + rate
                        + " must satisfy 0 <= min_value <= max_value and 0 <= rate <= 1, with at least one axis; use e.g. 0, 1, 1, axis=0");
            }
        }

        @Override
        public NDArray factor(NDArray weight) {
            NDArray norms = norms(weight, axes);
            NDArray desired = norms.clip(minValue, maxValue).mul((float) rate).add(norms.mul((float) (1 - rate)));
            return desired.div(norms.add(EPSILON));
        }
    }

    /** Keras's UnitNorm: every column (along the axes) scaled to L2 norm 1. */
    record UnitNorm(List<Integer> axes) implements WeightConstraint {
        /** Validates. */
        public UnitNorm {
            axes = List.copyOf(axes);
            if (axes.isEmpty()) {
                throw new IllegalArgumentException("UnitNorm: needs at least one axis; use axis=0");
            }
        }

        @Override
        public NDArray factor(NDArray weight) {
            return norms(weight, axes).add(EPSILON).pow(-1);
        }
    }

    /** Keras's NonNeg: negative entries become zero. */
    record NonNeg() implements WeightConstraint {
        @Override
        public NDArray factor(NDArray weight) {
            return weight.gte(0f).toType(DataType.FLOAT32, false);
        }
    }

    private static NDArray norms(NDArray weight, List<Integer> axes) {
        int rank = weight.getShape().dimension();
        int[] a = new int[axes.size()];
        for (int i = 0; i < a.length; i++) {
            int axis = axes.get(i) < 0 ? axes.get(i) + rank : axes.get(i);
            if (axis < 0 || axis >= rank) {
                throw new IllegalArgumentException("constraint: axis " + axes.get(i) + " does not exist in a weight of shape "
                        + weight.getShape() + "; use an axis below " + rank);
            }
            a[i] = axis;
        }
        return weight.square().sum(a, true).sqrt();
    }
}
