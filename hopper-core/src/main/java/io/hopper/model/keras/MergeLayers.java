package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;

/**
 * Keras's merge layers: Add, Subtract, Multiply, Average, Maximum and Minimum (with Keras's broadcasting: per-sample
 * shapes aligned on the right, a 1 or a missing leading axis stretching to the other) and Concatenate (along one axis).
 */
final class MergeLayers {
    private MergeLayers() {
    }

    /** The element-wise merges. */
    enum Op { ADD, SUBTRACT, MULTIPLY, AVERAGE, MAXIMUM, MINIMUM }

    /** An element-wise merge of inputs whose shapes broadcast. */
    static final class Elementwise extends Layer {
        private final Op op;

        Elementwise(LayerConfig c, Op op) {
            super(c);
            this.op = op;
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (op == Op.SUBTRACT ? inputs.size() != 2 : inputs.size() < 2) {
                throw error("receives " + inputs.size() + " inputs; connect " + (op == Op.SUBTRACT ? "exactly 2" : "2 or more"));
            }
            Shape out = inputs.get(0);
            for (Shape s : inputs) {
                Shape b = broadcast(out, s);
                if (b == null) {
                    throw error("input shapes " + Shapes.keras(out) + " and " + Shapes.keras(s)
                            + " do not broadcast; merge tensors whose dimensions are equal or 1 on every axis");
                }
                out = b;
            }
            return List.of(out);
        }

        /** NumPy's broadcast of two per-sample shapes (-1 unknown), or null when they do not broadcast. */
        static Shape broadcast(Shape a, Shape b) {
            int rank = Math.max(a.dimension(), b.dimension());
            long[] out = new long[rank];
            for (int i = 0; i < rank; i++) {
                int ia = a.dimension() - rank + i;
                int ib = b.dimension() - rank + i;
                long da = ia < 0 ? 1 : a.get(ia);
                long db = ib < 0 ? 1 : b.get(ib);
                if (da == 1 || da == db) {
                    out[i] = db;
                } else if (db == 1) {
                    out[i] = da;
                } else if (da < 0 || db < 0) {
                    out[i] = Math.max(da, db);
                } else {
                    return null;
                }
            }
            return new Shape(out);
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            int rank = 0;
            for (NDArray x : inputs) {
                rank = Math.max(rank, x.getShape().dimension());
            }
            NDArray y = aligned(inputs.get(0), rank);
            for (int i = 1; i < inputs.size(); i++) {
                NDArray x = aligned(inputs.get(i), rank);
                y = switch (op) {
                    case ADD, AVERAGE -> y.add(x);
                    case SUBTRACT -> y.sub(x);
                    case MULTIPLY -> y.mul(x);
                    case MAXIMUM -> y.maximum(x);
                    case MINIMUM -> y.minimum(x);
                };
            }
            return new NDList(op == Op.AVERAGE ? y.div(inputs.size()) : y);
        }

        /** [batch, dims...] with axes of size 1 inserted after the batch up to the rank (PyTorch would align the batch axis). */
        static NDArray aligned(NDArray x, int rank) {
            Shape s = x.getShape();
            if (s.dimension() == rank) {
                return x;
            }
            long[] dims = new long[rank];
            java.util.Arrays.fill(dims, 1);
            dims[0] = s.get(0);
            for (int i = 1; i < s.dimension(); i++) {
                dims[rank - s.dimension() + i] = s.get(i);
            }
            return x.reshape(new Shape(dims));
        }

        /**
         * ONNX's Add/Sub/Mul/Max/Min broadcast NumPy-style on the whole tensors; an input of lower rank first gets axes
         * of size 1 after the batch, as {@link #aligned} does, so the batch axes line up.
         */
        @Override
        List<String> onnx(OnnxGraph g, List<String> inputs, List<Shape> inputShapes, List<WeightValues> weights) {
            int rank = inputShapes.stream().mapToInt(Shape::dimension).max().orElse(0);
            List<String> xs = new java.util.ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                int missing = rank - inputShapes.get(i).dimension();
                if (missing == 0) {
                    xs.add(inputs.get(i));
                    continue;
                }
                long[] axes = new long[missing];
                for (int k = 0; k < missing; k++) {
                    axes[k] = k + 1;
                }
                xs.add(g.op("Unsqueeze", name() + "/aligned_" + i, List.of(inputs.get(i), g.longs(name() + "/axes_" + i, axes))));
            }
            String y = xs.get(0);
            for (int i = 1; i < xs.size(); i++) {
                String opName = switch (op) {
                    case ADD, AVERAGE -> "Add";
                    case SUBTRACT -> "Sub";
                    case MULTIPLY -> "Mul";
                    case MAXIMUM -> "Max";
                    case MINIMUM -> "Min";
                };
                y = g.op(opName, name() + "/" + opName.toLowerCase(java.util.Locale.ROOT), List.of(y, xs.get(i)));
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
        boolean passesMask() {
            return true;
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

    /**
     * Dot: the batched dot product of two tensors along one axis of each (Keras counts the batch as 0; a negative axis
     * counts from the end), optionally of their L2-normalized forms (cosine proximity); what remains of the first
     * input's axes and then of the second's forms the output, [1] when nothing remains.
     */
    static final class Dot extends Layer {
        private final int[] axes;
        private final boolean normalize;

        Dot(LayerConfig c) {
            super(c);
            com.fasterxml.jackson.databind.JsonNode a = c.node("axes");
            String fix = "give an integer or a pair of integers";
            if (a == null || !(a.isIntegralNumber() || a.isArray() && a.size() == 2 && a.get(0).isIntegralNumber() && a.get(1).isIntegralNumber())) {
                throw c.error("'axes' is " + a + "; " + fix);
            }
            axes = a.isArray() ? new int[] {a.get(0).asInt(), a.get(1).asInt()} : new int[] {a.asInt(), a.asInt()};
            normalize = c.boolOr("normalize", false);
        }

        /** The axis of input i (without the batch). */
        private int axis(int i, Shape in) {
            int full = in.dimension() + 1;
            int a = axes[i] < 0 ? full + axes[i] : axes[i];
            if (a <= 0 || a >= full) {
                throw error("axis " + axes[i] + " does not exist in input " + i + " " + Shapes.keras(in) + "; use a non-batch axis");
            }
            return a - 1;
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            if (inputs.size() != 2) {
                throw error("receives " + inputs.size() + " inputs; connect exactly 2");
            }
            Shape a = inputs.get(0);
            Shape b = inputs.get(1);
            long da = a.get(axis(0, a));
            long db = b.get(axis(1, b));
            if (da >= 0 && db >= 0 && da != db) {
                throw error("multiplies axis " + axes[0] + " of " + Shapes.keras(a) + " with axis " + axes[1] + " of " + Shapes.keras(b)
                        + ", of different sizes; choose axes of the same size");
            }
            List<Long> out = new java.util.ArrayList<>();
            for (int i = 0; i < a.dimension(); i++) {
                if (i != axis(0, a)) {
                    out.add(a.get(i));
                }
            }
            for (int i = 0; i < b.dimension(); i++) {
                if (i != axis(1, b)) {
                    out.add(b.get(i));
                }
            }
            return List.of(out.isEmpty() ? new Shape(1) : new Shape(out.stream().mapToLong(Long::longValue).toArray()));
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            NDArray a = inputs.get(0);
            NDArray b = inputs.get(1);
            int aa = axis(0, a.getShape().slice(1)) + 1;
            int ab = axis(1, b.getShape().slice(1)) + 1;
            if (normalize) {
                a = a.mul(a.square().sum(new int[] {aa}, true).maximum(1e-12f).sqrt().pow(-1));
                b = b.mul(b.square().sum(new int[] {ab}, true).maximum(1e-12f).sqrt().pow(-1));
            }
            long batch = a.getShape().get(0);
            long k = a.getShape().get(aa);
            // a as [batch, rest of a, k] and b as [batch, k, rest of b]: one batched matrix product.
            NDArray am = a.swapAxes(aa, a.getShape().dimension() - 1);
            NDArray bm = b.swapAxes(ab, 1);
            Shape restA = am.getShape().slice(1, am.getShape().dimension() - 1);
            Shape restB = bm.getShape().slice(2);
            NDArray y = am.reshape(batch, restA.size(), k).matMul(bm.reshape(batch, k, restB.size()));
            long[] out = new long[1 + restA.dimension() + restB.dimension()];
            out[0] = batch;
            System.arraycopy(restA.getShape(), 0, out, 1, restA.dimension());
            System.arraycopy(restB.getShape(), 0, out, 1 + restA.dimension(), restB.dimension());
            return new NDList(out.length == 1 ? y.reshape(batch, 1) : y.reshape(new Shape(out)));
        }
    }
}
