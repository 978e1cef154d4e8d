package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreLayersTest {

    private static NDArray dropout(NDManager m, KerasNetwork net, NDArray x, long seed) {
        return net.block().forward(new ParameterStore(m, false), new NDList(x), true, TestModels.seed(seed)).head();
    }

    @Test
    void dropoutMasksComeFromTheSeed() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(TestModels.one("1000", "Dropout", "\"rate\": 0.25"));
            net.initialize(m, 1);
            NDArray x = m.ones(new Shape(2, 1000));
            float[] a = dropout(m, net, x, 5).toFloatArray();
            assertArrayEquals(a, dropout(m, net, x, 5).toFloatArray());
            assertFalse(java.util.Arrays.equals(a, dropout(m, net, x, 6).toFloatArray()));
            int zeros = 0;
            for (float v : a) {
                assertTrue(v == 0f || Math.abs(v - 1 / 0.75f) < 1e-6, "kept values are scaled by 1/(1-rate)");
                zeros += v == 0f ? 1 : 0;
            }
            assertTrue(zeros > 400 && zeros < 600, "about a quarter dropped: " + zeros);
            assertArrayEquals(x.toFloatArray(), TestModels.forward(net, m, new NDList(x), false).head().toFloatArray());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> net.block().forward(new ParameterStore(m, false), new NDList(x), true, null));
            assertTrue(e.getMessage().contains("hopper.seed"), e.getMessage());
        }
    }

    @Test
    void spatialDropoutDropsWholeChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(TestModels.one("3, 3, 64", "SpatialDropout2D", "\"rate\": 0.5"));
            net.initialize(m, 1);
            NDArray y = dropout(m, net, m.ones(new Shape(1, 3, 3, 64)), 3);
            float[] v = y.toFloatArray();
            int dropped = 0;
            for (int c = 0; c < 64; c++) {
                for (int p = 1; p < 9; p++) {
                    assertEquals(v[c], v[p * 64 + c], "a channel is kept or dropped as a whole");
                }
                dropped += v[c] == 0 ? 1 : 0;
            }
            assertTrue(dropped > 10 && dropped < 54, "dropped " + dropped);
            assertEquals(new Shape(5, 7), TestModels.one("5, 7", "SpatialDropout1D", "\"rate\": 0.1").outputShapes().get(0));
        }
    }

    @Test
    void flattenReshapeAndChannelsFirstOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(8f).reshape(1, 2, 2, 2);
            assertEquals(new Shape(8), TestModels.one("2, 2, 2", "Flatten", "").outputShapes().get(0));
            assertArrayEquals(x.toFloatArray(), TestModels.run(m, TestModels.one("2, 2, 2", "Flatten", ""), null, x, false).toFloatArray());
            // channels_first [c][h][w] flattens as Keras does: channels moved last first
            assertArrayEquals(new float[] {0, 4, 1, 5, 2, 6, 3, 7},
                    TestModels.run(m, TestModels.one("2, 2, 2", "Flatten", "\"data_format\": \"channels_first\""), null, x, false).toFloatArray());
            assertEquals(new Shape(4, 2), TestModels.one("2, 2, 2", "Reshape", "\"target_shape\": [-1, 2]").outputShapes().get(0));
            assertThrows(IllegalArgumentException.class, () -> TestModels.one("2, 2, 2", "Reshape", "\"target_shape\": [3, -1]"));
        }
    }

    @ParameterizedTest
    @CsvSource({
        // x = [-2, 0.5, 3]
        "Activation, '\"activation\": \"hard_sigmoid\"', 0.1, 0.6, 1",
        "Activation, '\"activation\": \"softsign\"', -0.6666667, 0.33333334, 0.75",
        "Activation, '\"activation\": \"elu\"', -0.86466473, 0.5, 3",
        "Activation, '\"activation\": \"swish\"', -0.23840584, 0.31122967, 2.8577223",
        "Activation, '\"activation\": \"gelu\"', -0.04550026, 0.34573123, 2.9959502",
        "Activation, '\"activation\": \"selu\"', -1.5201665, 0.5253505, 3.152103",
        "ReLU, '\"max_value\": 2.0, \"negative_slope\": 0.1', -0.2, 0.5, 2",
        "LeakyReLU, '\"alpha\": 0.3', -0.6, 0.5, 3",
        "Rescaling, '\"scale\": 0.5, \"offset\": 1.0', 0, 1.25, 2.5"})
    void activationsMatchKerasFormulas(String cls, String config, float y0, float y1, float y2) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = TestModels.run(m, TestModels.one("3", cls, config), null, m.create(new float[] {-2, 0.5f, 3}, new Shape(1, 3)), false);
            assertArrayEquals(new float[] {y0, y1, y2}, y.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void softmaxAxis() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 0, 1, 1}, new Shape(1, 2, 2));
            float e = (float) (1 / (1 + Math.exp(-1)));
            assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, TestModels.run(m, TestModels.one("2, 2", "Softmax", ""), null, x, false).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {1 - e, 1 - e, e, e},
                    TestModels.run(m, TestModels.one("2, 2", "Softmax", "\"axis\": 1"), null, x, false).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void permuteRepeatVectorAndMasking() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 2, 3));
            KerasArchitecture permute = TestModels.one("2, 3", "Permute", "\"dims\": [2, 1]");
            assertEquals(new Shape(3, 2), permute.outputShapes().get(0));
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, TestModels.run(m, permute, null, x, false).toFloatArray());
            KerasArchitecture repeat = TestModels.one("2", "RepeatVector", "\"n\": 3");
            assertArrayEquals(new float[] {7, 8, 7, 8, 7, 8}, TestModels.run(m, repeat, null, m.create(new float[] {7, 8}, new Shape(1, 2)), false).toFloatArray());
            KerasArchitecture masking = TestModels.one("2, 3", "Masking", "\"mask_value\": 4");
            NDArray masked = m.create(new float[] {4, 4, 4, 4, 5, 6}, new Shape(1, 2, 3));
            assertArrayEquals(new float[] {0, 0, 0, 4, 5, 6}, TestModels.run(m, masking, null, masked, false).toFloatArray());
        }
        for (String dims : List.of("[1, 1]", "[1, 3]", "[]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("2, 3", "Permute", "\"dims\": " + dims));
            assertTrue(e.getMessage().contains("permutation") || e.getMessage().contains("list of axes"), e.getMessage());
        }
    }

    @Test
    void rescalingTakesOneScalePerChannel() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasArchitecture a = TestModels.one("2, 3", "Rescaling", "\"scale\": [1, 2, 4], \"offset\": 1");
            assertArrayEquals(new float[] {2, 5, 13, 2, 3, 5}, TestModels.run(m, a, null, m.create(new float[] {1, 2, 3, 1, 1, 1}, new Shape(1, 2, 3)), false)
                    .toFloatArray());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("2, 3", "Rescaling", "\"scale\": [1, 2]"));
        assertTrue(e.getMessage().contains("per channel"), e.getMessage());
    }
}
