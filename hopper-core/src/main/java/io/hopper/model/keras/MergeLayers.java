package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;

/** Keras's merge layers: Add, Subtract, Multiply, Average, Maximum (equal shapes) and Concatenate (along one axis). */
final class MergeLayers {
    private MergeLayers() {
    }

    /** The element-wise merges. */
    enum Op { ADD, SUBTRACT, MULTIPLY, AVERAGE, MAXIMUM }

    /** An element-wise merge of inputs of the same shape. */
    static final class Elementwise extends Layer {
        private final Op op;

        Elementwise(LayerConfig c, Op op) {
            super(c);
            this.op = op;
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (op == Op.SUBTRACT ? inputs.size() != 2 : inputs.size() < 2) {
                throw error("receives " + inputs.size() + " inputs; connect " + (op == Op.SUBTRACT ? "exactly 2" : "2 or more"));
            }
            Shape first = inputs.get(0);
            for (Shape s : inputs) {
                if (!Shapes.compatible(first, s)) {
                    throw error("input shapes " + Shapes.keras(first) + " and " + Shapes.keras(s) + " differ; merge tensors of equal shape");
                }
            }
            return List.of(first);
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            NDArray y = inputs.get(0);
            for (int i = 1; i < inputs.size(); i++) {
                NDArray x = inputs.get(i);
                y = switch (op) {
                    case ADD, AVERAGE -> y.add(x);
                    case SUBTRACT -> y.sub(x);
                    case MULTIPLY -> y.mul(x);
                    case MAXIMUM -> y.maximum(x);
                };
            }
            return new NDList(op == Op.AVERAGE ? y.div(inputs.size()) : y);
        }

        @Override
        List<String> onnx(OnnxGraph g, List<String> inputs, List<Shape> inputShapes, List<WeightValues> weights) {
            String y = inputs.get(0);
            for (int i = 1; i < inputs.size(); i++) {
                String opName = switch (op) {
                    case ADD, AVERAGE -> "Add";
                    case SUBTRACT -> "Sub";
                    case MULTIPLY -> "Mul";
                    case MAXIMUM -> "Max";
                };
                y = g.op(opName, name() + "/" + opName.toLowerCase(java.util.Locale.ROOT), List.of(y, inputs.get(i)));
            }
            return List.of(op == Op.AVERAGE ? g.op("Div", name(), List.of(y, g.scalar(name() + "/count", inputs.size()))) : y);
        }
    }

    /** Concatenate along one axis (Keras counts the batch axis as 0; the default -1 is the last). */
    static final class Concatenate extends Layer {
        private final int axis;

        Concatenate(LayerConfig c) {
            super(c);
            axis = c.intOr("axis", -1);
        }

        private int sampleAxis(Shape in) {
            int full = in.dimension() + 1;
            int a = axis < 0 ? full + axis : axis;
            if (a <= 0 || a >= full) {
                throw error("axis " + axis + " does not exist in " + Shapes.keras(in) + "; use a non-batch axis");
            }
            return a - 1;
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (inputs.size() < 2) {
                throw error("receives " + inputs.size() + " input; connect 2 or more");
            }
            Shape first = inputs.get(0);
            int a = sampleAxis(first);
            long[] out = first.getShape().clone();
            out[a] = 0;
            for (Shape s : inputs) {
                boolean ok = s.dimension() == first.dimension();
                for (int i = 0; ok && i < s.dimension(); i++) {
                    ok = i == a || s.get(i) < 0 || first.get(i) < 0 || s.get(i) == first.get(i);
                }
                if (!ok) {
                    throw error("input shapes " + Shapes.keras(first) + " and " + Shapes.keras(s)
                            + " differ outside axis " + axis + "; concatenate tensors that match on the other axes");
                }
                out[a] = out[a] < 0 || s.get(a) < 0 ? -1 : out[a] + s.get(a);
            }
            return List.of(new Shape(out));
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            int a = sampleAxis(inputs.get(0).getShape().slice(1)) + 1;
            NDArray y = inputs.get(0);
            for (int i = 1; i < inputs.size(); i++) {
                y = y.concat(inputs.get(i), a);
            }
            return new NDList(y);
        }

        @Override
        List<String> onnx(OnnxGraph g, List<String> inputs, List<Shape> inputShapes, List<WeightValues> weights) {
            return List.of(g.op("Concat", name(), inputs, OnnxAttribute.of("axis", (long) sampleAxis(inputShapes.get(0)) + 1)));
        }
    }
}
