package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;

/**
 * Keras's geometry layers without weights: ZeroPadding2D, Cropping2D and UpSampling2D (nearest), and their 1-D forms
 * over the steps of a [steps, channels] input.
 */
final class SpatialLayers {
    private SpatialLayers() {
    }

    /** Reads Keras's int, (a, b) or ((top, bottom), (left, right)) form into {{top, bottom}, {left, right}}. */
    static long[][] pairs(LayerConfig c, String key) {
        JsonNode v = c.node(key);
        String fix = "give an integer, [rows, cols] or [[top, bottom], [left, right]] of non-negative integers";
        if (v == null || v.isNull()) {
            throw c.error("'" + key + "' is missing; " + fix);
        }
        long[][] out = new long[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                JsonNode e = v.isIntegralNumber() ? v : v.isArray() && v.size() == 2 ? (v.get(i).isArray() ? v.get(i).get(j) : v.get(i)) : null;
                if (e == null || !e.isIntegralNumber() || e.asLong() < 0) {
                    throw c.error("'" + key + "' is " + v + "; " + fix);
                }
                out[i][j] = e.asLong();
            }
        }
        return out;
    }

    /** ZeroPadding2D. */
    static final class ZeroPadding extends Layer.Single {
        private final long[][] pads;
        private final boolean channelsFirst;

        ZeroPadding(LayerConfig c) {
            super(c);
            pads = pairs(c, "padding");
            channelsFirst = c.channelsFirst();
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, 3);
            long[] out = in.getShape().clone();
            int first = channelsFirst ? 1 : 0;
            for (int i = 0; i < 2; i++) {
                long d = in.get(first + i);
                out[first + i] = d < 0 ? -1 : d + pads[i][0] + pads[i][1];
            }
            return new Shape(out);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            long[][] all = channelsFirst ? new long[][] {{0, 0}, {0, 0}, pads[0], pads[1]} : new long[][] {{0, 0}, pads[0], pads[1], {0, 0}};
            return ConvLayers.pad(x, all, 0);
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            long[][] all = channelsFirst ? new long[][] {{0, 0}, {0, 0}, pads[0], pads[1]} : new long[][] {{0, 0}, pads[0], pads[1], {0, 0}};
            return g.op("Pad", name(), List.of(x, g.longs(name() + "/pads", OnnxOps.pads(all))), OnnxAttribute.of("mode", "constant"));
        }
    }

    /** Cropping2D. */
    static final class Cropping extends Layer.Single {
        private final long[][] crops;
        private final boolean channelsFirst;

        Cropping(LayerConfig c) {
            super(c);
            crops = pairs(c, "cropping");
            channelsFirst = c.channelsFirst();
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, 3);
            long[] out = in.getShape().clone();
            int first = channelsFirst ? 1 : 0;
            for (int i = 0; i < 2; i++) {
                long d = in.get(first + i);
                if (d >= 0 && d <= crops[i][0] + crops[i][1]) {
                    throw error("cropping " + crops[i][0] + "+" + crops[i][1] + " leaves nothing of " + Shapes.keras(in) + "; crop less");
                }
                out[first + i] = d < 0 ? -1 : d - crops[i][0] - crops[i][1];
            }
            return new Shape(out);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int first = channelsFirst ? 2 : 1;
            long h = x.getShape().get(first);
            long wd = x.getShape().get(first + 1);
            String rows = crops[0][0] + ":" + (h - crops[0][1]);
            String cols = crops[1][0] + ":" + (wd - crops[1][1]);
            return x.get(new NDIndex(channelsFirst ? ":, :, " + rows + ", " + cols : ":, " + rows + ", " + cols + ", :"));
        }

        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            int first = channelsFirst ? 2 : 1;
            long[] ends = {crops[0][1] == 0 ? Long.MAX_VALUE : -crops[0][1], crops[1][1] == 0 ? Long.MAX_VALUE : -crops[1][1]};
            return g.op("Slice", name(), List.of(x, g.longs(name() + "/starts", crops[0][0], crops[1][0]), g.longs(name() + "/ends", ends),
                    g.longs(name() + "/axes", first, first + 1)));
        }
    }

    /** UpSampling2D with nearest-neighbour interpolation. */
    static final class UpSampling extends Layer.Single {
        private final int[] size;
        private final boolean channelsFirst;

        UpSampling(LayerConfig c) {
            super(c);
            size = c.tuple("size", 2, new int[] {2, 2});
            channelsFirst = c.channelsFirst();
            String interpolation = c.stringOr("interpolation", "nearest");
            if (!interpolation.equals("nearest")) {
                throw c.error("interpolation '" + interpolation + "' is not supported; use nearest");
            }
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, 3);
            long[] out = in.getShape().clone();
            int first = channelsFirst ? 1 : 0;
            for (int i = 0; i < 2; i++) {
                long d = in.get(first + i);
                out[first + i] = d < 0 ? -1 : d * size[i];
            }
            return new Shape(out);
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            int first = channelsFirst ? 2 : 1;
            return x.repeat(first, size[0]).repeat(first + 1, size[1]);
        }

        /** Nearest resizing by whole factors with asymmetric coordinates and floor rounding repeats every entry. */
        @Override
        String onnx(OnnxGraph g, String x, Shape in, List<WeightValues> w) {
            float[] scales = channelsFirst ? new float[] {1, 1, size[0], size[1]} : new float[] {1, size[0], size[1], 1};
            return g.op("Resize", name(), List.of(x, "", g.constant(name() + "/scales", new long[] {4}, scales)),
                    OnnxAttribute.of("mode", "nearest"), OnnxAttribute.of("coordinate_transformation_mode", "asymmetric"),
                    OnnxAttribute.of("nearest_mode", "floor"));
        }
    }

    /** Reads Keras's int or (left, right) form of a 1-D layer into {left, right}. */
    static long[] pair(LayerConfig c, String key, long dflt) {
        JsonNode v = c.node(key);
        if (v == null || v.isNull()) {
            return new long[] {dflt, dflt};
        }
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode e = v.isIntegralNumber() ? v : v.isArray() && v.size() == 2 ? v.get(i) : null;
            if (e == null || !e.isIntegralNumber() || e.asLong() < 0) {
                throw c.error("'" + key + "' is " + v + "; give an integer or [left, right] of non-negative integers");
            }
            out[i] = e.asLong();
        }
        return out;
    }

    /** ZeroPadding1D, Cropping1D and UpSampling1D over the steps axis of a [steps, channels] input. */
    static final class Steps extends Layer.Single {
        /** What the layer does to the steps. */
        enum Kind { PAD, CROP, REPEAT }

        private final Kind kind;
        private final long[] amounts;
        private final int size;

        Steps(LayerConfig c, Kind kind) {
            super(c);
            this.kind = kind;
            amounts = switch (kind) {
                case PAD -> pair(c, "padding", 1);
                case CROP -> pair(c, "cropping", 1);
                case REPEAT -> new long[] {0, 0};
            };
            size = kind == Kind.REPEAT ? c.intOr("size", 2) : 1;
            if (c.channelsFirst()) {
                throw c.error("data_format channels_first is not supported for " + c.className() + "; use channels_last");
            }
        }

        @Override
        Shape outputShape(Shape in) {
            requireRank(in, 2);
            long d = in.get(0);
            if (kind == Kind.CROP && d >= 0 && d <= amounts[0] + amounts[1]) {
                throw error("cropping " + amounts[0] + "+" + amounts[1] + " leaves nothing of " + Shapes.keras(in) + "; crop less");
            }
            long out = d < 0 ? -1 : switch (kind) {
                case PAD -> d + amounts[0] + amounts[1];
                case CROP -> d - amounts[0] - amounts[1];
                case REPEAT -> d * size;
            };
            return new Shape(out, in.get(1));
        }

        @Override
        NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> w) {
            return switch (kind) {
                case PAD -> ConvLayers.pad(x, new long[][] {{0, 0}, amounts, {0, 0}}, 0);
                case CROP -> x.get(new NDIndex(":, " + amounts[0] + ":" + (x.getShape().get(1) - amounts[1]) + ", :"));
                case REPEAT -> x.repeat(1, size);
            };
        }
    }
}
