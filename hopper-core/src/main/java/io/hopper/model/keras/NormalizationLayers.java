package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.List;

/** Keras's BatchNormalization, LayerNormalization and the Normalization preprocessing layer. */
final class NormalizationLayers {
    private NormalizationLayers() {
    }

    /** The mean over several axes, keeping them (PyTorch's engine in DJL reduces one axis at a time). */
    static NDArray meanKeep(NDArray x, int... axes) {
        NDArray m = x;
        for (int a : axes) {
            m = m.mean(new int[] {a}, true);
        }
        return m;
    }

    /** Reads a feature axis given as an int or a one-element list (Keras counts the batch axis as 0). */
    static int axis(LayerConfig c, int dflt) {
        JsonNode v = c.node("axis");
        if (v == null || v.isNull()) {
            return dflt;
        }
        JsonNode a = v.isArray() && v.size() == 1 ? v.get(0) : v;
        if (!a.isIntegralNumber() || a.asInt() == 0) {
            throw c.error("axis " + v + " is not one non-batch axis; use one integer such as -1 or 1");
        }
        return a.asInt();
    }

    /** The per-sample index of a Keras axis for an input of this per-sample rank. */
    static int sampleAxis(Layer layer, int kerasAxis, Shape in) {
        int full = in.dimension() + 1;
        int a = kerasAxis < 0 ? full + kerasAxis : kerasAxis;
        if (a <= 0 || a >= full) {
            throw layer.error("axis " + kerasAxis + " does not exist in the input " + Shapes.keras(in) + "; use a non-batch axis");
        }
        layer.known(in.get(a - 1), "the normalized axis");
        return a - 1;
    }

    private static Shape broadcast(int rank, int sampleAxis, long size) {
        long[] s = new long[rank + 1];
        java.util.Arrays.fill(s, 1);
        s[sampleAxis + 1] = size;
        return new Shape(s);
    }

    /**
     * Keras's BatchNormalization (inference mode when it or an enclosing model is frozen, as tf.keras 2 and Keras 3 do): batch statistics in training (moving statistics updated as
     * moving = moving * momentum + batch * (1 - momentum), the variance unbiased), moving statistics in inference;
     * the moving statistics are non-trainable weights.
     */
    static final class BatchNorm extends Layer.Single {
        private final int axis;
        private final double momentum;
        private final double epsilon;
        private final boolean center;
        private final boolean scale;
        private final KerasInitializer gammaInit;
        private final KerasInitializer betaInit;
        private final KerasInitializer meanInit;
        private final KerasInitializer varianceInit;

        BatchNorm(LayerConfig c) {
            super(c);
            axis = axis(c, -1);
            momentum = c.doubleOr("momentum", 0.99);
            epsilon = c.doubleOr("epsilon", 1e-3);
            center = c.boolOr("center", true);
            scale = c.boolOr("scale", true);
            gammaInit = c.initializer("gamma_initializer", KerasInitializer.ONES);
            betaInit = c.initializer("beta_initializer", KerasInitializer.ZEROS);
            meanInit = c.initializer("moving_mean_initializer", KerasInitializer.ZEROS);
            varianceInit = c.initializer("moving_variance_initializer", KerasInitializer.ONES);
            c.requireAbsentOr("renorm", false, "batch renormalization");
            if (c.has("virtual_batch_size")) {
                throw c.error("virtual_batch_size is not supported; remove it");
            }
            if (!(momentum >= 0 && momentum <= 1) || !(epsilon > 0)) {
                throw c.error("momentum " + momentum + " / epsilon " + epsilon + " out of range; use momentum in [0, 1] and a positive epsilon");
            }
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        Shape outputShape(Shape in) {
            sampleAxis(this, axis, in);
            return in;
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            Shape s = new Shape(in.get(sampleAxis(this, axis, in)));
            List<WeightSpec> w = new ArrayList<>();
            if (scale) {
                w.add(new WeightSpec("gamma", s, true, gammaInit));
            }
            if (center) {
                w.add(new WeightSpec("beta", s, true, betaInit));
            }
            w.add(new WeightSpec("moving_mean", s, false, meanInit));
            w.add(new WeightSpec("moving_variance", s, false, varianceInit));
            return w;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int rank = x.getShape().dimension();
            int a = sampleAxis(this, axis, x.getShape().slice(1)) + 1;
            // PyTorch's fused batch norm normalizes axis 1 and updates the moving statistics in place with the unbiased
            // batch variance; DJL passes it 1 - momentum, which is Keras's convention.
            int[] toFirst = new int[rank];
            toFirst[1] = a;
            for (int i = 1, j = 2; i < rank; i++) {
                if (i != a) {
                    toFirst[j++] = i;
                }
            }
            NDArray nc = a == 1 ? x : x.transpose(toFirst);
            long size = x.getShape().get(a);
            int i = 0;
            NDArray gamma = scale ? w.get(i++) : x.getManager().ones(new Shape(size), x.getDataType());
            NDArray beta = center ? w.get(i) : x.getManager().zeros(new Shape(size), x.getDataType());
            NDArray y = ai.djl.nn.norm.BatchNorm.batchNorm(nc, w.get(w.size() - 2), w.get(w.size() - 1), gamma, beta, 1,
                    (float) momentum, (float) epsilon, ctx.training() && !ctx.frozen()).singletonOrThrow();
            if (a == 1) {
                return y;
            }
            int[] back = new int[rank];
            for (int k = 0; k < rank; k++) {
                back[toFirst[k]] = k;
            }
            return y.transpose(back);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            int rank = in.dimension() + 1;
            int a = sampleAxis(this, axis, in) + 1;
            int[] toFirst = new int[rank];
            toFirst[1] = a;
            for (int i = 1, j = 2; i < rank; i++) {
                if (i != a) {
                    toFirst[j++] = i;
                }
            }
            String nc = a == 1 ? x : OnnxOps.transpose(g, x, name() + "/axis_first", toFirst);
            long size = in.get(a - 1);
            int i = 0;
            float[] ones = new float[Math.toIntExact(size)];
            java.util.Arrays.fill(ones, 1f);
            String gamma = scale ? w.get(i++).constant(g) : g.constant(name() + "/gamma", new long[] {size}, ones);
            String beta = center ? w.get(i).constant(g) : g.constant(name() + "/beta", new long[] {size}, new float[ones.length]);
            String y = g.op("BatchNormalization", name() + "/batchnorm",
                    List.of(nc, gamma, beta, w.get(w.size() - 2).constant(g), w.get(w.size() - 1).constant(g)),
                    OnnxAttribute.of("epsilon", (float) epsilon));
            if (a == 1) {
                return y;
            }
            int[] back = new int[rank];
            for (int k = 0; k < rank; k++) {
                back[toFirst[k]] = k;
            }
            return OnnxOps.transpose(g, y, name(), back);
        }
    }

    /**
     * The Normalization preprocessing layer: (x - mean) / max(sqrt(variance), 1e-7) along one axis; mean and variance
     * are constants when the config gives them, else non-trainable weights (mean, variance, count) as adapt() leaves
     * them.
     */
    static final class Normalization extends Layer.Single {
        private final int axis;
        private final double[] mean;
        private final double[] variance;

        Normalization(LayerConfig c) {
            super(c);
            axis = axis(c, -1);
            mean = numbers(c, "mean");
            variance = numbers(c, "variance");
            c.requireAbsentOr("invert", false, "de-normalization");
            if ((mean == null) != (variance == null)) {
                throw c.error("gives only one of mean and variance; give both or neither");
            }
        }

        private static double[] numbers(LayerConfig c, String key) {
            if (!c.has(key)) {
                return null;
            }
            JsonNode v = c.node(key);
            if (v.isNumber()) {
                return new double[] {v.asDouble()};
            }
            if (!v.isArray()) {
                throw c.error("'" + key + "' is " + v + "; give a number or a list of numbers");
            }
            double[] out = new double[v.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = v.get(i).asDouble();
            }
            return out;
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        Shape outputShape(Shape in) {
            long size = in.get(sampleAxis(this, axis, in));
            if (mean != null && mean.length != 1 && mean.length != size) {
                throw error("mean has " + mean.length + " values for an axis of size " + size + "; give one value per feature");
            }
            return in;
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            if (mean != null) {
                return List.of();
            }
            Shape s = new Shape(in.get(sampleAxis(this, axis, in)));
            return List.of(new WeightSpec("mean", s, false, KerasInitializer.ZEROS),
                    new WeightSpec("variance", s, false, KerasInitializer.ONES),
                    new WeightSpec("count", new Shape(), false, KerasInitializer.ZEROS));
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int rank = x.getShape().dimension() - 1;
            int a = sampleAxis(this, axis, x.getShape().slice(1));
            long size = x.getShape().get(a + 1);
            Shape b = broadcast(rank, a, size);
            NDArray m;
            NDArray v;
            if (mean != null) {
                m = x.getManager().create(expand(mean, size)).toType(x.getDataType(), false).reshape(b);
                v = x.getManager().create(expand(variance, size)).toType(x.getDataType(), false).reshape(b);
            } else {
                m = w.get(0).reshape(b);
                v = w.get(1).reshape(b);
            }
            return x.sub(m).div(v.sqrt().maximum(1e-7));
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            int a = sampleAxis(this, axis, in);
            long size = in.get(a);
            long[] b = broadcast(in.dimension(), a, size).getShape();
            float[] m = mean != null ? expand(mean, size) : w.get(0).values();
            float[] v = mean != null ? expand(variance, size) : w.get(1).values();
            String std = g.op("Max", name() + "/std", List.of(g.op("Sqrt", name() + "/sqrt", List.of(g.constant(name() + "/variance", b, v))),
                    g.scalar(name() + "/floor", 1e-7f)));
            return g.op("Div", name(), List.of(g.op("Sub", name() + "/centered", List.of(x, g.constant(name() + "/mean", b, m))), std));
        }

        private static float[] expand(double[] values, long size) {
            float[] out = new float[Math.toIntExact(size)];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) values[values.length == 1 ? 0 : i];
            }
            return out;
        }
    }

    /**
     * Keras's LayerNormalization: each sample normalized over the given axes, (x - mean) / sqrt(variance + epsilon),
     * then times gamma and plus beta (weights of the normalized axes' shape).
     */
    static final class LayerNorm extends Layer.Single {
        private final int[] axes;
        private final double epsilon;
        private final boolean center;
        private final boolean scale;
        private final KerasInitializer gammaInit;
        private final KerasInitializer betaInit;

        LayerNorm(LayerConfig c) {
            super(c);
            JsonNode v = c.node("axis");
            if (v == null || v.isNull()) {
                axes = new int[] {-1};
            } else if (v.isIntegralNumber()) {
                axes = new int[] {v.asInt()};
            } else if (v.isArray() && !v.isEmpty()) {
                axes = new int[v.size()];
                for (int i = 0; i < axes.length; i++) {
                    axes[i] = v.get(i).asInt();
                }
            } else {
                throw c.error("axis " + v + " is not an axis or a list of axes; use integers such as -1");
            }
            epsilon = c.doubleOr("epsilon", 1e-3);
            center = c.boolOr("center", true);
            scale = c.boolOr("scale", true);
            gammaInit = c.initializer("gamma_initializer", KerasInitializer.ONES);
            betaInit = c.initializer("beta_initializer", KerasInitializer.ZEROS);
            c.requireAbsentOr("rms_scaling", false, "RMS scaling");
            if (!(epsilon > 0)) {
                throw c.error("epsilon " + epsilon + " is not positive; use a positive epsilon");
            }
        }

        private int[] sampleAxes(Shape in) {
            int[] out = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                out[i] = sampleAxis(this, axes[i], in);
            }
            java.util.Arrays.sort(out);
            return out;
        }

        @Override
        Shape outputShape(Shape in) {
            sampleAxes(in);
            return in;
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            int[] a = sampleAxes(in);
            long[] dims = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                dims[i] = in.get(a[i]);
            }
            List<WeightSpec> w = new ArrayList<>();
            if (scale) {
                w.add(new WeightSpec("gamma", new Shape(dims), true, gammaInit));
            }
            if (center) {
                w.add(new WeightSpec("beta", new Shape(dims), true, betaInit));
            }
            return w;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int[] a = sampleAxes(x.getShape().slice(1));
            int[] full = new int[a.length];
            long[] b = new long[x.getShape().dimension()];
            java.util.Arrays.fill(b, 1);
            for (int i = 0; i < a.length; i++) {
                full[i] = a[i] + 1;
                b[a[i] + 1] = x.getShape().get(a[i] + 1);
            }
            NDArray mean = meanKeep(x, full);
            NDArray centered = x.sub(mean);
            NDArray variance = meanKeep(centered.square(), full);
            NDArray y = centered.div(variance.add(epsilon).sqrt());
            int i = 0;
            if (scale) {
                y = y.mul(w.get(i++).reshape(new Shape(b)));
            }
            if (center) {
                y = y.add(w.get(i).reshape(new Shape(b)));
            }
            return y;
        }
    }
}
