package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpatialLayersTest {

    @Test
    void zeroPaddingAsymmetric() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasArchitecture a = TestModels.one("1, 2, 1", "ZeroPadding2D", "\"padding\": [[1, 0], [0, 2]]");
            assertEquals(new Shape(2, 4, 1), a.outputShapes().get(0));
            NDArray y = TestModels.run(m, a, null, m.create(new float[] {1, 2}, new Shape(1, 1, 2, 1)), false);
            assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 0}, y.toFloatArray());
            assertEquals(new Shape(3, 4, 4), TestModels.one("3, 2, 2", "ZeroPadding2D", "\"padding\": 1, \"data_format\": \"channels_first\"")
                    .outputShapes().get(0));
        }
    }

    @Test
    void croppingAndUpSampling() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasArchitecture c = TestModels.one("3, 3, 1", "Cropping2D", "\"cropping\": [[1, 0], [0, 1]]");
            assertEquals(new Shape(2, 2, 1), c.outputShapes().get(0));
            NDArray y = TestModels.run(m, c, null, m.arange(9f).reshape(1, 3, 3, 1), false);
            assertArrayEquals(new float[] {3, 4, 6, 7}, y.toFloatArray());
            KerasArchitecture u = TestModels.one("2, 2, 1", "UpSampling2D", "\"size\": [2, 1]");
            assertEquals(new Shape(4, 2, 1), u.outputShapes().get(0));
            NDArray z = TestModels.run(m, u, null, m.arange(4f).reshape(1, 2, 2, 1), false);
            assertArrayEquals(new float[] {0, 1, 0, 1, 2, 3, 2, 3}, z.toFloatArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TestModels.one("2, 2, 1", "UpSampling2D", "\"interpolation\": \"bilinear\""));
            assertTrue(e.getMessage().contains("bilinear"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TestModels.one("2, 2, 1", "Cropping2D", "\"cropping\": 1"));
        }
    }

    @Test
    void oneDimensionalFormsWorkOnTheSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            // steps 0, 1, 2 of one channel
            NDArray x = m.arange(3f).reshape(1, 3, 1);
            KerasArchitecture pad = TestModels.one("3, 1", "ZeroPadding1D", "\"padding\": [1, 2]");
            assertEquals(new Shape(6, 1), pad.outputShapes().get(0));
            assertArrayEquals(new float[] {0, 0, 1, 2, 0, 0}, TestModels.run(m, pad, null, x, false).toFloatArray());
            KerasArchitecture crop = TestModels.one("3, 1", "Cropping1D", "\"cropping\": [1, 0]");
            assertArrayEquals(new float[] {1, 2}, TestModels.run(m, crop, null, x, false).toFloatArray());
            KerasArchitecture up = TestModels.one("3, 1", "UpSampling1D", "\"size\": 2");
            assertArrayEquals(new float[] {0, 0, 1, 1, 2, 2}, TestModels.run(m, up, null, x, false).toFloatArray());
            // Keras's defaults: padding 1 and cropping (1, 1)
            assertEquals(new Shape(5, 1), TestModels.one("3, 1", "ZeroPadding1D", "").outputShapes().get(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("2, 1", "Cropping1D", ""));
            assertTrue(e.getMessage().contains("layer 'l' (Cropping1D)"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> TestModels.one("3, 1", "ZeroPadding1D", "\"padding\": [1, -1]"));
        }
    }
}
