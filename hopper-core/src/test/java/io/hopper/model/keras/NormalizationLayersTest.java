package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationLayersTest {

    @Test
    void batchNormCounts() {
        // 4 per channel, half non-trainable (moving mean and variance)
        ArchSummary s = TestModels.one("5, 5, 8", "BatchNormalization", "").summary();
        assertEquals(32, s.totalParams());
        assertEquals(16, s.nonTrainableParams());
        // channels_first: axis 1 normalizes the 3 channels
        assertEquals(12, TestModels.one("3, 5, 5", "BatchNormalization", "\"axis\": 1").summary().totalParams());
        // center=false, scale=false: only the moving statistics
        ArchSummary bare = TestModels.one("4", "BatchNormalization", "\"center\": false, \"scale\": false").summary();
        assertEquals(8, bare.totalParams());
        assertEquals(0, bare.trainableParams());
        assertThrows(IllegalArgumentException.class, () -> TestModels.one("4", "BatchNormalization", "\"renorm\": true"));
    }

    @Test
    void batchNormInferenceFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            // y = gamma * (x - mean) / sqrt(var + 1e-3) + beta, per channel
            List<float[]> w = List.of(new float[] {2, 1}, new float[] {0.5f, -1}, new float[] {1, 2}, new float[] {4, 0.25f});
            NDArray y = TestModels.run(m, TestModels.one("2", "BatchNormalization", ""), w, m.create(new float[] {3, 2}, new Shape(1, 2)), false);
            assertArrayEquals(new float[] {(float) (2 * 2 / Math.sqrt(4.001) + 0.5), (float) (0 / Math.sqrt(0.251) - 1)}, y.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void batchNormTrainingUsesBatchStatsAndUpdatesMovingStats() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(TestModels.one("1", "BatchNormalization", "\"momentum\": 0.9"));
            net.initialize(m, 1);
            NDArray x = m.create(new float[] {1, 2, 3, 6}, new Shape(4, 1));
            NDArray y = TestModels.forward(net, m, new NDList(x), true).head();
            // batch mean 3, biased variance (4+1+0+9)/4 = 3.5
            double sd = Math.sqrt(3.5 + 1e-3);
            assertArrayEquals(new float[] {(float) (-2 / sd), (float) (-1 / sd), 0, (float) (3 / sd)}, y.toFloatArray(), 1e-5f);
            // moving = 0.9 * moving + 0.1 * batch; Keras feeds the unbiased variance 14/3 to the moving average
            assertArrayEquals(new float[] {0.3f}, net.kerasWeights().get(2), 1e-6f);
            assertArrayEquals(new float[] {(float) (0.9 + 0.1 * 14 / 3.0)}, net.kerasWeights().get(3), 1e-6f);
            TestModels.forward(net, m, new NDList(x), false);
            assertArrayEquals(new float[] {0.3f}, net.kerasWeights().get(2), 1e-6f);
        }
    }

    @Test
    void normalizationLayer() {
        // adapt()-style weights: mean 3, variance 3, count 1 -> 2*3+1 = 7 non-trainable
        ArchSummary s = TestModels.one("3", "Normalization", "\"axis\": -1").summary();
        assertEquals(7, s.totalParams());
        assertEquals(7, s.nonTrainableParams());
        assertThrows(IllegalArgumentException.class, () -> TestModels.one("3", "Normalization", "\"invert\": true"));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasArchitecture fixed = TestModels.one("2", "Normalization", "\"mean\": [1.0, 2.0], \"variance\": [4.0, 0.25]");
            assertEquals(0, fixed.summary().totalParams());
            NDArray y = TestModels.run(m, fixed, null, m.create(new float[] {3, 3}, new Shape(1, 2)), false);
            assertArrayEquals(new float[] {1, 2}, y.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void layerNormalizationNormalizesEachSample() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasArchitecture a = TestModels.one("4", "LayerNormalization", "");
            assertEquals(8, a.summary().totalParams());
            float[] y = TestModels.run(m, a, List.of(new float[] {2, 2, 2, 2}, new float[] {1, 1, 1, 1}),
                    m.create(new float[] {1, 2, 3, 4}, new Shape(1, 4)), false).toFloatArray();
            double sd = Math.sqrt(1.25 + 1e-3);
            assertArrayEquals(new float[] {(float) (2 * -1.5 / sd + 1), (float) (2 * -0.5 / sd + 1), (float) (2 * 0.5 / sd + 1), (float) (2 * 1.5 / sd + 1)},
                    y, 1e-5f);
            KerasArchitecture twoAxes = TestModels.one("3, 4", "LayerNormalization", "\"axis\": [1, 2]");
            assertEquals(2 * 12, twoAxes.summary().totalParams());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("4", "LayerNormalization", "\"rms_scaling\": true"));
        assertTrue(e.getMessage().contains("rms_scaling") && e.getMessage().contains("(LayerNormalization)"), e.getMessage());
    }
}
