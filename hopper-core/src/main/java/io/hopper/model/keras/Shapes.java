package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Shape arithmetic in Keras's conventions (-1 stands for None). */
final class Shapes {
    private Shapes() {
    }

    /** Keras's rendering with the batch dimension, e.g. {@code (None, 32, 32, 3)}. */
    static String keras(Shape s) {
        return "(None" + Arrays.stream(s.getShape()).mapToObj(d -> ", " + (d < 0 ? "None" : Long.toString(d)))
                .collect(Collectors.joining()) + ")";
    }

    /** The same shape with the batch dimension in front. */
    static Shape withBatch(long batch, Shape s) {
        return new Shape(batch).addAll(s);
    }

    /** Keras's output length of a convolution or pooling window over n positions (-1 stays -1). */
    static long windowOut(long n, int k, int stride, int dilation, String padding) {
        if (n < 0) {
            return -1;
        }
        if (padding.equals("valid")) {
            long span = (long) (k - 1) * dilation + 1;
            return n < span ? 0 : (n - span) / stride + 1;
        }
        return (n + stride - 1) / stride; // same and causal
    }

    /** The zeros TensorFlow adds before and after n positions for 'same' padding (the extra one goes after). */
    static int[] samePad(long n, int k, int stride, int dilation) {
        long out = (n + stride - 1) / stride;
        long total = Math.max((out - 1) * stride + (long) (k - 1) * dilation + 1 - n, 0);
        return new int[] {(int) (total / 2), (int) (total - total / 2)};
    }

    /** Whether two per-sample shapes agree wherever both are known. */
    static boolean compatible(Shape a, Shape b) {
        if (a.dimension() != b.dimension()) {
            return false;
        }
        for (int i = 0; i < a.dimension(); i++) {
            if (a.get(i) >= 0 && b.get(i) >= 0 && a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The product of the dimensions, or -1 if any is unknown. */
    static long product(Shape s) {
        long p = 1;
        for (long d : s.getShape()) {
            if (d < 0) {
                return -1;
            }
            p *= d;
        }
        return p;
    }

    /** A convolution or pooling window: its size, strides and dilation per spatial axis. */
    record Window(int[] kernel, int[] strides, int[] dilation) {
    }
}
