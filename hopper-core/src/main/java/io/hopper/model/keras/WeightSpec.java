package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import io.hopper.model.WeightConstraint;
import io.hopper.model.WeightPenalty;

import java.util.Objects;

/**
 * One Keras weight: its name (layer-qualified once it is in a graph), its Keras-layout shape, whether the optimizer
 * trains it, its initializer, its regularization and its constraint.
 *
 * @param name the weight's name, e.g. {@code dense_1/kernel}
 * @param shape the shape in Keras's layout
 * @param trainable false for moving statistics and for weights of layers marked trainable=false
 * @param initializer how {@link KerasNetwork#initialize} fills it
 * @param penalty the layer's regularizer of this weight ({@link WeightPenalty#NONE} for none)
 * @param constraint the layer's constraint of this weight, applied after every update (empty for none)
 */
record WeightSpec(String name, Shape shape, boolean trainable, KerasInitializer initializer, WeightPenalty penalty,
                  java.util.Optional<WeightConstraint> constraint) {
    WeightSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(penalty, "penalty");
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(initializer, "initializer");
        for (long d : shape.getShape()) {
            if (d <= 0) {
                throw new IllegalArgumentException("weight " + name + ": shape " + shape + " has a non-positive dimension; give the model a fully specified input shape");
            }
        }
    }

    /** A weight without regularization or constraint. */
    WeightSpec(String name, Shape shape, boolean trainable, KerasInitializer initializer) {
        this(name, shape, trainable, initializer, WeightPenalty.NONE, java.util.Optional.empty());
    }

    /** The same weight under the prefix, trainable only if both are. */
    WeightSpec within(String prefix, boolean layerTrainable) {
        return new WeightSpec(prefix + "/" + name, shape, trainable && layerTrainable, initializer, penalty, constraint);
    }

    /** The same weight with this regularization. */
    WeightSpec withPenalty(WeightPenalty p) {
        return new WeightSpec(name, shape, trainable, initializer, p, constraint);
    }

    /** The same weight with this constraint. */
    WeightSpec withConstraint(WeightConstraint c) {
        return new WeightSpec(name, shape, trainable, initializer, penalty, java.util.Optional.of(c));
    }
}
