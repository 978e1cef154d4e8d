package io.hopper.data;

import java.util.Arrays;
import java.util.List;

/**
 * One buffer of a packed table, decoded: {@code rows} samples of X as float32 in channels-last layout and their
 * one-hot Y as int16, as MADlib's training_preprocessor_dl packs them.
 *
 * <p>Not a record because it holds primitive arrays for speed; the arrays are never exposed for writing:
 * {@link #x()} and {@link #y()} return the backing arrays, which callers must treat as read-only.
 */
public final class PackedBuffer {
    private final int bufferId;
    private final float[] x;
    private final List<Integer> xShape;
    private final short[] y;
    private final List<Integer> yShape;

    /**
     * Creates a buffer.
     *
     * @param bufferId the buffer's id in its table
     * @param x the features, row-major, product(xShape) values
     * @param xShape [rows, dims...]
     * @param y the one-hot labels, row-major, product(yShape) values
     * @param yShape [rows, classes]
     */
    public PackedBuffer(int bufferId, float[] x, List<Integer> xShape, short[] y, List<Integer> yShape) {
        this.bufferId = bufferId;
        this.x = x;
        this.xShape = List.copyOf(xShape);
        this.y = y;
        this.yShape = List.copyOf(yShape);
        if (this.xShape.size() < 2 || this.yShape.size() != 2) {
            throw new IllegalArgumentException("buffer " + bufferId + ": x_shape must be [rows, dims...] and y_shape [rows, classes], got "
                    + this.xShape + " and " + this.yShape);
        }
        if (!this.xShape.get(0).equals(this.yShape.get(0))) {
            throw new IllegalArgumentException("buffer " + bufferId + ": x has " + this.xShape.get(0) + " rows but y has " + this.yShape.get(0));
        }
        if (product(this.xShape) != x.length || product(this.yShape) != y.length) {
            throw new IllegalArgumentException("buffer " + bufferId + ": data length does not match its shape " + this.xShape + " / " + this.yShape);
        }
    }

    private static long product(List<Integer> shape) {
        long p = 1;
        for (int d : shape) {
            p *= d;
        }
        return p;
    }

    /** The buffer id. */
    public int bufferId() {
        return bufferId;
    }

    /** The number of samples. */
    public int rows() {
        return xShape.get(0);
    }

    /** The shape of one sample of X (xShape without the leading row count). */
    public List<Integer> sampleShape() {
        return xShape.subList(1, xShape.size());
    }

    /** The number of classes (columns of Y). */
    public int classes() {
        return yShape.get(1);
    }

    /** The features (read-only by contract). */
    public float[] x() {
        return x;
    }

    /** [rows, dims...]. */
    public List<Integer> xShape() {
        return xShape;
    }

    /** The one-hot labels (read-only by contract). */
    public short[] y() {
        return y;
    }

    /** [rows, classes]. */
    public List<Integer> yShape() {
        return yShape;
    }

    /** Bytes of memory this buffer's arrays take. */
    public long sizeBytes() {
        return 4L * x.length + 2L * y.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackedBuffer b && bufferId == b.bufferId && xShape.equals(b.xShape) && yShape.equals(b.yShape)
                && Arrays.equals(x, b.x) && Arrays.equals(y, b.y);
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(bufferId) + Arrays.hashCode(x);
    }
}
