package io.hopper.predict;

import ai.djl.ndarray.NDArray;
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
    private final Shape sampleShape;
    private final int classes;

    /**
     * Builds the network and sets its weights.
     *
     * @param archJson the Keras JSON of a single-input network whose output is {@code [classes]}
     * @param kerasWeights every weight concatenated in Keras's get_weights() order and layout
     * @throws IllegalArgumentException when the architecture is not single-input with a flat output, or the weights
     *     do not fit it
     */
    public KerasPredictor(String archJson, float[] kerasWeights) {
        this.network = new KerasNetwork(KerasArchitecture.parse(archJson));
        if (network.inputShapes().size() != 1 || network.outputShapes().size() != 1 || network.outputShapes().get(0).dimension() != 1) {
            throw new IllegalArgumentException("model_arch: inputs " + network.inputShapes() + " and outputs " + network.outputShapes()
                    + "; predict needs one input and one output of shape [classes]");
        }
        this.sampleShape = network.inputShapes().get(0);
        this.classes = Math.toIntExact(network.outputShapes().get(0).get(0));
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

    /** The shape of one sample of X; -1 where Keras leaves a dimension open (None: any length). */
    public List<Integer> sampleShape() {
        return Arrays.stream(sampleShape.getShape()).mapToInt(Math::toIntExact).boxed().toList();
    }

    /** Whether samples of this shape fit the network's input (equal where its dimensions are known). */
    public boolean accepts(List<Integer> sample) {
        return Network.fits(sampleShape, sample);
    }

    /** The number of outputs per row. */
    public int classes() {
        return classes;
    }

    /**
     * The outputs of rows {@code from} (inclusive) to {@code to} (exclusive) of {@code x}.
     *
     * @param x rows of X, row-major, each {@link #sampleShape()} values, already normalized
     * @return {@code (to - from) * classes()} values, row-major
     */
    public float[] predict(float[] x, int from, int to) {
        return predict(x, sampleShape(), from, to);
    }

    /**
     * The outputs of rows {@code from} (inclusive) to {@code to} (exclusive) of {@code x} whose samples have shape
     * {@code sample}, which gives the lengths the network leaves open (a text model's sequence length).
     *
     * @param x rows of X, row-major, each {@code sample} values, already normalized
     * @param sample the shape of one row; {@link #accepts} it
     * @return {@code (to - from) * classes()} values, row-major
     * @throws IllegalArgumentException when the rows are outside X or the sample shape does not fit the network
     */
    public float[] predict(float[] x, List<Integer> sample, int from, int to) {
        if (!accepts(sample)) {
            throw new IllegalArgumentException("predict: samples of shape " + sample + " do not fit the network's input "
                    + sampleShape() + " (-1: any length); pass rows of the shape the model was trained on");
        }
        int width = sample.stream().reduce(1, Math::multiplyExact);
        Shape rowShape = new Shape(sample.stream().mapToLong(Integer::longValue).toArray());
        if (from < 0 || to < from || (long) to * width > x.length) {
            throw new IllegalArgumentException("predict: rows " + from + ".." + to + " are outside the " + x.length / width
                    + " rows of X; pass rows within X");
        }
        float[] out = new float[(to - from) * classes];
        PairList<String, Object> forwardParams = new PairList<>();
        forwardParams.add(Network.SEED_PARAM, 0L);
        boolean grad = JniUtils.isGradMode();
        try {
            JniUtils.setGradMode(false);
            for (int start = from; start < to; start += ROWS_PER_CALL) {
                int n = Math.min(ROWS_PER_CALL, to - start);
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray batch = manager.create(Arrays.copyOfRange(x, start * width, (start + n) * width), new Shape(n).addAll(rowShape));
                    float[] y = network.block().forward(parameters, new NDList(batch), false, forwardParams).singletonOrThrow().toFloatArray();
                    System.arraycopy(y, 0, out, (start - from) * classes, y.length);
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
