package io.hopper.predict;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.hopper.model.Network;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.runtime.OneDnn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Keras architecture with fixed weights that maps rows of X to the last layer's outputs (class probabilities for
 * a softmax output), in inference mode (no dropout, BatchNormalization's moving statistics).
 *
 * <p>It needs only the architecture JSON and the weights in Keras's get_weights() order and layout, so it serves
 * both a model table and an exported model. One predictor is used by one thread at a time.
 */
public final class KerasPredictor implements AutoCloseable {
    private static final int ROWS_PER_CALL = 256;

    private final KerasNetwork network;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final List<Shape> sampleShapes;
    private final int[] classes;

    /**
     * Builds the network and sets its weights.
     *
     * @param archJson the Keras JSON of a network whose outputs are each {@code [classes]}
     * @param kerasWeights every weight concatenated in Keras's get_weights() order and layout
     * @throws IllegalArgumentException when an output of the architecture is not flat, or the weights do not fit it
     */
    public KerasPredictor(String archJson, float[] kerasWeights) {
        this.network = new KerasNetwork(KerasArchitecture.parse(archJson));
        if (network.outputShapes().stream().anyMatch(o -> o.dimension() != 1)) {
            throw new IllegalArgumentException("model_arch: inputs " + network.inputShapes() + " and outputs " + network.outputShapes()
                    + "; predict needs outputs of shape [classes]");
        }
        this.sampleShapes = List.copyOf(network.inputShapes());
        this.classes = network.outputShapes().stream().mapToInt(o -> Math.toIntExact(o.get(0))).toArray();
        this.manager = NDManager.newBaseManager();
        OneDnn.configure();
        boolean grad = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(false);
            network.initialize(manager, 0);
            network.setFlatKerasWeights(kerasWeights);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        } finally {
            JniUtils.setGradMode(grad);
        }
        this.parameters = new ParameterStore(manager, false);
    }

    /** The shape of one sample of input 0; -1 where Keras leaves a dimension open (None: any length). */
    public List<Integer> sampleShape() {
        return sampleShapes().get(0);
    }

    /** The shape of one sample of each input, in the model's input order; -1 where a dimension is open. */
    public List<List<Integer>> sampleShapes() {
        return sampleShapes.stream().map(sh -> Arrays.stream(sh.getShape()).mapToInt(Math::toIntExact).boxed().toList()).toList();
    }

    /**
     * Whether samples of these shapes, one per input, fit the network's inputs (equal where their dimensions are known).
     *
     * @param samples the shape of one sample of each input
     * @return whether every input fits
     */
    public boolean accepts(List<List<Integer>> samples) {
        if (samples.size() != sampleShapes.size()) {
            return false;
        }
        for (int i = 0; i < samples.size(); i++) {
            if (!Network.fits(sampleShapes.get(i), samples.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The number of values per row of output 0. */
    public int classes() {
        return classes[0];
    }

    /** The number of values per row of each output, in the model's output order. */
    public List<Integer> outputClasses() {
        return Arrays.stream(classes).boxed().toList();
    }

    /**
     * The outputs of rows {@code from} (inclusive) to {@code to} (exclusive) of {@code x}, for a model of one input
     * and one output.
     *
     * @param x rows of X, row-major, each {@link #sampleShape()} values, already normalized
     * @return {@code (to - from) * classes()} values, row-major
     */
    public float[] predict(float[] x, int from, int to) {
        if (sampleShapes.size() != 1 || classes.length != 1) {
            throw new IllegalArgumentException("predict: the model has " + sampleShapes.size() + " inputs and " + classes.length
                    + " outputs; give one X per input (predictAll)");
        }
        return predictAll(List.of(x), from, to).get(0);
    }

    /**
     * The outputs of rows {@code from} (inclusive) to {@code to} (exclusive), one X per input.
     *
     * @param xs rows of each input's X, row-major, each {@link #sampleShapes()} values, already normalized
     * @return for each output, {@code (to - from) * classes} values, row-major
     */
    public List<float[]> predictAll(List<float[]> xs, int from, int to) {
        return predictAll(xs, sampleShapes(), from, to);
    }

    /**
     * The outputs of rows {@code from} (inclusive) to {@code to} (exclusive), one X per input, whose samples have the
     * given shapes, which give the lengths the network leaves open (a text model's sequence length).
     *
     * @param xs rows of each input's X, row-major, each of its {@code samples} shape, already normalized
     * @param samples the shape of one row of each input; {@link #accepts} them
     * @return for each output, {@code (to - from) * classes} values, row-major
     * @throws IllegalArgumentException when the X arrays or rows do not match the model or the shapes do not fit it
     */
    public List<float[]> predictAll(List<float[]> xs, List<List<Integer>> samples, int from, int to) {
        if (!accepts(samples)) {
            throw new IllegalArgumentException("predict: samples of shapes " + samples + " do not fit the network's inputs "
                    + sampleShapes() + " (-1: any length); pass rows of the shapes the model was trained on");
        }
        int[] widths = samples.stream().mapToInt(sh -> sh.stream().reduce(1, Math::multiplyExact)).toArray();
        List<Shape> rowShapes = samples.stream().map(sh -> new Shape(sh.stream().mapToLong(Integer::longValue).toArray())).toList();
        if (xs.size() != widths.length) {
            throw new IllegalArgumentException("predict: " + xs.size() + " X arrays for a model of " + widths.length
                    + " inputs; give one X per input");
        }
        for (int i = 0; i < widths.length; i++) {
            if (from < 0 || to < from || (long) to * widths[i] > xs.get(i).length) {
                throw new IllegalArgumentException("predict: rows " + from + ".." + to + " are outside the " + xs.get(i).length / widths[i]
                        + " rows of X; pass rows within X");
            }
        }
        List<float[]> out = new ArrayList<>();
        for (int c : classes) {
            out.add(new float[(to - from) * c]);
        }
        PairList<String, Object> forwardParams = new PairList<>();
        forwardParams.add(Network.SEED_PARAM, 0L);
        boolean grad = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(false);
            for (int start = from; start < to; start += ROWS_PER_CALL) {
                int n = Math.min(ROWS_PER_CALL, to - start);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDList batch = new NDList();
                    for (int i = 0; i < widths.length; i++) {
                        batch.add(manager.create(Arrays.copyOfRange(xs.get(i), start * widths[i], (start + n) * widths[i]),
                                new Shape(n).addAll(rowShapes.get(i))));
                    }
                    NDList y = network.block().forward(parameters, batch, false, forwardParams);
                    for (int k = 0; k < classes.length; k++) {
                        float[] values = y.get(k).toFloatArray();
                        System.arraycopy(values, 0, out.get(k), (start - from) * classes[k], values.length);
                    }
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return out;
    }

    /** Frees the native memory. */
    @Override
    public void close() {
        manager.close();
    }
}
