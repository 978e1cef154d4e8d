package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.hopper.model.onnx.OnnxGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every exported model is loaded by ONNX Runtime and must give Hopper's inference outputs on the same rows to 1e-5:
 * MADlib's architectures, a CNN with BatchNormalization, recurrent layers (LSTM, GRU both ways, SimpleRNN,
 * Bidirectional) and every other mapped layer.
 */
class KerasOnnxTest {
    private static final int BATCH = 5;

    /** Hopper's outputs and ONNX Runtime's on the same random inputs; returns the largest absolute difference. */
    static double maxDiff(KerasArchitecture a, long seed, int indexRange) throws OrtException {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(a);
            net.initialize(m, seed);
            // Moving statistics, betas and biases start at constants: give them values so the test sees their use.
            Random r = new Random(seed);
            List<float[]> w = new ArrayList<>(net.kerasWeights());
            for (int i = 0; i < w.size(); i++) {
                String name = net.kerasWeightNames().get(i);
                if (name.endsWith("variance") || name.endsWith("gamma")) {
                    for (int k = 0; k < w.get(i).length; k++) {
                        w.get(i)[k] = 0.5f + r.nextFloat();
                    }
                } else if (name.endsWith("bias") || name.endsWith("beta") || name.endsWith("mean")) {
                    for (int k = 0; k < w.get(i).length; k++) {
                        w.get(i)[k] = (float) (0.2 * r.nextGaussian());
                    }
                }
            }
            net.setKerasWeights(w);
            NDList inputs = new NDList();
            Map<String, OnnxTensor> feed = new HashMap<>();
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            List<String> names = KerasOnnx.inputNames(a);
            for (int i = 0; i < a.inputShapes().size(); i++) {
                long[] dims = Shapes.withBatch(BATCH, a.inputShapes().get(i)).getShape();
                for (int k = 0; k < dims.length; k++) {
                    dims[k] = dims[k] < 0 ? 6 : dims[k]; // an unknown (None) dimension gets 6 entries
                }
                Shape s = new Shape(dims);
                float[] x = new float[Math.toIntExact(s.size())];
                for (int k = 0; k < x.length; k++) {
                    x[k] = indexRange > 0 ? r.nextInt(indexRange) : (float) r.nextGaussian();
                }
                inputs.add(m.create(x, s));
                feed.put(names.get(i), OnnxTensor.createTensor(env, FloatBuffer.wrap(x), s.getShape()));
            }
            NDList expected = TestModels.forward(net, m, inputs, false);
            byte[] model = KerasOnnx.export(a, net.flatKerasWeights(), 1, "test", Map.of("k", "v"));
            double worst = 0;
            try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions()); OrtSession.Result result = session.run(feed)) {
                assertEquals(expected.size(), result.size());
                for (int o = 0; o < expected.size(); o++) {
                    OnnxTensor t = (OnnxTensor) result.get(o);
                    NDArray e = expected.get(o);
                    assertEquals(e.getShape(), new Shape(t.getInfo().getShape()));
                    FloatBuffer got = t.getFloatBuffer();
                    float[] want = e.toFloatArray();
                    for (int k = 0; k < want.length; k++) {
                        worst = Math.max(worst, Math.abs(want[k] - got.get(k)));
                    }
                }
            } finally {
                feed.values().forEach(OnnxTensor::close);
            }
            return worst;
        }
    }

    private static void check(KerasArchitecture a) throws OrtException {
        double d = maxDiff(a, 7, 0);
        assertTrue(d < 1e-5, "max abs diff " + d);
    }

    private static KerasArchitecture seq(String version, String dims, String... layers) {
        return KerasArchitecture.parse(TestModels.sequential(version, dims, layers));
    }

    private static String l(String cls, String name, String config) {
        return TestModels.layer(cls, name, config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"01_madlib_iris_mlp_keras216.json", "02_madlib_iris_mlp_deeper_keras216.json",
            "03_madlib_iris_multi_input_concat_functional.json", "04_madlib_cifar_cnn_keras216.json",
            "05_madlibsite_cifar10_cnn_batchnorm_keras224.json", "06_madlibsite_cifar10_cnn_activation_keras224.json",
            "07_madlibsite_iris_mlp_tfkeras224tf.json"})
    void madlibArchitecturesMatchOnnxRuntime(String file) throws OrtException {
        check(KerasArchitecture.parse(TestModels.fixture(file)));
    }

    @Test
    void cnnWithBatchNormalizationAndOddSamePadding() throws OrtException {
        check(seq("2.2.4", "7, 7, 3",
                l("Conv2D", "c1", "\"filters\": 4, \"kernel_size\": [3, 3], \"strides\": [2, 2], \"padding\": \"same\", \"activation\": \"relu\""),
                l("BatchNormalization", "bn", "\"axis\": -1"),
                l("MaxPooling2D", "p1", "\"pool_size\": [2, 2], \"strides\": [1, 1], \"padding\": \"same\""),
                l("AveragePooling2D", "p2", "\"pool_size\": [2, 2], \"strides\": [2, 2], \"padding\": \"same\""),
                l("Conv2D", "c2", "\"filters\": 3, \"kernel_size\": [2, 2], \"dilation_rate\": [1, 1], \"padding\": \"valid\", \"activation\": \"elu\""),
                l("Flatten", "f", ""), l("Dense", "d", "\"units\": 3, \"activation\": \"softmax\"")));
        check(seq("2.2.4", "3, 6, 6",
                l("Conv2D", "c1", "\"filters\": 4, \"kernel_size\": [3, 3], \"padding\": \"same\", \"data_format\": \"channels_first\""),
                l("BatchNormalization", "bn", "\"axis\": 1, \"center\": false"),
                l("GlobalAveragePooling2D", "g", "\"data_format\": \"channels_first\"")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.2.4", "2.2.4-tf"})
    void lstmWithBothRecurrentActivations(String version) throws OrtException {
        check(seq(version, "6, 3", l("LSTM", "l1", "\"units\": 4, \"return_sequences\": true"), l("LSTM", "l2", "\"units\": 5"),
                l("Dense", "d", "\"units\": 2, \"activation\": \"softmax\"")));
    }

    @Test
    void gruSimpleRnnBackwardsAndBidirectional() throws OrtException {
        check(seq("2.2.4", "5, 3", l("GRU", "g", "\"units\": 4, \"reset_after\": true, \"return_sequences\": true")));
        check(seq("2.2.4", "5, 3", l("GRU", "g", "\"units\": 4, \"reset_after\": false, \"go_backwards\": true, \"return_sequences\": true")));
        check(seq("2.2.4", "5, 3", l("SimpleRNN", "s", "\"units\": 4, \"activation\": \"relu\", \"go_backwards\": true")));
        check(seq("2.2.4", "5, 3", l("Bidirectional", "b", "\"merge_mode\": \"concat\", \"layer\": " + l("LSTM", "l", "\"units\": 3, \"return_sequences\": true")),
                l("Bidirectional", "b2", "\"merge_mode\": \"ave\", \"layer\": " + l("GRU", "gg", "\"units\": 2"))));
        check(seq("2.2.4", "5, 3", l("TimeDistributed", "t", "\"layer\": " + l("Dense", "d", "\"units\": 2, \"activation\": \"tanh\""))));
    }

    @Test
    void samePaddingOverAnUnknownLengthUsesAutoPad() throws OrtException {
        check(seq("2.2.4", "null, 3", l("Conv1D", "c", "\"filters\": 2, \"kernel_size\": 4, \"padding\": \"same\""),
                l("MaxPooling1D", "p", "\"pool_size\": 3, \"strides\": 2, \"padding\": \"same\""), l("GlobalAveragePooling1D", "g", "")));
    }

    @Test
    void embeddingConv1dAndPooling1d() throws OrtException {
        KerasArchitecture a = seq("2.2.4", "8", l("Embedding", "e", "\"input_dim\": 11, \"output_dim\": 4"),
                l("Conv1D", "c", "\"filters\": 3, \"kernel_size\": 3, \"padding\": \"causal\", \"dilation_rate\": 2"),
                l("MaxPooling1D", "p", "\"pool_size\": 2"), l("AveragePooling1D", "a", "\"pool_size\": 3, \"strides\": 1, \"padding\": \"same\""),
                l("GlobalMaxPooling1D", "g", ""));
        assertTrue(maxDiff(a, 3, 11) < 1e-5);
    }

    @Test
    void convolutionVariantsAndGeometry() throws OrtException {
        check(seq("2.2.4", "6, 6, 2",
                l("ZeroPadding2D", "z", "\"padding\": [[1, 0], [2, 1]]"),
                l("DepthwiseConv2D", "dw", "\"kernel_size\": [3, 3], \"depth_multiplier\": 2, \"padding\": \"same\", \"strides\": [2, 2]"),
                l("SeparableConv2D", "sep", "\"filters\": 3, \"kernel_size\": [2, 2], \"padding\": \"valid\", \"activation\": \"selu\""),
                l("UpSampling2D", "u", "\"size\": [2, 3]"),
                l("Cropping2D", "cr", "\"cropping\": [[1, 0], [0, 2]]"),
                l("Conv2D", "g2", "\"filters\": 6, \"kernel_size\": [2, 2], \"groups\": 3, \"activation\": \"swish\""),
                l("GlobalMaxPooling2D", "gm", "\"keepdims\": true"),
                l("Reshape", "r", "\"target_shape\": [2, -1]"),
                l("Softmax", "sm", "\"axis\": 1")));
    }

    @Test
    void activationsNormalizationDropoutAndRescaling() throws OrtException {
        check(seq("2.2.4", "4",
                l("Rescaling", "rs", "\"scale\": 0.5, \"offset\": 0.1"),
                l("Normalization", "n", "\"mean\": [0.1, 0.2, 0.3, 0.4], \"variance\": [1.0, 2.0, 0.5, 4.0]"),
                l("Normalization", "n2", ""),
                l("Dense", "d1", "\"units\": 6, \"activation\": \"gelu\""), l("Dropout", "dr", "\"rate\": 0.5"),
                l("ReLU", "r1", "\"max_value\": 0.8, \"negative_slope\": 0.1, \"threshold\": 0.05"),
                l("LeakyReLU", "lr", "\"alpha\": 0.2"), l("Activation", "a1", "\"activation\": \"hard_sigmoid\""),
                l("Dense", "d2", "\"units\": 5, \"activation\": \"softplus\""), l("Activation", "a2", "\"activation\": \"softsign\""),
                l("Dense", "d3", "\"units\": 4, \"activation\": \"exponential\""), l("ReLU", "r2", ""),
                l("Dense", "d4", "\"units\": 3, \"activation\": \"sigmoid\"")));
    }

    private static String functional(String layers, String inputs, String outputs) {
        return "{\"class_name\": \"Model\", \"keras_version\": \"2.2.4\", \"config\": {\"name\": \"m\", \"layers\": [" + layers
                + "], \"input_layers\": " + inputs + ", \"output_layers\": " + outputs + "}}";
    }

    private static String node(String cls, String name, String config, String... from) {
        StringBuilder in = new StringBuilder();
        for (String f : from) {
            in.append(in.length() == 0 ? "" : ", ").append("[\"").append(f).append("\", 0, 0, {}]");
        }
        return "{\"class_name\": \"" + cls + "\", \"name\": \"" + name + "\", \"config\": {\"name\": \"" + name + "\"" + config + "}, "
                + "\"inbound_nodes\": " + (from.length == 0 ? "[]" : "[[" + in + "]]") + "}";
    }

    @Test
    void mergesAndSeveralOutputs() throws OrtException {
        String layers = String.join(", ",
                node("InputLayer", "a", ", \"batch_input_shape\": [null, 3]"), node("InputLayer", "b", ", \"batch_input_shape\": [null, 3]"),
                node("Add", "add", "", "a", "b"), node("Subtract", "sub", "", "a", "b"), node("Multiply", "mul", "", "add", "sub"),
                node("Average", "avg", "", "a", "b", "mul"), node("Maximum", "max", "", "avg", "a"),
                node("Concatenate", "cat", ", \"axis\": -1", "max", "b"),
                node("Dense", "out1", ", \"units\": 2, \"activation\": \"softmax\"", "cat"),
                node("Dense", "out2", ", \"units\": 1, \"activation\": \"sigmoid\"", "mul"));
        check(KerasArchitecture.parse(functional(layers, "[[\"a\", 0, 0], [\"b\", 0, 0]]", "[[\"out1\", 0, 0], [\"out2\", 0, 0]]")));
    }

    @Test
    void broadcastingMergesAndMinimum() throws OrtException {
        // Keras aligns per-sample shapes on the right: [3] against [2, 3], and [1, 1, 3] against [2, 2, 3] (a squeeze-excite Multiply)
        String layers = String.join(", ",
                node("InputLayer", "a", ", \"batch_input_shape\": [null, 3]"), node("InputLayer", "b", ", \"batch_input_shape\": [null, 2, 3]"),
                node("Add", "add", "", "b", "a"), node("Minimum", "min", "", "a", "add"), node("Subtract", "sub", "", "min", "a"),
                node("Maximum", "max", "", "sub", "a"), node("Average", "avg", "", "a", "max", "b"),
                node("Reshape", "se", ", \"target_shape\": [1, 1, 3]", "a"), node("Reshape", "grid", ", \"target_shape\": [1, 2, 3]", "avg"),
                node("Multiply", "mul", "", "grid", "se"), node("Flatten", "f", "", "mul"),
                node("Dense", "out", ", \"units\": 2, \"activation\": \"softmax\"", "f"));
        check(KerasArchitecture.parse(functional(layers, "[[\"a\", 0, 0], [\"b\", 0, 0]]", "[[\"out\", 0, 0]]")));
    }

    @Test
    void conv3dPooling3dPerChannelRescalingAndNewActivations() throws OrtException {
        check(seq("2.2.4", "4, 4, 4, 2",
                l("Rescaling", "rs", "\"scale\": [0.5, 2.0], \"offset\": [0.1, -0.2]"),
                l("Conv3D", "c3", "\"filters\": 3, \"kernel_size\": [2, 2, 2], \"padding\": \"same\", \"activation\": \"relu6\""),
                l("MaxPooling3D", "mp", "\"pool_size\": [2, 2, 2]"),
                l("AveragePooling3D", "ap", "\"pool_size\": [1, 1, 1]"),
                l("GlobalAveragePooling3D", "g", ""),
                l("Dense", "d1", "\"units\": 5, \"activation\": \"leaky_relu\""),
                l("Dense", "d2", "\"units\": 5, \"activation\": \"hard_silu\""),
                l("Dense", "d3", "\"units\": 5, \"activation\": \"mish\""),
                l("Dense", "d4", "\"units\": 3, \"activation\": \"log_softmax\"")));
    }

    @Test
    void newLayersWithoutMappingAreRefusedByName() {
        Map<String, KerasArchitecture> refused = Map.of(
                "(Conv2DTranspose)", seq("2.2.4", "3, 3, 2", l("Conv2DTranspose", "ct", "\"filters\": 2, \"kernel_size\": 2")),
                "(LayerNormalization)", seq("2.2.4", "4", l("LayerNormalization", "ln", "")),
                "(Masking)", seq("2.2.4", "5, 3", l("Masking", "mk", ""), l("LSTM", "l", "\"units\": 2")),
                "mask_zero", seq("2.2.4", "5", l("Embedding", "e", "\"input_dim\": 7, \"output_dim\": 2, \"mask_zero\": true"),
                        l("LSTM", "l", "\"units\": 2")),
                "(GaussianNoise)", seq("2.2.4", "4", l("GaussianNoise", "gn", "\"stddev\": 0.1")));
        refused.forEach((what, a) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KerasOnnx.export(a, new float[countWeights(a)], 1, "t", Map.of()));
            assertTrue(e.getMessage().contains(what) && e.getMessage().contains("ONNX"), e.getMessage());
        });
    }

    @Test
    void layersAndActivationsWithoutMappingAreRefusedByName() {
        KerasArchitecture a = seq("2.2.4", "5, 3", l("LSTM", "lstm_x", "\"units\": 2, \"activation\": \"softmax\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasOnnx.export(a, new float[countWeights(a)], 1, "t", Map.of()));
        assertTrue(e.getMessage().contains("layer 'lstm_x' (LSTM)") && e.getMessage().contains("softmax"), e.getMessage());
        Layer.Single unmapped = new Layer.Single(new LayerConfig(json("{\"class_name\": \"Future\", \"config\": {\"name\": \"f1\"}}"))) {
            @Override
            Shape outputShape(Shape input) {
                return input;
            }

            @Override
            NDArray forward(ForwardContext ctx, NDArray x, List<NDArray> weights) {
                return x;
            }
        };
        IllegalArgumentException n = assertThrows(IllegalArgumentException.class,
                () -> unmapped.onnx(new OnnxGraph("g"), List.of("x"), List.of(new Shape(3)), List.of()));
        assertTrue(n.getMessage().contains("layer 'f1' (Future): has no ONNX mapping"), n.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KerasOnnx.export(a, new float[1], 1, "t", Map.of()));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int countWeights(KerasArchitecture a) {
        return (int) a.graph().weights().stream().mapToLong(w -> w.shape().size()).sum();
    }
}
