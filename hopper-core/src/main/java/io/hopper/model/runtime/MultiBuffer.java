package io.hopper.model.runtime;

import io.hopper.data.PackedBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * One buffer of samples for a network with several inputs and outputs, as MADlib packs a multi-input, multi-output
 * table: X_i as float32 for each input (MADlib's x_0..x_n, channels-last) and one-hot Y_k as int16 for each output
 * (y_0..y_n), all with the same number of rows.
 *
 * <p>Not a record because it holds primitive arrays for speed; the arrays are never copied and callers must treat them
 * as read-only. {@link #of(PackedBuffer)} wraps a {@link PackedBuffer} (every input and output of it) without copying.
 */
public final class MultiBuffer {
    private final int bufferId;
    private final List<float[]> xs;
    private final List<List<Integer>> xShapes;
    private final List<short[]> ys;
    private final List<List<Integer>> yShapes;

    /**
     * Creates a buffer.
     *
     * @param bufferId the buffer's id in its table
     * @param xs the features of each input, row-major, product(xShapes[i]) values each
     * @param xShapes [rows, dims...] of each input
     * @param ys the one-hot labels of each output, row-major, product(yShapes[k]) values each
     * @param yShapes [rows, classes] of each output
     * @throws IllegalArgumentException naming the buffer when there is no input or output, a shape does not fit its
     *     data, or the row counts differ
     */
    public MultiBuffer(int bufferId, List<float[]> xs, List<List<Integer>> xShapes, List<short[]> ys, List<List<Integer>> yShapes) {
        this.bufferId = bufferId;
        this.xs = List.copyOf(xs);
        this.xShapes = copy(xShapes);
        this.ys = List.copyOf(ys);
        this.yShapes = copy(yShapes);
        if (this.xs.isEmpty() || this.ys.isEmpty() || this.xs.size() != this.xShapes.size() || this.ys.size() != this.yShapes.size()) {
            throw new IllegalArgumentException("buffer " + bufferId + ": has " + this.xs.size() + " x arrays with " + this.xShapes.size()
                    + " shapes and " + this.ys.size() + " y arrays with " + this.yShapes.size() + " shapes; give at least one of each, one shape per array");
        }
        int rows = this.xShapes.get(0).isEmpty() ? -1 : this.xShapes.get(0).get(0);
        for (int i = 0; i < this.xs.size(); i++) {
            check(bufferId, "x_" + i, this.xShapes.get(i), this.xs.get(i).length, rows, false);
        }
        for (int k = 0; k < this.ys.size(); k++) {
            check(bufferId, "y_" + k, this.yShapes.get(k), this.ys.get(k).length, rows, true);
        }
    }

    private static List<List<Integer>> copy(List<List<Integer>> shapes) {
        List<List<Integer>> out = new ArrayList<>(shapes.size());
        for (List<Integer> s : shapes) {
            out.add(List.copyOf(s));
        }
        return List.copyOf(out);
    }

    private static void check(int bufferId, String name, List<Integer> shape, int length, int rows, boolean labels) {
        if (labels ? shape.size() != 2 : shape.size() < 2) {
            throw new IllegalArgumentException("buffer " + bufferId + ": " + name + " has shape " + shape + "; it must be "
                    + (labels ? "[rows, classes]" : "[rows, dims...]"));
        }
        if (shape.get(0) != rows) {
            throw new IllegalArgumentException("buffer " + bufferId + ": " + name + " has " + shape.get(0) + " rows but x_0 has " + rows
                    + "; every array of a buffer holds the same samples");
        }
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (size != length) {
            throw new IllegalArgumentException("buffer " + bufferId + ": " + name + " holds " + length + " values but its shape " + shape
                    + " needs " + size);
        }
    }

    /** The buffer of a packed buffer (every input and output of it), sharing its arrays. */
    public static MultiBuffer of(PackedBuffer buffer) {
        return new MultiBuffer(buffer.bufferId(), buffer.xs(), buffer.xShapes(), buffer.ys(), buffer.yShapes());
    }

    /** The buffer id. */
    public int bufferId() {
        return bufferId;
    }

    /** The number of samples. */
    public int rows() {
        return xShapes.get(0).get(0);
    }

    /** The number of inputs. */
    public int inputs() {
        return xs.size();
    }

    /** The number of outputs. */
    public int outputs() {
        return ys.size();
    }

    /** The features of input i (read-only by contract). */
    public float[] x(int i) {
        return xs.get(i);
    }

    /** The shape of one sample of input i (its shape without the leading row count). */
    public List<Integer> sampleShape(int i) {
        return xShapes.get(i).subList(1, xShapes.get(i).size());
    }

    /** The one-hot labels of output k (read-only by contract). */
    public short[] y(int k) {
        return ys.get(k);
    }

    /** The number of classes (columns) of output k. */
    public int classes(int k) {
        return yShapes.get(k).get(1);
    }
}
