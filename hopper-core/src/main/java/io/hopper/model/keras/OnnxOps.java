package io.hopper.model.keras;

import io.hopper.model.onnx.OnnxAttribute;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;

/** The ONNX building blocks the layers share: layout transposes and weight permutations done once in Java. */
final class OnnxOps {
    private OnnxOps() {
    }

    static String transpose(OnnxGraph g, String x, String base, int... perm) {
        return g.op("Transpose", base, List.of(x), OnnxAttribute.ints("perm", java.util.Arrays.stream(perm).asLongStream().toArray()));
    }

    /** [b, s..., c] to [b, c, s...] for a tensor of this rank (batch included). */
    static String toChannelsFirst(OnnxGraph g, String x, String base, int rank) {
        int[] axes = new int[rank];
        axes[1] = rank - 1;
        for (int i = 2; i < rank; i++) {
            axes[i] = i - 1;
        }
        return transpose(g, x, base, axes);
    }

    /** [b, c, s...] to [b, s..., c] for a tensor of this rank (batch included). */
    static String toChannelsLast(OnnxGraph g, String x, String base, int rank) {
        int[] axes = new int[rank];
        for (int i = 1; i < rank - 1; i++) {
            axes[i] = i + 1;
        }
        axes[rank - 1] = 1;
        return transpose(g, x, base, axes);
    }

    /** Row-major values of shape {@code dims} with their axes permuted: output axis i is input axis perm[i]. */
    static float[] permute(float[] values, long[] dims, int[] perm) {
        int r = dims.length;
        long[] outDims = new long[r];
        for (int i = 0; i < r; i++) {
            outDims[i] = dims[perm[i]];
        }
        long[] inStrides = new long[r];
        long s = 1;
        for (int i = r - 1; i >= 0; i--) {
            inStrides[i] = s;
            s *= dims[i];
        }
        float[] out = new float[values.length];
        long[] index = new long[r];
        for (int o = 0; o < out.length; o++) {
            long at = 0;
            for (int i = 0; i < r; i++) {
                at += index[i] * inStrides[perm[i]];
            }
            out[o] = values[(int) at];
            for (int i = r - 1; i >= 0; i--) {
                if (++index[i] < outDims[i]) {
                    break;
                }
                index[i] = 0;
            }
        }
        return out;
    }

    /** The dims permuted as {@link #permute} permutes the values. */
    static long[] permuted(long[] dims, int[] perm) {
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[perm[i]];
        }
        return out;
    }

    /**
     * The padding attribute of a convolution or pooling window over the spatial axes of a per-sample shape whose first
     * spatial axis is {@code first}: explicit pads for 'valid', 'causal' and 'same' (TensorFlow's: the odd zero
     * after), or auto_pad SAME_UPPER (the same rule) when a spatial size is unknown.
     */
    static OnnxAttribute windowPads(String padding, Shapes.Window window, ai.djl.ndarray.types.Shape in, int first) {
        int rank = window.kernel().length;
        long[][] pads = new long[rank][];
        for (int i = 0; i < rank; i++) {
            long n = in.get(first + i);
            if (padding.equals("same") && n < 0) {
                return OnnxAttribute.of("auto_pad", "SAME_UPPER");
            }
            pads[i] = switch (padding) {
                case "valid" -> new long[] {0, 0};
                case "causal" -> new long[] {(long) (window.kernel()[i] - 1) * window.dilation()[i], 0};
                default -> java.util.Arrays.stream(Shapes.samePad(n, window.kernel()[i], window.strides()[i], window.dilation()[i]))
                        .asLongStream().toArray();
            };
        }
        return OnnxAttribute.ints("pads", pads(pads));
    }

    /** ONNX's pads attribute [begin..., end...] from per-axis {before, after} pairs. */
    static long[] pads(long[][] perAxis) {
        long[] out = new long[2 * perAxis.length];
        for (int i = 0; i < perAxis.length; i++) {
            out[i] = perAxis[i][0];
            out[perAxis.length + i] = perAxis[i][1];
        }
        return out;
    }

    /** Reverses axis {@code axis} of a tensor (a Slice with step -1). */
    static String reverse(OnnxGraph g, String x, String base, int axis) {
        return g.op("Slice", base, List.of(x, g.longs(base + "/start", -1), g.longs(base + "/end", Long.MIN_VALUE),
                g.longs(base + "/axes", axis), g.longs(base + "/steps", -1)));
    }
}
