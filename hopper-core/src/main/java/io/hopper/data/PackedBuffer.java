package io.hopper.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One buffer of a packed table, decoded: {@code rows} samples of each X (one per input) as float32 in channels-last
 * layout and of each one-hot Y (one per output) as int16, as MADlib's training_preprocessor_dl packs them.
 *
 * <p>A table packed from one X and one Y (format 1) has one of each; a table packed from several
 * {@code --independent-varname} or {@code --dependent-varname} groups (format 2, MADlib's {@code x_0..x_n},
 * {@code y_0..y_n}) has one per group. The accessors without an index ({@link #x()}, {@link #y()},
 * {@link #sampleShape()}, ...) are those of input 0 and output 0.
 *
 * <p>Not a record because it holds primitive arrays for speed; the arrays are never exposed for writing:
 * {@link #x(int)} and {@link #y(int)} return the backing arrays, which callers must treat as read-only.
 */
public final class PackedBuffer {
    private final int bufferId;
    private final List<float[]> xs;
    private final List<List<Integer>> xShapes;
    private final List<short[]> ys;
    private final List<List<Integer>> yShapes;

    /**
     * Creates a buffer of one input and one output.
     *
     * @param bufferId the buffer's id in its table
     * @param x the features, row-major, product(xShape) values
     * @param xShape [rows, dims...]
     * @param y the one-hot labels, row-major, product(yShape) values
     * @param yShape [rows, classes]
     */
    public PackedBuffer(int bufferId, float[] x, List<Integer> xShape, short[] y, List<Integer> yShape) {
        this(bufferId, List.of(x), List.of(xShape), List.of(y), List.of(yShape));
    }

    /**
     * Creates a buffer of several inputs and outputs.
     *
     * @param bufferId the buffer's id in its table
     * @param xs the features of each input, row-major, product(xShapes[i]) values each
     * @param xShapes [rows, dims...] of each input
     * @param ys the one-hot labels of each output, row-major, product(yShapes[k]) values each
     * @param yShapes [rows, classes] of each output
     */
    public PackedBuffer(int bufferId, List<float[]> xs, List<List<Integer>> xShapes, List<short[]> ys, List<List<Integer>> yShapes) {
        this.bufferId = bufferId;
        this.xs = List.copyOf(xs);
        this.ys = List.copyOf(ys);
        this.xShapes = copy(xShapes);
        this.yShapes = copy(yShapes);
        if (this.xs.isEmpty() || this.ys.isEmpty() || this.xs.size() != this.xShapes.size() || this.ys.size() != this.yShapes.size()) {
            throw new IllegalArgumentException("buffer " + bufferId + ": " + this.xs.size() + " x arrays with " + this.xShapes.size()
                    + " shapes and " + this.ys.size() + " y arrays with " + this.yShapes.size() + " shapes; give at least one of each, one shape per array");
        }
        for (int i = 0; i < this.xs.size(); i++) {
            List<Integer> s = this.xShapes.get(i);
            if (s.size() < 2) {
                throw new IllegalArgumentException("buffer " + bufferId + ": x_shape must be [rows, dims...], got " + s);
            }
            check(s, this.xs.get(i).length);
        }
        for (List<Integer> s : this.yShapes) {
            if (s.size() != 2) {
                throw new IllegalArgumentException("buffer " + bufferId + ": y_shape must be [rows, classes], got " + s);
            }
        }
        for (int k = 0; k < this.ys.size(); k++) {
            check(this.yShapes.get(k), this.ys.get(k).length);
        }
    }

    private void check(List<Integer> shape, int length) {
        if (!shape.get(0).equals(xShapes.get(0).get(0))) {
            throw new IllegalArgumentException("buffer " + bufferId + ": x has " + xShapes.get(0).get(0) + " rows but a shape " + shape
                    + " has " + shape.get(0));
        }
        if (product(shape) != length) {
            throw new IllegalArgumentException("buffer " + bufferId + ": data length " + length + " does not match its shape " + shape);
        }
    }

    private static List<List<Integer>> copy(List<List<Integer>> shapes) {
        List<List<Integer>> out = new ArrayList<>(shapes.size());
        shapes.forEach(s -> out.add(List.copyOf(s)));
        return List.copyOf(out);
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
        return xShapes.get(0).get(0);
    }

    /** The number of inputs (X arrays). */
    public int inputs() {
        return xs.size();
    }

    /** The number of outputs (Y arrays). */
    public int outputs() {
        return ys.size();
    }

    /** The shape of one sample of input 0 (xShape without the leading row count). */
    public List<Integer> sampleShape() {
        return sampleShape(0);
    }

    /** The shape of one sample of input i. */
    public List<Integer> sampleShape(int i) {
        List<Integer> s = xShapes.get(i);
        return s.subList(1, s.size());
    }

    /** The number of classes (columns of Y) of output 0. */
    public int classes() {
        return classes(0);
    }

    /** The number of classes of output k. */
    public int classes(int k) {
        return yShapes.get(k).get(1);
    }

    /** The features of input 0 (read-only by contract). */
    public float[] x() {
        return x(0);
    }

    /** The features of input i (read-only by contract). */
    public float[] x(int i) {
        return xs.get(i);
    }

    /** [rows, dims...] of input 0. */
    public List<Integer> xShape() {
        return xShape(0);
    }

    /** [rows, dims...] of input i. */
    public List<Integer> xShape(int i) {
        return xShapes.get(i);
    }

    /** The one-hot labels of output 0 (read-only by contract). */
    public short[] y() {
        return y(0);
    }

    /** The one-hot labels of output k (read-only by contract). */
    public short[] y(int k) {
        return ys.get(k);
    }

    /** [rows, classes] of output 0. */
    public List<Integer> yShape() {
        return yShape(0);
    }

    /** [rows, classes] of output k. */
    public List<Integer> yShape(int k) {
        return yShapes.get(k);
    }

    /** The features of every input (read-only by contract). */
    public List<float[]> xs() {
        return xs;
    }

    /** The shapes of every input. */
    public List<List<Integer>> xShapes() {
        return xShapes;
    }

    /** The labels of every output (read-only by contract). */
    public List<short[]> ys() {
        return ys;
    }

    /** The shapes of every output. */
    public List<List<Integer>> yShapes() {
        return yShapes;
    }

    /** Bytes of memory this buffer's arrays take. */
    public long sizeBytes() {
        long n = 0;
        for (float[] x : xs) {
            n += 4L * x.length;
        }
        for (short[] y : ys) {
            n += 2L * y.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PackedBuffer b) || bufferId != b.bufferId || !xShapes.equals(b.xShapes) || !yShapes.equals(b.yShapes)) {
            return false;
        }
        for (int i = 0; i < xs.size(); i++) {
            if (!Arrays.equals(xs.get(i), b.xs.get(i))) {
                return false;
            }
        }
        for (int k = 0; k < ys.size(); k++) {
            if (!Arrays.equals(ys.get(k), b.ys.get(k))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * Integer.hashCode(bufferId) + Arrays.hashCode(xs.get(0));
    }
}
