package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;

/**
 * One Keras layer: shape inference (per-sample shapes, without the batch dimension; -1 is Keras's None), its
 * weights in Keras's get_weights() order and layout, and its forward pass on [batch, dims...] arrays.
 */
abstract class Layer {
    private final String name;
    private final String className;
    private final boolean trainable;
    /** The layer's weight regularizers, by the weight's unqualified name. */
    private final java.util.Map<String, io.hopper.model.WeightPenalty> penalties;
    /** The layer's weight constraints, by the weight's unqualified name. */
    private final java.util.Map<String, io.hopper.model.WeightConstraint> constraints;

    Layer(LayerConfig c) {
        this.name = c.name();
        this.className = c.className();
        this.trainable = c.boolOr("trainable", true);
        this.penalties = c.config().isObject() ? KerasRegularizer.penalties(c) : java.util.Map.of();
        this.constraints = c.config().isObject() ? KerasConstraint.constraints(c) : java.util.Map.of();
    }

    final String name() {
        return name;
    }

    final String className() {
        return className;
    }

    final boolean trainable() {
        return trainable;
    }

    /** The output shapes for these input shapes; throws IllegalArgumentException naming the layer if they do not fit. */
    abstract List<Shape> outputShapes(List<Shape> inputs);

    /** The weights this layer creates when first called on these input shapes (unqualified names). */
    List<WeightSpec> weights(List<Shape> inputs) {
        return List.of();
    }

    /** {@link #weights} with the layer's regularizers and constraints, under the layer's name (trainable only if the layer is). */
    final List<WeightSpec> qualifiedWeights(List<Shape> inputs) {
        return weights(inputs).stream()
                .map(w -> KerasConstraint.apply(this, constraints, KerasRegularizer.apply(penalties, w)).within(name, trainable)).toList();
    }

    /** The forward pass; weights are this layer's arrays in {@link #weights} order; the input's mask is {@code ctx.mask()}. */
    abstract NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights);

    /** Whether the layer hands its input's mask on unchanged (Keras's supports_masking without compute_mask). */
    boolean passesMask() {
        return false;
    }

    /** The masks of the outputs of a call (one per output, or null for none): the input's mask for layers that pass it. */
    List<NDArray> outputMasks(ForwardContext ctx, NDList inputs, NDList outputs) {
        return passesMask() && ctx.mask() != null ? java.util.Collections.nCopies(outputs.size(), ctx.mask()) : null;
    }

    /**
     * Adds this layer's inference pass to an ONNX graph (the same computation as {@link #forward} with training off);
     * returns the names of its output tensors. Layers without a mapping refuse by name.
     */
    List<String> onnx(OnnxGraph g, List<String> inputs, List<Shape> inputShapes, List<WeightValues> weights) {
        throw noOnnx();
    }

    final IllegalArgumentException noOnnx() {
        return error("has no ONNX mapping; export this model with --format keras, or replace the layer");
    }

    final IllegalArgumentException error(String ruleAndFix) {
        return new IllegalArgumentException("model_arch: layer '" + name + "' (" + className + "): " + ruleAndFix);
    }

    /** The dimension, or an error if Keras would not know it either. */
    final long known(long dim, String what) {
        if (dim < 0) {
            throw error(what + " is unknown (None); give the model a fully specified input shape");
        }
        return dim;
    }

    /** A layer with one input and one output. */
    abstract static class Single extends Layer {
        Single(LayerConfig c) {
            super(c);
        }

        abstract Shape outputShape(Shape input);

        List<WeightSpec> weights(Shape input) {
            return List.of();
        }

        abstract NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> weights);

        /** The ONNX form of {@link #forward(ForwardContext, NDArray, List)} in inference; refuses by name unless overridden. */
        String onnx(OnnxGraph g, String x, Shape input, List<WeightValues> weights) {
            throw noOnnx();
        }

        @Override
        final List<String> onnx(OnnxGraph g, List<String> inputs, List<Shape> inputShapes, List<WeightValues> weights) {
            return List.of(onnx(g, inputs.get(0), only(inputShapes), weights));
        }

        @Override
        final List<Shape> outputShapes(List<Shape> inputs) {
            return List.of(outputShape(only(inputs)));
        }

        @Override
        final List<WeightSpec> weights(List<Shape> inputs) {
            return weights(only(inputs));
        }

        @Override
        final NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            return new NDList(forward(ctx, inputs.singletonOrThrow(), weights));
        }

        private Shape only(List<Shape> inputs) {
            if (inputs.size() != 1) {
                throw error("takes one input but receives " + inputs.size() + "; connect exactly one tensor");
            }
            return inputs.get(0);
        }

        /** The input's rank (without batch) must be one of these. */
        final void requireRank(Shape input, int... ranks) {
            for (int r : ranks) {
                if (input.dimension() == r) {
                    return;
                }
            }
            throw error("expects input of rank " + java.util.Arrays.toString(ranks) + " (without batch) but gets " + Shapes.keras(input)
                    + "; fix the previous layer or the input shape");
        }
    }

    /** A layer applied element by element: the output has the input's shape, and a mask passes through it. */
    abstract static class Elementwise extends Single {
        Elementwise(LayerConfig c) {
            super(c);
        }

        @Override
        final Shape outputShape(Shape input) {
            return input;
        }

        @Override
        final boolean passesMask() {
            return true;
        }
    }
}
