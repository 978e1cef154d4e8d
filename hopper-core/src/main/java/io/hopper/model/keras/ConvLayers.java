package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras's convolutions (Conv1D, Conv2D, Conv3D, DepthwiseConv2D, SeparableConv2D, Conv1DTranspose, Conv2DTranspose)
 * with TensorFlow's 'same' padding (the odd zero goes after), strides, dilation, groups and both data formats; kernels
 * stay in Keras's layout ([k..., in, out]; a transposed convolution's is [k..., out, in]) and are permuted to
 * PyTorch's inside the forward pass.
 */
final class ConvLayers {
    private ConvLayers() {
    }

    /** Which convolution. */
    enum Kind { REGULAR, DEPTHWISE, SEPARABLE, TRANSPOSE }

    /** A Keras convolution layer of spatial rank 1, 2 or 3. */
    static final class Conv extends Layer.Single {
        private final int rank;
        private final Kind kind;
        private final int filters;
        private final int depthMultiplier;
        private final int groups;
        private final int[] kernel;
        private final int[] strides;
        private final int[] dilation;
        private final String padding;
        private final boolean channelsFirst;
        private final boolean useBias;
        private final KerasActivation activation;
        private final KerasInitializer kernelInit;
        private final KerasInitializer pointwiseInit;
        private final KerasInitializer biasInit;

        Conv(LayerConfig c, int rank, Kind kind) {
            super(c);
            this.rank = rank;
            this.kind = kind;
            filters = kind == Kind.DEPTHWISE ? 0 : c.requiredPositiveInt("filters");
            depthMultiplier = kind == Kind.REGULAR ? 1 : c.intOr("depth_multiplier", 1);
            groups = kind == Kind.REGULAR ? c.intOr("groups", 1) : 1;
            if (kind == Kind.TRANSPOSE && c.has("output_padding")) {
                throw c.error("'output_padding' is set, which Hopper does not support; set it to null");
            }
            kernel = c.tuple("kernel_size", rank, null);
            strides = c.tuple("strides", rank, ones(rank));
            dilation = c.tuple("dilation_rate", rank, ones(rank));
            padding = c.padding(rank == 1 && kind == Kind.REGULAR);
            channelsFirst = c.channelsFirst();
            useBias = c.boolOr("use_bias", true);
            activation = c.activation("activation", "linear");
            kernelInit = c.initializer(kind == Kind.REGULAR || kind == Kind.TRANSPOSE ? "kernel_initializer" : "depthwise_initializer", KerasInitializer.GLOROT_UNIFORM);
            pointwiseInit = c.initializer("pointwise_initializer", KerasInitializer.GLOROT_UNIFORM);
            biasInit = c.initializer("bias_initializer", KerasInitializer.ZEROS);
            if (depthMultiplier <= 0 || groups <= 0 || (filters > 0 && filters % groups != 0)) {
                throw c.error("depth_multiplier " + depthMultiplier + " / groups " + groups + " must be positive and divide filters; fix them");
            }
            for (int i = 0; i < rank; i++) {
                if (strides[i] > 1 && dilation[i] > 1) {
                    throw c.error("strides > 1 together with dilation_rate > 1 is not allowed in Keras; use one of them");
                }
            }
        }

        private long channels(Shape in) {
            return known(in.get(channelsFirst ? 0 : rank), "the input's channel dimension");
        }

        private long outChannels(Shape in) {
            return kind == Kind.DEPTHWISE ? channels(in) * depthMultiplier : filters;
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, rank + 1);
            long ch = channels(in);
            if (ch % groups != 0) {
                throw error("input channels " + ch + " are not divisible by groups " + groups + "; fix groups");
            }
            long[] out = new long[rank + 1];
            int first = channelsFirst ? 1 : 0;
            for (int i = 0; i < rank; i++) {
                if (kind == Kind.TRANSPOSE) {
                    out[first + i] = transposedLength(in.get(first + i), i);
                    continue;
                }
                long o = Shapes.windowOut(in.get(first + i), kernel[i], strides[i], dilation[i], padding);
                if (o == 0) {
                    throw error("kernel " + kernel[i] + " (dilation " + dilation[i] + ") is larger than the input " + Shapes.keras(in)
                            + " with padding 'valid'; use padding 'same' or a smaller kernel");
                }
                out[first + i] = o;
            }
            out[channelsFirst ? 0 : rank] = outChannels(in);
            return new Shape(out);
        }

        /** Keras's deconv_output_length: (n-1)*stride + dilated kernel for 'valid', n*stride for 'same'. */
        private long transposedLength(long n, int i) {
            if (n < 0) {
                return -1;
            }
            return padding.equals("same") ? n * strides[i] : (n - 1) * strides[i] + (long) (kernel[i] - 1) * dilation[i] + 1;
        }

        @Override
        List<WeightSpec> weights(Shape in) {
            long ch = channels(in);
            List<WeightSpec> w = new ArrayList<>();
            Shape k = new Shape(java.util.Arrays.stream(kernel).asLongStream().toArray());
            switch (kind) {
                case REGULAR -> w.add(new WeightSpec("kernel", k.add(ch / groups, filters), true, kernelInit));
                case TRANSPOSE -> w.add(new WeightSpec("kernel", k.add(filters, ch), true, kernelInit));
                case DEPTHWISE -> w.add(new WeightSpec("depthwise_kernel", k.add(ch, depthMultiplier), true, kernelInit));
                case SEPARABLE -> {
                    w.add(new WeightSpec("depthwise_kernel", k.add(ch, depthMultiplier), true, kernelInit));
                    w.add(new WeightSpec("pointwise_kernel", new Shape(toLong(ones(rank))).add(ch * depthMultiplier, filters), true, pointwiseInit));
                }
            }
            if (useBias) {
                w.add(new WeightSpec("bias", new Shape(outChannels(in)), true, biasInit));
            }
            return w;
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            NDArray nc = channelsFirst ? x : toChannelsFirst(x);
            if (kind == Kind.TRANSPOSE) {
                return activation.apply(channelsFirst ? transposed(nc, w) : toChannelsLast(transposed(nc, w)));
            }
            long[] spatial = nc.getShape().slice(2).getShape();
            long[][] pads = new long[rank][];
            for (int i = 0; i < rank; i++) {
                pads[i] = switch (padding) {
                    case "valid" -> new long[] {0, 0};
                    case "causal" -> new long[] {(long) (kernel[i] - 1) * dilation[i], 0};
                    default -> java.util.Arrays.stream(Shapes.samePad(spatial[i], kernel[i], strides[i], dilation[i])).asLongStream().toArray();
                };
            }
            long[] symmetric = symmetricOrNull(pads);
            if (symmetric == null) {
                nc = padSpatial(nc, pads, 0);
                symmetric = new long[rank];
            }
            NDArray bias = useBias ? w.get(w.size() - 1) : null;
            NDArray y;
            if (kind == Kind.REGULAR) {
                y = conv(groups == 1 ? nc : contiguous(nc), kerasToTorch(w.get(0)), bias, new Shape(toLong(strides)), new Shape(symmetric),
                        new Shape(toLong(dilation)), groups);
            } else {
                long ch = nc.getShape().get(1);
                // [k..., ch, dm] -> [ch, dm, k...] -> [ch*dm, 1, k...]
                int[] axes = new int[rank + 2];
                axes[0] = rank;
                axes[1] = rank + 1;
                for (int i = 0; i < rank; i++) {
                    axes[i + 2] = i;
                }
                NDArray dw = w.get(0).transpose(axes).reshape(new Shape(ch * depthMultiplier, 1).addAll(w.get(0).getShape().slice(0, rank)));
                boolean separable = kind == Kind.SEPARABLE;
                y = conv(contiguous(nc), dw, separable ? null : bias, new Shape(toLong(strides)), new Shape(symmetric), new Shape(toLong(dilation)), (int) ch);
                if (separable) {
                    y = conv(y, kerasToTorch(w.get(1)), bias, new Shape(toLong(ones(rank))), new Shape(new long[rank]),
                            new Shape(toLong(ones(rank))), 1);
                }
            }
            return activation.apply(channelsFirst ? y : toChannelsLast(y));
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            if (kind == Kind.TRANSPOSE) { // Hopper's own transposed convolution has no ONNX form here yet
                throw noOnnx();
            }
            String nc = channelsFirst ? x : OnnxOps.toChannelsFirst(g, x, name() + "/nchw", rank + 2);
            OnnxAttribute padAttr = OnnxOps.windowPads(padding, new Shapes.Window(kernel, strides, dilation), in, channelsFirst ? 1 : 0);
            String bias = useBias ? w.get(w.size() - 1).constant(g) : null;
            long ch = channels(in);
            String y;
            if (kind == Kind.REGULAR) {
                y = onnxConv(g, nc, torchKernel(g, w.get(0)), bias, strides, dilation, padAttr, groups, kernel);
            } else {
                WeightValues dw = w.get(0);
                long[] flat = new Shape(ConvLayers.toLong(kernel)).add(ch * depthMultiplier).getShape();
                int[] perm = new int[rank + 1];
                perm[0] = rank;
                for (int i = 1; i <= rank; i++) {
                    perm[i] = i - 1;
                }
                long[] dims = new Shape(ch * depthMultiplier, 1).addAll(new Shape(ConvLayers.toLong(kernel))).getShape();
                String depthwise = g.constant(dw.name(), dims, OnnxOps.permute(dw.values(), flat, perm));
                boolean separable = kind == Kind.SEPARABLE;
                y = onnxConv(g, nc, depthwise, separable ? null : bias, strides, dilation, padAttr, (int) ch, kernel);
                if (separable) {
                    y = onnxConv(g, y, torchKernel(g, w.get(1)), bias, ones(rank), ones(rank), OnnxAttribute.ints("pads", new long[2 * rank]), 1,
                            ones(rank));
                }
            }
            return activation.onnx(g, channelsFirst ? y : OnnxOps.toChannelsLast(g, y, name() + "/nhwc", rank + 2), name());
        }

        private String onnxConv(OnnxGraph g, String x, String weight, String bias, int[] stride, int[] dil, OnnxAttribute pads, int group,
                                int[] kernelShape) {
            List<String> in = bias == null ? List.of(x, weight) : List.of(x, weight, bias);
            return g.op("Conv", name() + "/conv", in, OnnxAttribute.ints("strides", toLong(stride)), OnnxAttribute.ints("dilations", toLong(dil)),
                    OnnxAttribute.ints("kernel_shape", toLong(kernelShape)), OnnxAttribute.of("group", (long) group), pads);
        }

        /** A Keras kernel [k..., in, out] as a constant in ONNX's [out, in, k...]. */
        private static String torchKernel(OnnxGraph g, WeightValues k) {
            int r = k.shape().dimension();
            int[] perm = new int[r];
            perm[0] = r - 1;
            perm[1] = r - 2;
            for (int i = 2; i < r; i++) {
                perm[i] = i - 2;
            }
            long[] dims = k.shape().getShape();
            return g.constant(k.name(), OnnxOps.permuted(dims, perm), OnnxOps.permute(k.values(), dims, perm));
        }

        private NDArray conv(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape pad, Shape dil, int g) {
            return switch (rank) {
                case 1 -> Conv1d.conv1d(x, weight, bias, stride, pad, dil, g).singletonOrThrow();
                case 2 -> Conv2d.conv2d(x, weight, bias, stride, pad, dil, g).singletonOrThrow();
                default -> ai.djl.nn.convolutional.Conv3d.conv3d(x, weight, bias, stride, pad, dil, g).singletonOrThrow();
            };
        }

        /**
         * The transposed convolution on [b, c, s...]: PyTorch's full output (no padding), then TensorFlow's 'same' crop
         * (the gradient of a 'same' convolution: total k-stride, the odd one after), zeros appended where the full
         * output is shorter, and the bias.
         */
        private NDArray transposed(NDArray nc, List<NDArray> w) {
            // PyTorch's engine in DJL has no transposed convolution: spread the input by the strides (zeros between),
            // pad it by the dilated kernel minus one and convolve with the spatially flipped kernel [out, in, k...].
            NDArray spread = nc;
            long[][] pads = new long[rank][];
            for (int i = 0; i < rank; i++) {
                spread = spread(spread, 2 + i, strides[i]);
                long k = (long) (kernel[i] - 1) * dilation[i];
                pads[i] = new long[] {k, k};
            }
            spread = padSpatial(spread, pads, 0);
            int r = rank + 2;
            int[] axes = new int[r];
            axes[0] = r - 2;
            axes[1] = r - 1;
            int[] spatial = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[2 + i] = i;
                spatial[i] = 2 + i;
            }
            NDArray weight = w.get(0).transpose(axes).flip(spatial);
            NDArray y = conv(spread, weight, null, new Shape(toLong(ones(rank))), new Shape(new long[rank]), new Shape(toLong(dilation)), 1);
            if (padding.equals("same")) {
                long[][] crop = new long[rank][];
                StringBuilder index = new StringBuilder(":, :");
                for (int i = 0; i < rank; i++) {
                    long n = nc.getShape().get(2 + i);
                    long full = y.getShape().get(2 + i);
                    long want = n * strides[i];
                    long total = Math.max((long) (kernel[i] - 1) * dilation[i] + 1 - strides[i], 0);
                    long before = total / 2;
                    index.append(", ").append(before).append(':').append(Math.min(full, before + want));
                    crop[i] = new long[] {0, Math.max(0, before + want - full)};
                }
                y = y.get(index.toString());
                if (java.util.Arrays.stream(crop).anyMatch(p -> p[1] > 0)) {
                    y = padSpatial(y, crop, 0);
                }
            }
            if (useBias) {
                long[] b = new long[rank + 2];
                java.util.Arrays.fill(b, 1);
                b[1] = filters;
                y = y.add(w.get(1).reshape(new Shape(b)));
            }
            return y;
        }
    }

    /** Inserts stride-1 zeros between the entries of one axis (n entries become (n-1)*stride+1). */
    static NDArray spread(NDArray x, int axis, int stride) {
        if (stride == 1) {
            return x;
        }
        long[] dims = x.getShape().getShape();
        long n = dims[axis];
        NDArray e = x.expandDims(axis + 1);
        long[] zerosShape = e.getShape().getShape().clone();
        zerosShape[axis + 1] = stride - 1;
        NDArray z = x.getManager().zeros(new Shape(zerosShape), x.getDataType());
        long[] merged = dims.clone();
        merged[axis] = n * stride;
        NDArray y = e.concat(z, axis + 1).reshape(new Shape(merged));
        StringBuilder index = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            index.append(i == 0 ? "" : ", ").append(i == axis ? "0:" + ((n - 1) * stride + 1) : ":");
        }
        return y.get(index.toString());
    }

    /**
     * The array in contiguous memory. PyTorch's grouped convolutions (seen with depth_multiplier > 1 and groups > 1)
     * sum wrongly over an input that is a channels-last view, which is what the NHWC-to-NCHW transpose makes.
     */
    static NDArray contiguous(NDArray x) {
        return x.flatten().reshape(x.getShape());
    }

    static int[] ones(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    static long[] toLong(int[] a) {
        return java.util.Arrays.stream(a).asLongStream().toArray();
    }

    /** [b, s..., c] to [b, c, s...]. */
    static NDArray toChannelsFirst(NDArray x) {
        int r = x.getShape().dimension();
        int[] axes = new int[r];
        axes[1] = r - 1;
        for (int i = 2; i < r; i++) {
            axes[i] = i - 1;
        }
        return x.transpose(axes);
    }

    /** [b, c, s...] to [b, s..., c]. */
    static NDArray toChannelsLast(NDArray x) {
        int r = x.getShape().dimension();
        int[] axes = new int[r];
        for (int i = 1; i < r - 1; i++) {
            axes[i] = i + 1;
        }
        axes[r - 1] = 1;
        return x.transpose(axes);
    }

    /** A Keras kernel [k..., in, out] as PyTorch's [out, in, k...]. */
    static NDArray kerasToTorch(NDArray kernel) {
        int r = kernel.getShape().dimension();
        int[] axes = new int[r];
        axes[0] = r - 1;
        axes[1] = r - 2;
        for (int i = 2; i < r; i++) {
            axes[i] = i - 2;
        }
        return kernel.transpose(axes);
    }

    /** The per-dimension padding if every dimension pads equally on both sides, else null. */
    static long[] symmetricOrNull(long[][] pads) {
        long[] out = new long[pads.length];
        for (int i = 0; i < pads.length; i++) {
            if (pads[i][0] != pads[i][1]) {
                return null;
            }
            out[i] = pads[i][0];
        }
        return out;
    }

    /** Pads the trailing spatial axes of a [b, c, s...] array by {before, after} each, with the value. */
    static NDArray padSpatial(NDArray x, long[][] pads, double value) {
        int r = x.getShape().dimension();
        long[][] all = new long[r][];
        for (int i = 0; i < r; i++) {
            all[i] = i < r - pads.length ? new long[] {0, 0} : pads[i - (r - pads.length)];
        }
        return pad(x, all, value);
    }

    /** Pads every axis by {before, after}, with the value (PyTorch's constant pad, last axis first). */
    static NDArray pad(NDArray x, long[][] perAxis, double value) {
        long[] spec = new long[2 * perAxis.length];
        for (int i = 0; i < perAxis.length; i++) {
            int axis = perAxis.length - 1 - i;
            spec[2 * i] = perAxis[axis][0];
            spec[2 * i + 1] = perAxis[axis][1];
        }
        return x.pad(new Shape(spec), value);
    }
}
