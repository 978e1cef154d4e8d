package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;
import java.util.SplittableRandom;

/** Keras's core layers: InputLayer, Dense, activations, dropout, Flatten, Reshape, Rescaling, Permute, RepeatVector and Masking. */
final class CoreLayers {
    private CoreLayers() {
    }

    /** Reads a batch_input_shape (or batch_shape) list into a per-sample shape; null when absent. */
    static Shape batchInputShape(LayerConfig c) {
        JsonNode v = c.has("batch_input_shape") ? c.node("batch_input_shape") : c.node("batch_shape");
        return v == null || v.isNull() ? null : perSample(v, c);
    }

    /** A Keras shape list with the batch first ([null, dims...]) as a per-sample shape (-1 for None). */
    static Shape perSample(JsonNode v, LayerConfig c) {
        if (!v.isArray() || v.size() < 2) {
            throw c.error("input shape " + v + " is not a list [null, dims...]; give at least one dimension after the batch");
        }
        long[] dims = new long[v.size() - 1];
        for (int i = 1; i < v.size(); i++) {
            JsonNode d = v.get(i);
            if (d.isNull()) {
                dims[i - 1] = -1;
            } else if (d.isIntegralNumber() && d.asLong() > 0) {
                dims[i - 1] = d.asLong();
            } else {
                throw c.error("input shape " + v + " has dimension " + d + "; use positive integers or null");
            }
        }
        return new Shape(dims);
    }

    /** Keras's InputLayer: the model's entry point, returning the input it is given. */
    static final class Input extends Layer {
        private final Shape shape;

        Input(LayerConfig c) {
            super(c);
            Shape s = batchInputShape(c);
            if (s == null) {
                throw c.error("has no batch_input_shape; give the InputLayer a shape");
            }
            this.shape = s;
        }

        Input(LayerConfig c, Shape shape) {
            super(c);
            this.shape = shape;
        }

        Shape shape() {
            return shape;
        }

        @Override
        List<Shape> outputShapes(List<Shape> inputs) {
            return List.of(shape);
        }

        @Override
        NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
            return inputs;
        }

        @Override
        List<String> onnx(OnnxGraph g, List<String> inputs, List<Shape> inputShapes, List<WeightValues> weights) {
            return inputs;
        }
    }

    /** Keras's Dense: activation(x . kernel + bias) on the last axis; kernel [in, units]. */
    static final class Dense extends Layer.Single {
        private final int units;
        private final boolean useBias;
        private final KerasActivation activation;
        private final KerasInitializer kernelInit;
        private final KerasInitializer biasInit;

        Dense(LayerConfig c) {
            super(c);
            units = c.requiredPositiveInt("units");
            useBias = c.boolOr("use_bias", true);
            activation = c.activation("activation", "linear");
            kernelInit = c.initializer("kernel_initializer", KerasInitializer.GLOROT_UNIFORM);
            biasInit = c.initializer("bias_initializer", KerasInitializer.ZEROS);
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        Shape outputShape(Shape in) {
            if (in.dimension() < 1) {
                throw error("needs an input of rank 1 or more; fix the input shape");
            }
            known(in.get(in.dimension() - 1), "the input's last dimension");
            return in.slice(0, in.dimension() - 1).add(units);
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            WeightSpec kernel = new WeightSpec("kernel", new Shape(in.get(in.dimension() - 1), units), true, kernelInit);
            return useBias ? List.of(kernel, new WeightSpec("bias", new Shape(units), true, biasInit)) : List.of(kernel);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            NDArray y = x.matMul(w.get(0));
            return activation.apply(useBias ? y.add(w.get(1)) : y);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            String y = g.op("MatMul", name() + "/matmul", List.of(x, w.get(0).constant(g)));
            if (useBias) {
                y = g.op("Add", name() + "/bias_add", List.of(y, w.get(1).constant(g)));
            }
            return activation.onnx(g, y, name());
        }
    }

    /** Keras's Activation layer. */
    static final class Act extends Layer.Elementwise {
        private final KerasActivation activation;

        Act(LayerConfig c) {
            super(c);
            activation = c.activation("activation", "linear");
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return activation.apply(x);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            return activation.onnx(g, x, name());
        }
    }

    /** Keras's ReLU layer (max_value, negative_slope, threshold) and LeakyReLU (alpha). */
    static final class Relu extends Layer.Elementwise {
        private final double maxValue;
        private final double negativeSlope;
        private final double threshold;

        Relu(LayerConfig c, boolean leaky) {
            super(c);
            maxValue = leaky ? Double.POSITIVE_INFINITY : c.doubleOr("max_value", Double.POSITIVE_INFINITY);
            // Keras 3's LeakyReLU names alpha negative_slope.
            negativeSlope = leaky ? c.doubleOr("negative_slope", c.doubleOr("alpha", 0.3)) : c.doubleOr("negative_slope", 0);
            threshold = leaky ? 0 : c.doubleOr("threshold", 0);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            NDArray y = negativeSlope == 0 && threshold == 0 ? ai.djl.nn.Activation.relu(x)
                    : NDArrays.where(x.gte(threshold), x, x.sub(threshold).mul(negativeSlope));
            return Double.isInfinite(maxValue) ? y : y.minimum(maxValue);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            String y;
            if (negativeSlope == 0 && threshold == 0) {
                y = g.op("Relu", name(), List.of(x));
            } else if (threshold == 0) {
                y = g.op("LeakyRelu", name(), List.of(x), OnnxAttribute.of("alpha", (float) negativeSlope));
            } else {
                String t = g.scalar(name() + "/threshold", (float) threshold);
                String below = g.op("Mul", name() + "/below", List.of(g.op("Sub", name() + "/shifted", List.of(x, t)),
                        g.scalar(name() + "/slope", (float) negativeSlope)));
                y = g.op("Where", name(), List.of(g.op("GreaterOrEqual", name() + "/above", List.of(x, t)), x, below));
            }
            return Double.isInfinite(maxValue) ? y : g.op("Min", name() + "/max_value", List.of(y, g.scalar(name() + "/cap", (float) maxValue)));
        }
    }

    /** Keras's Softmax layer over one axis. */
    static final class Softmax extends Layer.Single {
        private final int axis;

        Softmax(LayerConfig c) {
            super(c);
            axis = c.intOr("axis", -1);
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        Shape outputShape(Shape in) {
            if (axis == 0 || axis > in.dimension() || axis < -in.dimension()) {
                throw error("axis " + axis + " is outside the input " + Shapes.keras(in) + "; use a non-batch axis");
            }
            return in;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return x.softmax(axis);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            return g.op("Softmax", name(), List.of(x), OnnxAttribute.of("axis", (long) axis));
        }
    }

    /**
     * Keras's Dropout, SpatialDropout1D and SpatialDropout2D: in training, zero entries with probability rate and
     * scale the rest by 1/(1-rate), with masks drawn from the step's seed; identity in inference.
     */
    static final class Dropout extends Layer.Single {
        private final double rate;
        private final long[] noiseShape; // all axes, batch first; 1 = shared across that axis, -1 = the input's size
        private final String kind;
        private final boolean channelsFirst;

        Dropout(LayerConfig c, String kind) {
            super(c);
            this.kind = kind;
            rate = c.doubleOr("rate", Double.NaN);
            if (!(rate >= 0 && rate < 1)) {
                throw c.error("rate " + c.node("rate") + " is not in [0, 1); set a rate in [0, 1)");
            }
            channelsFirst = !kind.equals("Dropout") && c.channelsFirst();
            JsonNode ns = c.node("noise_shape");
            if (kind.equals("Dropout") && ns != null && !ns.isNull()) {
                if (!ns.isArray() || ns.size() < 2) {
                    throw c.error("noise_shape " + ns + " is not a list [batch, dims...]; give one entry per axis");
                }
                noiseShape = new long[ns.size()];
                for (int i = 0; i < ns.size(); i++) {
                    noiseShape[i] = ns.get(i).isNull() ? -1 : ns.get(i).asLong();
                }
            } else {
                noiseShape = null;
            }
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        Shape outputShape(Shape in) {
            switch (kind) {
                case "SpatialDropout1D" -> requireRank(in, 2);
                case "SpatialDropout2D" -> requireRank(in, 3);
                default -> {
                    if (noiseShape != null && noiseShape.length != in.dimension() + 1) {
                        throw error("noise_shape has " + noiseShape.length + " entries but the input " + Shapes.keras(in)
                                + " has " + (in.dimension() + 1) + " axes; give one entry per axis");
                    }
                    for (int i = 1; noiseShape != null && i < noiseShape.length; i++) {
                        if (noiseShape[i] != -1 && noiseShape[i] != 1 && noiseShape[i] != in.get(i - 1)) {
                            throw error("noise_shape entry " + noiseShape[i] + " fits neither 1 nor the input " + Shapes.keras(in)
                                    + "; use null, 1 or the input's size per axis");
                        }
                    }
                }
            }
            return in;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            if (!ctx.training() || rate == 0) {
                return x;
            }
            long[] dims = x.getShape().getShape();
            long[] mask = dims.clone();
            int last = dims.length - 1;
            if (kind.startsWith("Spatial")) {
                for (int i = 1; i < dims.length; i++) {
                    boolean channel = channelsFirst ? i == 1 : i == last;
                    mask[i] = channel ? dims[i] : 1;
                }
            } else if (noiseShape != null) {
                for (int i = 0; i < dims.length; i++) {
                    mask[i] = noiseShape[i] < 0 ? dims[i] : noiseShape[i];
                }
            }
            Shape maskShape = new Shape(mask);
            float[] m = new float[Math.toIntExact(maskShape.size())];
            float keep = (float) (1 / (1 - rate));
            SplittableRandom rng = ctx.random();
            for (int i = 0; i < m.length; i++) {
                m[i] = rng.nextDouble() < rate ? 0f : keep;
            }
            return x.mul(x.getManager().create(m, maskShape));
        }

        /** Dropout is the identity in inference. */
        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            return g.op("Identity", name(), List.of(x));
        }
    }

    /** Keras's Flatten; with data_format channels_first it moves channels last first, as Keras does. */
    static final class Flatten extends Layer.Single {
        private final boolean channelsFirst;

        Flatten(LayerConfig c) {
            super(c);
            channelsFirst = c.channelsFirst();
        }

        @Override
        Shape outputShape(Shape in) {
            return new Shape(Shapes.product(in));
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int r = x.getShape().dimension();
            if (channelsFirst && r > 2) {
                int[] axes = new int[r];
                axes[0] = 0;
                for (int i = 1; i < r - 1; i++) {
                    axes[i] = i + 1;
                }
                axes[r - 1] = 1;
                x = x.transpose(axes);
            }
            return x.reshape(x.getShape().get(0), -1);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            int r = in.dimension() + 1;
            if (channelsFirst && r > 2) {
                int[] axes = new int[r];
                for (int i = 1; i < r - 1; i++) {
                    axes[i] = i + 1;
                }
                axes[r - 1] = 1;
                x = OnnxOps.transpose(g, x, name() + "/channels_last", axes);
            }
            return g.op("Flatten", name(), List.of(x), OnnxAttribute.of("axis", 1L));
        }
    }

    /** Keras's Reshape to target_shape (one entry may be -1). */
    static final class Reshape extends Layer.Single {
        private final long[] target;

        Reshape(LayerConfig c) {
            super(c);
            JsonNode t = c.node("target_shape");
            if (t == null || !t.isArray() || t.isEmpty()) {
                throw c.error("target_shape " + t + " is not a list of dimensions; give the shape without the batch");
            }
            target = new long[t.size()];
            int unknown = 0;
            for (int i = 0; i < t.size(); i++) {
                target[i] = t.get(i).asLong();
                if (target[i] == -1) {
                    unknown++;
                } else if (target[i] <= 0) {
                    throw c.error("target_shape " + t + " has dimension " + t.get(i) + "; use positive integers and at most one -1");
                }
            }
            if (unknown > 1) {
                throw c.error("target_shape " + t + " has more than one -1; use at most one");
            }
        }

        @Override
        Shape outputShape(Shape in) {
            long size = Shapes.product(in);
            long known = 1;
            for (long d : target) {
                known *= d == -1 ? 1 : d;
            }
            long[] out = target.clone();
            for (int i = 0; i < out.length; i++) {
                if (out[i] == -1) {
                    out[i] = size < 0 ? -1 : size / known;
                    known *= Math.max(out[i], 1);
                }
            }
            if (size >= 0 && known != size) {
                throw error("cannot reshape " + Shapes.keras(in) + " (" + size + " values per sample) to target_shape "
                        + java.util.Arrays.toString(target) + "; fix target_shape");
            }
            return new Shape(out);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return x.reshape(new Shape(x.getShape().get(0)).addAll(new Shape(target)));
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            long[] shape = new long[target.length + 1];
            System.arraycopy(target, 0, shape, 1, target.length); // 0 keeps the batch dimension
            return g.op("Reshape", name(), List.of(x, g.longs(name() + "/shape", shape)));
        }
    }

    /** Keras's Rescaling: x * scale + offset, each a number or one number per channel (the last axis), as EfficientNet writes it. */
    static final class Rescaling extends Layer.Single {
        private final float[] scale;
        private final float[] offset;

        Rescaling(LayerConfig c) {
            super(c);
            if (!c.has("scale")) {
                throw c.error("'scale' is missing; set a number");
            }
            scale = numbers(c, "scale");
            offset = c.has("offset") ? numbers(c, "offset") : new float[] {0};
        }

        private static float[] numbers(LayerConfig c, String key) {
            JsonNode v = c.node(key);
            if (v.isNumber()) {
                return new float[] {(float) v.asDouble()};
            }
            if (v.isArray() && !v.isEmpty()) {
                float[] out = new float[v.size()];
                for (int i = 0; i < out.length; i++) {
                    if (!v.get(i).isNumber()) {
                        throw c.error("'" + key + "' is " + v + "; give a number or a list of numbers");
                    }
                    out[i] = (float) v.get(i).asDouble();
                }
                return out;
            }
            throw c.error("'" + key + "' is " + v + "; give a number or a list of numbers");
        }

        private NDArray operand(NDArray x, float[] values) {
            return values.length == 1 ? x.getManager().create(values[0]) : x.getManager().create(values);
        }

        @Override
        boolean passesMask() {
            return true;
        }

        @Override
        Shape outputShape(Shape in) {
            for (float[] v : List.of(scale, offset)) {
                if (v.length > 1 && (in.dimension() == 0 || in.get(in.dimension() - 1) != v.length)) {
                    throw error("has " + v.length + " values per channel but the input is " + Shapes.keras(in) + "; give one per channel or one number");
                }
            }
            return in;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return x.mul(operand(x, scale)).add(operand(x, offset));
        }

        /** A number is a scalar; one per channel is a [channels] constant that ONNX broadcasts over the last axis. */
        private static String onnxOperand(OnnxGraph g, String base, float[] values) {
            return values.length == 1 ? g.scalar(base, values[0]) : g.constant(base, new long[] {values.length}, values);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            String scaled = g.op("Mul", name() + "/scale", List.of(x, onnxOperand(g, name() + "/scale", scale)));
            return g.op("Add", name(), List.of(scaled, onnxOperand(g, name() + "/offset", offset)));
        }
    }

    /** Keras's Permute: reorders the non-batch axes by dims (a permutation of 1..rank). */
    static final class Permute extends Layer.Single {
        private final int[] dims;

        Permute(LayerConfig c) {
            super(c);
            JsonNode d = c.node("dims");
            if (d == null || !d.isArray() || d.isEmpty()) {
                throw c.error("'dims' " + d + " is not a list of axes; give a permutation of 1..rank");
            }
            dims = new int[d.size()];
            boolean[] seen = new boolean[d.size() + 1];
            for (int i = 0; i < dims.length; i++) {
                int a = d.get(i).asInt();
                if (!d.get(i).isIntegralNumber() || a < 1 || a > dims.length || seen[a]) {
                    throw c.error("'dims' " + d + " is not a permutation of 1.." + dims.length + "; give each non-batch axis once");
                }
                seen[a] = true;
                dims[i] = a;
            }
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, dims.length);
            long[] out = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                out[i] = in.get(dims[i] - 1);
            }
            return new Shape(out);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int[] axes = new int[dims.length + 1];
            for (int i = 0; i < dims.length; i++) {
                axes[i + 1] = dims[i];
            }
            return x.transpose(axes);
        }
    }

    /** Keras's RepeatVector: [features] to [n, features]. */
    static final class RepeatVector extends Layer.Single {
        private final int n;

        RepeatVector(LayerConfig c) {
            super(c);
            n = c.requiredPositiveInt("n");
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, 1);
            return new Shape(n, in.get(0));
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return x.expandDims(1).repeat(1, n);
        }
    }

    /** Keras's Masking: zeroes and masks the time steps whose features all equal mask_value. */
    static final class Masking extends Layer.Single {
        private final float maskValue;

        Masking(LayerConfig c) {
            super(c);
            maskValue = (float) c.doubleOr("mask_value", 0);
        }

        @Override
        Shape outputShape(Shape in) {
            if (in.dimension() < 2) {
                throw error("needs an input [time, features...] but gets " + Shapes.keras(in) + "; fix the input shape");
            }
            return in;
        }

        private NDArray keep(NDArray x) {
            NDArray flat = x.reshape(x.getShape().get(0), x.getShape().get(1), -1);
            return Masks.of(flat.neq(maskValue).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).max(new int[] {2}));
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            NDArray k = keep(x);
            long[] b = new long[x.getShape().dimension()];
            java.util.Arrays.fill(b, 1);
            b[0] = x.getShape().get(0);
            b[1] = x.getShape().get(1);
            return x.mul(k.reshape(new Shape(b)));
        }

        @Override
        List<NDArray> outputMasks(ForwardContext ctx, NDList inputs, NDList outputs) {
            return List.of(keep(inputs.singletonOrThrow()));
        }

    }
}
