package io.hopper.model.keras;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.hopper.model.Network;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared helpers of the keras package's tests: fixtures, one-layer models, random data and a gradient check. */
final class TestModels {
    private TestModels() {
    }

    static String fixture(String path) {
        try (InputStream in = TestModels.class.getResourceAsStream("/keras/" + path)) {
            assertNotNull(in, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tf.keras-style Sequential: an InputLayer of the given per-sample dims, then the layers (JSON objects). */
    static String sequential(String version, String inputDims, String... layers) {
        return "{\"class_name\": \"Sequential\", \"keras_version\": \"" + version + "\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"in\", \"batch_input_shape\": [null, " + inputDims + "]}}, "
                + String.join(", ", layers) + "]}}";
    }

    static String layer(String cls, String name, String config) {
        return "{\"class_name\": \"" + cls + "\", \"config\": {\"name\": \"" + name + "\"" + (config.isEmpty() ? "" : ", " + config) + "}}";
    }

    /** The architecture of a one-layer model on inputs of the given dims. */
    static KerasArchitecture one(String inputDims, String cls, String config) {
        return KerasArchitecture.parse(sequential("2.2.4", inputDims, layer(cls, "l", config)));
    }

    static NDArray random(NDManager m, Shape shape, long seed) {
        Random r = new Random(seed);
        float[] data = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return m.create(data, shape);
    }

    static PairList<String, Object> seed(long seed) {
        PairList<String, Object> p = new PairList<>();
        p.add(Network.SEED_PARAM, seed);
        return p;
    }

    static NDList forward(Network net, NDManager m, NDList inputs, boolean training) {
        return net.block().forward(new ParameterStore(m, false), inputs, training, seed(11));
    }

    /** Runs forward + backward on random inputs of the network's shapes and checks every trainable gradient is finite. */
    static void checkGradients(Network net, NDManager m, int batch) {
        NDList inputs = new NDList();
        long s = 1;
        for (Shape shape : net.inputShapes()) {
            inputs.add(random(m, Shapes.withBatch(batch, shape), s++));
        }
        checkGradients(net, m, inputs);
    }

    /** Runs forward + backward on the inputs and checks every trainable gradient is finite. */
    static void checkGradients(Network net, NDManager m, NDList inputs) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = forward(net, m, inputs, true);
            NDArray loss = out.head().square().sum();
            for (int i = 1; i < out.size(); i++) {
                loss = loss.add(out.get(i).square().sum());
            }
            gc.backward(loss);
        }
        int checked = 0;
        for (Parameter p : net.block().getParameters().values()) {
            if (p.requiresGradient()) {
                float[] g = p.getArray().getGradient().toFloatArray();
                for (float v : g) {
                    assertTrue(Float.isFinite(v), p.getName());
                }
                checked++;
            }
        }
        assertTrue(checked > 0 || net.block().getParameters().isEmpty());
    }

    /** Runs a network (initialized from seed 1, then given these Keras weights unless null) on one input. */
    static NDArray run(NDManager m, KerasArchitecture a, List<float[]> weights, NDArray x, boolean training) {
        KerasNetwork net = new KerasNetwork(a);
        net.initialize(m, 1);
        if (weights != null) {
            net.setKerasWeights(weights);
        }
        return forward(net, m, new NDList(x), training).head();
    }
}
