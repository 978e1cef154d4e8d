package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationLayersTest {

    @Test
    void preluLearnsASlopePerUnsharedPosition() {
        // Conv feature maps (4, 4, 8) with shared_axes [1, 2]: one alpha per channel, 8 weights, as Keras counts.
        KerasArchitecture conv = TestModels.one("4, 4, 8", "PReLU", "\"shared_axes\": [1, 2]");
        assertEquals(8, conv.summary().totalParams());
        assertEquals(12, TestModels.one("4, 3", "PReLU", "").summary().totalParams());
        try (NDManager m = NDManager.newBaseManager()) {
            KerasArchitecture a = TestModels.one("3", "PReLU", "");
            NDArray y = TestModels.run(m, a, List.of(new float[] {0.5f, 0.25f, 0}), m.create(new float[] {-2, -4, -1}, new Shape(1, 3)), true);
            assertArrayEquals(new float[] {-1, -1, 0}, y.toFloatArray(), 1e-6f);
            NDArray positive = TestModels.run(m, a, List.of(new float[] {0.5f, 0.25f, 0}), m.create(new float[] {2, 4, 1}, new Shape(1, 3)), true);
            assertArrayEquals(new float[] {2, 4, 1}, positive.toFloatArray(), 1e-6f);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("4, 3", "PReLU", "\"shared_axes\": [3]"));
        assertTrue(e.getMessage().contains("layer 'l' (PReLU)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestModels.one("4, 3", "PReLU", "\"shared_axes\": [0]"));
    }

    @Test
    void eluAndThresholdedReluFollowKeras() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {-1, 0.5f, 2}, new Shape(1, 3));
            NDArray elu = TestModels.run(m, TestModels.one("3", "ELU", "\"alpha\": 0.5"), null, x, false);
            assertArrayEquals(new float[] {(float) (0.5 * (Math.exp(-1) - 1)), 0.5f, 2}, elu.toFloatArray(), 1e-6f);
            NDArray thresholded = TestModels.run(m, TestModels.one("3", "ThresholdedReLU", "\"theta\": 0.5"), null, x, false);
            assertArrayEquals(new float[] {0, 0, 2}, thresholded.toFloatArray(), 0f);
        }
    }
}
