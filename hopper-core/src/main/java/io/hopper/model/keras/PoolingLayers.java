package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;

/**
 * Keras's pooling layers: MaxPooling1D/2D/3D and AveragePooling1D/2D/3D with TensorFlow's 'same' padding (max ignores the
 * padding, average divides by the number of real entries), and the global max/average poolings.
 */
final class PoolingLayers {
    private PoolingLayers() {
    }

    /** A windowed max or average pooling of spatial rank 1, 2 or 3. */
    static final class Pooling extends Layer.Single {
        private final int rank;
        private final boolean max;
        private final int[] pool;
        private final int[] strides;
        private final String padding;
        private final boolean channelsFirst;

        Pooling(LayerConfig c, int rank, boolean max) {
            super(c);
            this.rank = rank;
            this.max = max;
            int[] two = new int[rank];
            java.util.Arrays.fill(two, 2);
            pool = c.tuple("pool_size", rank, two);
            strides = c.tuple("strides", rank, pool);
            padding = c.padding(false);
            channelsFirst = c.channelsFirst();
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, rank + 1);
            long[] out = in.getShape().clone();
            int first = channelsFirst ? 1 : 0;
            for (int i = 0; i < rank; i++) {
                long o = Shapes.windowOut(in.get(first + i), pool[i], strides[i], 1, padding);
                if (o == 0) {
                    throw error("pool_size " + pool[i] + " is larger than the input " + Shapes.keras(in)
                            + " with padding 'valid'; use padding 'same' or a smaller pool");
                }
                out[first + i] = o;
            }
            return new Shape(out);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            NDArray nc = channelsFirst ? x : ConvLayers.toChannelsFirst(x);
            long[] spatial = nc.getShape().slice(2).getShape();
            long[][] pads = new long[rank][];
            for (int i = 0; i < rank; i++) {
                pads[i] = padding.equals("valid") ? new long[] {0, 0}
                        : java.util.Arrays.stream(Shapes.samePad(spatial[i], pool[i], strides[i], 1)).asLongStream().toArray();
            }
            Shape k = new Shape(ConvLayers.toLong(pool));
            Shape s = new Shape(ConvLayers.toLong(strides));
            long[] symmetric = ConvLayers.symmetricOrNull(pads);
            NDArray y;
            if (max) {
                NDArray in = symmetric != null ? nc : ConvLayers.padSpatial(nc, pads, Float.NEGATIVE_INFINITY);
                Shape p = new Shape(symmetric != null ? symmetric : new long[rank]);
                y = switch (rank) {
                    case 1 -> Pool.maxPool1d(in, k, s, p, false);
                    case 2 -> Pool.maxPool2d(in, k, s, p, false);
                    default -> Pool.maxPool3d(in, k, s, p, false);
                };
            } else if (padding.equals("valid")) {
                y = avg(nc, k, s);
            } else {
                // TensorFlow averages over the real entries only: window sums over the window's count of real entries.
                NDArray sums = avg(ConvLayers.padSpatial(nc, pads, 0), k, s);
                NDArray ones = nc.getManager().ones(new Shape(1, 1).addAll(new Shape(spatial)));
                y = sums.div(avg(ConvLayers.padSpatial(ones, pads, 0), k, s));
            }
            return channelsFirst ? y : ConvLayers.toChannelsLast(y);
        }

        /** ONNX's MaxPool pads with -inf and AveragePool (count_include_pad 0) divides by the real entries, as TensorFlow. */
        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            String nc = channelsFirst ? x : OnnxOps.toChannelsFirst(g, x, name() + "/nchw", rank + 2);
            OnnxAttribute padAttr = OnnxOps.windowPads(padding, new Shapes.Window(pool, strides, ConvLayers.ones(rank)), in, channelsFirst ? 1 : 0);
            String y = g.op(max ? "MaxPool" : "AveragePool", name() + "/pool", List.of(nc),
                    OnnxAttribute.ints("kernel_shape", ConvLayers.toLong(pool)), OnnxAttribute.ints("strides", ConvLayers.toLong(strides)), padAttr);
            return channelsFirst ? y : OnnxOps.toChannelsLast(g, y, name() + "/nhwc", rank + 2);
        }

        private NDArray avg(NDArray x, Shape k, Shape s) {
            Shape p = new Shape(new long[rank]);
            return switch (rank) {
                case 1 -> Pool.avgPool1d(x, k, s, p, false, true);
                case 2 -> Pool.avgPool2d(x, k, s, p, false, true);
                default -> Pool.avgPool3d(x, k, s, p, false, true);
            };
        }
    }

    /**
     * GlobalMaxPooling1D/2D/3D and GlobalAveragePooling1D/2D/3D over the spatial axes (keepdims as Keras);
     * GlobalAveragePooling1D averages over the time steps its input's mask keeps.
     */
    static final class Global extends Layer.Single {
        private final int rank;
        private final boolean max;
        private final boolean channelsFirst;
        private final boolean keepDims;

        Global(LayerConfig c, int rank, boolean max) {
            super(c);
            this.rank = rank;
            this.max = max;
            channelsFirst = c.channelsFirst();
            keepDims = c.boolOr("keepdims", false);
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, rank + 1);
            long ch = in.get(channelsFirst ? 0 : rank);
            if (!keepDims) {
                return new Shape(ch);
            }
            long[] out = new long[rank + 1];
            java.util.Arrays.fill(out, 1);
            out[channelsFirst ? 0 : rank] = ch;
            return new Shape(out);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            // PyTorch's max and mean in DJL reduce one axis at a time: flatten the spatial axes into one.
            Shape s = x.getShape();
            long batch = s.get(0);
            long ch = s.get(channelsFirst ? 1 : s.dimension() - 1);
            NDArray flat = x.reshape(channelsFirst ? new Shape(batch, ch, -1) : new Shape(batch, -1, ch));
            int axis = channelsFirst ? 2 : 1;
            NDArray mask = rank == 1 ? ctx.mask() : null;
            NDArray y;
            if (mask != null && !max) {
                // Keras averages over the steps the mask keeps.
                NDArray m = channelsFirst ? mask.expandDims(1) : mask.expandDims(2);
                y = flat.mul(m).sum(new int[] {axis}).div(m.sum(new int[] {axis}));
            } else {
                y = max ? flat.max(new int[] {axis}) : flat.mean(new int[] {axis});
            }
            return y.reshape(Shapes.withBatch(batch, outputShape(s.slice(1))));
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            long[] axes = new long[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = (channelsFirst ? 2 : 1) + i;
            }
            return g.op(max ? "ReduceMax" : "ReduceMean", name(), List.of(x), OnnxAttribute.ints("axes", axes),
                    OnnxAttribute.of("keepdims", keepDims ? 1L : 0L));
        }
    }
}
