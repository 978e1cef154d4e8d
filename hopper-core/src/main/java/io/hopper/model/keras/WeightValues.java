package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import io.hopper.model.onnx.OnnxGraph;

import java.util.Objects;

/**
 * One weight's values for ONNX export: its qualified name, its shape in Keras's layout and its values row-major.
 *
 * @param name the weight's name, e.g. {@code dense_1/kernel}
 * @param shape the shape in Keras's layout
 * @param values the values, row-major (not copied)
 */
record WeightValues(String name, Shape shape, float[] values) {
    WeightValues {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("weight " + name + ": " + values.length + " values for shape " + shape
                    + "; pass one value per element");
        }
    }

    /** Adds the weight as it is (Keras's layout) as a graph constant; returns its name. */
    String constant(OnnxGraph g) {
        return g.constant(name, shape.getShape(), values);
    }
}
