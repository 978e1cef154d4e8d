package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PoolingLayersTest {

    private static float[] range(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Test
    void shapesAndNoWeights() {
        assertEquals(new Shape(2, 2, 3), TestModels.one("5, 5, 3", "MaxPooling2D", "\"pool_size\": [2, 2]").outputShapes().get(0));
        assertEquals(new Shape(3, 3, 3), TestModels.one("5, 5, 3", "MaxPooling2D", "\"pool_size\": 2, \"padding\": \"same\"").outputShapes().get(0));
        assertEquals(new Shape(3, 2, 2), TestModels.one("3, 5, 5", "AveragePooling2D",
                "\"pool_size\": 2, \"data_format\": \"channels_first\"").outputShapes().get(0));
        assertEquals(new Shape(4, 6), TestModels.one("9, 6", "MaxPooling1D", "\"pool_size\": 3, \"strides\": 2").outputShapes().get(0));
        assertEquals(new Shape(6), TestModels.one("9, 6", "GlobalAveragePooling1D", "").outputShapes().get(0));
        assertEquals(new Shape(1, 1, 3), TestModels.one("4, 4, 3", "GlobalMaxPooling2D", "\"keepdims\": true").outputShapes().get(0));
        assertEquals(0, TestModels.one("5, 5, 3", "AveragePooling2D", "").summary().totalParams());
    }

    @Test
    void maxPoolingSameIgnoresPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            // all -1 on 3x3, pool 2 stride 2 same: pad one after; zeros must not win
            NDArray y = TestModels.run(m, TestModels.one("3, 3, 1", "MaxPooling2D", "\"padding\": \"same\""), null,
                    m.ones(new Shape(1, 3, 3, 1)).neg(), false);
            assertArrayEquals(new float[] {-1, -1, -1, -1}, y.toFloatArray());
            // values 0..8 row-major: windows {0,1,3,4} {2,5} {6,7} {8}
            NDArray z = TestModels.run(m, TestModels.one("3, 3, 1", "MaxPooling2D", "\"padding\": \"same\""), null,
                    m.create(range(9), new Shape(1, 3, 3, 1)), false);
            assertArrayEquals(new float[] {4, 5, 7, 8}, z.toFloatArray());
        }
    }

    @Test
    void averagePoolingSameDividesByRealEntries() {
        try (NDManager m = NDManager.newBaseManager()) {
            // asymmetric (pad after): windows {0,1,3,4} {2,5} {6,7} {8}
            NDArray y = TestModels.run(m, TestModels.one("3, 3, 1", "AveragePooling2D", "\"padding\": \"same\""), null,
                    m.create(range(9), new Shape(1, 3, 3, 1)), false);
            assertArrayEquals(new float[] {2, 3.5f, 6.5f, 8}, y.toFloatArray(), 1e-6f);
            // symmetric: pool 3 stride 1 same on 3x3 ones stays ones
            NDArray z = TestModels.run(m, TestModels.one("3, 3, 1", "AveragePooling2D", "\"pool_size\": 3, \"strides\": 1, \"padding\": \"same\""),
                    null, m.ones(new Shape(1, 3, 3, 1)), false);
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, z.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void globalPoolingAndChannelsFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(range(8), new Shape(1, 2, 2, 2)); // [h][w][c]: channel 0 = 0,2,4,6; channel 1 = 1,3,5,7
            assertArrayEquals(new float[] {3, 4}, TestModels.run(m, TestModels.one("2, 2, 2", "GlobalAveragePooling2D", ""), null, x, false).toFloatArray());
            assertArrayEquals(new float[] {6, 7}, TestModels.run(m, TestModels.one("2, 2, 2", "GlobalMaxPooling2D", ""), null, x, false).toFloatArray());
            // channels_first [c][h][w]: channel 0 = 0..3, channel 1 = 4..7
            assertArrayEquals(new float[] {1.5f, 5.5f}, TestModels.run(m, TestModels.one("2, 2, 2", "GlobalAveragePooling2D",
                    "\"data_format\": \"channels_first\""), null, x, false).toFloatArray());
            NDArray p = TestModels.run(m, TestModels.one("2, 4, 4", "MaxPooling2D", "\"data_format\": \"channels_first\""), null,
                    m.create(range(32), new Shape(1, 2, 4, 4)), false);
            assertArrayEquals(new float[] {5, 7, 13, 15, 21, 23, 29, 31}, p.toFloatArray());
            NDArray q = TestModels.run(m, TestModels.one("4, 1", "AveragePooling1D", ""), null, m.create(range(4), new Shape(1, 4, 1)), false);
            assertArrayEquals(new float[] {0.5f, 2.5f}, q.toFloatArray());
        }
    }
}
