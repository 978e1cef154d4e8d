package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoiseLayersTest {
    private static final List<String[]> LAYERS = List.of(
            new String[] {"GaussianNoise", "\"stddev\": 0.5"}, new String[] {"GaussianDropout", "\"rate\": 0.3"},
            new String[] {"RandomFlip", ""}, new String[] {"RandomContrast", "\"factor\": 0.5"},
            new String[] {"RandomRotation", "\"factor\": 0.2"}, new String[] {"RandomZoom", "\"height_factor\": 0.3"},
            new String[] {"RandomTranslation", "\"height_factor\": 0.3, \"width_factor\": 0.3"});

    @Test
    void identityAtEvaluationAndSeededDrawsInTraining() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = TestModels.random(m, new Shape(3, 5, 6, 2), 9);
            for (String[] l : LAYERS) {
                KerasNetwork net = new KerasNetwork(TestModels.one("5, 6, 2", l[0], l[1]));
                net.initialize(m, 1);
                assertArrayEquals(x.toFloatArray(), TestModels.forward(net, m, new ai.djl.ndarray.NDList(x), false).head().toFloatArray(), l[0]);
                float[] a = net.block().forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x), true, TestModels.seed(4))
                        .head().toFloatArray();
                float[] b = net.block().forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x), true, TestModels.seed(4))
                        .head().toFloatArray();
                float[] c = net.block().forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(x), true, TestModels.seed(5))
                        .head().toFloatArray();
                assertArrayEquals(a, b, l[0]);
                assertFalse(java.util.Arrays.equals(a, c), l[0]);
                assertFalse(java.util.Arrays.equals(a, x.toFloatArray()) && java.util.Arrays.equals(c, x.toFloatArray()), l[0]);
            }
        }
    }

    @Test
    void aQuarterTurnRotatesExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] img = new float[9];
            for (int i = 0; i < 9; i++) {
                img[i] = i; // value 3 * row + column
            }
            KerasNetwork net = new KerasNetwork(TestModels.one("3, 3, 1", "RandomRotation", "\"factor\": [0.25, 0.25]"));
            net.initialize(m, 1);
            float[] y = net.block().forward(new ai.djl.training.ParameterStore(m, false), new ai.djl.ndarray.NDList(m.create(img, new Shape(1, 3, 3, 1))),
                    true, TestModels.seed(1)).head().toFloatArray();
            float[] expected = new float[9];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    expected[3 * r + c] = 3 * c + 2 - r; // Keras's transform reads input (row c, column 2 - r)
                }
            }
            assertArrayEquals(expected, y, 1e-4f);
        }
    }

    @Test
    void refusals() {
        for (String[] bad : List.of(new String[] {"RandomRotation", "\"factor\": 0.1, \"fill_mode\": \"mirror\""},
                new String[] {"RandomZoom", "\"height_factor\": 0.1, \"interpolation\": \"bicubic\""},
                new String[] {"RandomFlip", "\"mode\": \"diagonal\""}, new String[] {"RandomTranslation", "\"height_factor\": 0.1"},
                new String[] {"GaussianDropout", "\"rate\": 1.0"}, new String[] {"RandomContrast", "\"factor\": [0.5, 0.1]"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("5, 6, 2", bad[0], bad[1]), bad[1]);
            assertTrue(e.getMessage().contains("(" + bad[0] + ")") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
