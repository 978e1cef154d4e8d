package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasNetworkTest {

    private static KerasNetwork network(String fixture) {
        return new KerasNetwork(KerasArchitecture.parse(TestModels.fixture(fixture)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01_madlib_iris_mlp_keras216.json", "02_madlib_iris_mlp_deeper_keras216.json",
        "03_madlib_iris_multi_input_concat_functional.json", "04_madlib_cifar_cnn_keras216.json",
        "05_madlibsite_cifar10_cnn_batchnorm_keras224.json", "06_madlibsite_cifar10_cnn_activation_keras224.json",
        "07_madlibsite_iris_mlp_tfkeras224tf.json"})
    void fixturesInitializeFromSeedAndTrain(String fixture) {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork a = network(fixture);
            KerasNetwork b = network(fixture);
            KerasNetwork c = network(fixture);
            a.initialize(m, 7);
            b.initialize(m, 7);
            c.initialize(m, 8);
            List<float[]> wa = a.kerasWeights();
            List<float[]> wb = b.kerasWeights();
            List<float[]> wc = c.kerasWeights();
            boolean differs = false;
            for (int i = 0; i < wa.size(); i++) {
                assertArrayEquals(wa.get(i), wb.get(i), a.kerasWeightNames().get(i));
                differs |= !java.util.Arrays.equals(wa.get(i), wc.get(i));
            }
            assertTrue(differs);
            TestModels.checkGradients(a, m, 2);
            NDList out = TestModels.forward(a, m, new NDList(a.inputShapes().stream()
                    .map(s -> TestModels.random(m, Shapes.withBatch(3, s), 5)).toList()), false);
            for (int i = 0; i < out.size(); i++) {
                assertEquals(Shapes.withBatch(3, a.outputShapes().get(i)), out.get(i).getShape());
                // Every fixture ends in softmax: the block returns probabilities.
                float[] sums = out.get(i).sum(new int[] {1}).toFloatArray();
                for (float s : sums) {
                    assertEquals(1f, s, 1e-5f);
                }
            }
        }
    }

    @Test
    void initializersFollowKerasBounds() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = network("01_madlib_iris_mlp_keras216.json");
            net.initialize(m, 3);
            // glorot_uniform for a [4, 10] kernel: limit sqrt(6 / (4 + 10)).
            double limit = Math.sqrt(6.0 / 14);
            float[] kernel = net.kerasWeights().get(0);
            double max = 0;
            for (float v : kernel) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= limit && max > limit / 2, "max " + max);
            assertArrayEquals(new float[10], net.kerasWeights().get(1));
            assertEquals(List.of("dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias", "dense_3/kernel", "dense_3/bias"),
                    net.kerasWeightNames());
        }
    }

    @Test
    void kerasWeightsRoundTripAndReinitialize() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = network("05_madlibsite_cifar10_cnn_batchnorm_keras224.json");
            assertThrows(IllegalStateException.class, net::kerasWeights);
            net.initialize(m, 1);
            assertEquals(new Shape(3, 3, 3, 32), net.kerasWeightShapes().get(0));
            assertEquals(List.of("batch_normalization_1/gamma", "batch_normalization_1/beta", "batch_normalization_1/moving_mean",
                    "batch_normalization_1/moving_variance"), net.kerasWeightNames().subList(2, 6));
            List<float[]> custom = new ArrayList<>();
            for (int i = 0; i < net.kerasWeightShapes().size(); i++) {
                float[] w = new float[Math.toIntExact(net.kerasWeightShapes().get(i).size())];
                for (int j = 0; j < w.length; j++) {
                    w[j] = i + j * 1e-4f;
                }
                custom.add(w);
            }
            net.setKerasWeights(custom);
            List<float[]> back = net.kerasWeights();
            for (int i = 0; i < custom.size(); i++) {
                assertArrayEquals(custom.get(i), back.get(i));
            }
            net.initialize(m, 1);
            KerasNetwork fresh = network("05_madlibsite_cifar10_cnn_batchnorm_keras224.json");
            fresh.initialize(m, 1);
            assertArrayEquals(fresh.kerasWeights().get(0), net.kerasWeights().get(0));
            TestModels.checkGradients(net, m, 2);
        }
    }

    @Test
    void flatWeightsFollowGetWeightsOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = network("01_madlib_iris_mlp_keras216.json");
            net.initialize(m, 1);
            float[] flat = new float[193]; // 4*10+10 + 10*10+10 + 10*3+3
            for (int i = 0; i < flat.length; i++) {
                flat[i] = i;
            }
            net.setFlatKerasWeights(flat);
            assertArrayEquals(flat, net.flatKerasWeights());
            // dense_1/bias follows the 40 kernel values; dense_3/bias is the last 3
            assertArrayEquals(new float[] {40, 41, 42, 43, 44, 45, 46, 47, 48, 49}, net.kerasWeights().get(1));
            assertArrayEquals(new float[] {190, 191, 192}, net.kerasWeights().get(5));
        }
    }

    @Test
    void setKerasWeightsRefusesWrongSizes() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = network("01_madlib_iris_mlp_keras216.json");
            net.initialize(m, 1);
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> net.setKerasWeights(List.of(new float[40])));
            assertTrue(count.getMessage().contains("got 1 arrays"), count.getMessage());
            List<float[]> w = new ArrayList<>(net.kerasWeights());
            w.set(2, new float[7]);
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> net.setKerasWeights(w));
            assertTrue(size.getMessage().contains("dense_2/kernel"), size.getMessage());
            IllegalArgumentException flat = assertThrows(IllegalArgumentException.class, () -> net.setFlatKerasWeights(new float[192]));
            assertTrue(flat.getMessage().contains("193"), flat.getMessage());
        }
    }

    @Test
    void denseForwardMatchesHandComputation() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(TestModels.one("2", "Dense", "\"units\": 2, \"activation\": \"relu\""));
            net.initialize(m, 1);
            // kernel [in=2, out=2] row-major: [[1, 2], [3, -4]], bias [0.5, 0.25]
            net.setKerasWeights(List.of(new float[] {1, 2, 3, -4}, new float[] {0.5f, 0.25f}));
            NDArray y = TestModels.forward(net, m, new NDList(m.create(new float[] {1, 1, 2, -1}, new Shape(2, 2))), false).head();
            // x=[1,1]: [1+3+.5, 2-4+.25] = [4.5, -1.75] -> relu [4.5, 0]; x=[2,-1]: [2-3+.5, 4+4+.25] = [-0.5, 8.25] -> [0, 8.25]
            assertArrayEquals(new float[] {4.5f, 0f, 0f, 8.25f}, y.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void djlInitializeNeedsKerasInitializeFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = network("01_madlib_iris_mlp_keras216.json");
            assertThrows(IllegalStateException.class, () -> net.block().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4)));
            net.initialize(m, 1);
            net.block().initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4));
            assertTrue(net.block().isInitialized());
            assertEquals(new Shape(5, 3), net.block().getOutputShapes(new Shape[] {new Shape(5, 4)})[0]);
            assertFalse(net.kerasWeights().isEmpty());
        }
    }

    @Test
    void anInitializersOwnSeedGivesTheSameWeightsWhateverTheRunSeed() {
        String seeded = TestModels.sequential("2.13.1", "4",
                TestModels.layer("Dense", "seeded", "\"units\": 3, \"kernel_initializer\": {\"module\": \"keras.initializers\", "
                        + "\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": 42}, \"registered_name\": null}"),
                TestModels.layer("Dense", "free", "\"units\": 2"));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork a = new KerasNetwork(KerasArchitecture.parse(seeded));
            KerasNetwork b = new KerasNetwork(KerasArchitecture.parse(seeded));
            a.initialize(m, 1);
            b.initialize(m, 2);
            assertArrayEquals(a.kerasWeights().get(0), b.kerasWeights().get(0));
            assertFalse(java.util.Arrays.equals(a.kerasWeights().get(2), b.kerasWeights().get(2)));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(seeded.replace("42", "\"x\"")));
        assertTrue(e.getMessage().contains("seed") && e.getMessage().contains("layer 'seeded'"), e.getMessage());
    }
}
