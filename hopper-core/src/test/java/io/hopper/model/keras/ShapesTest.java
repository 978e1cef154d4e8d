package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesTest {

    @Test
    void windowsAndPadding() {
        assertEquals(30, Shapes.windowOut(32, 3, 1, 1, "valid"));
        assertEquals(16, Shapes.windowOut(32, 3, 2, 1, "same"));
        assertEquals(28, Shapes.windowOut(32, 3, 1, 2, "valid")); // span (3-1)*2+1 = 5
        assertEquals(0, Shapes.windowOut(2, 3, 1, 1, "valid"));
        assertEquals(-1, Shapes.windowOut(-1, 3, 1, 1, "same"));
        // TensorFlow: total = (out-1)*s + k - n; the odd one after
        assertArrayEquals(new int[] {1, 1}, Shapes.samePad(5, 3, 1, 1));
        assertArrayEquals(new int[] {0, 1}, Shapes.samePad(4, 3, 2, 1));
        assertArrayEquals(new int[] {0, 0}, Shapes.samePad(4, 1, 2, 1));
        assertArrayEquals(new int[] {2, 2}, Shapes.samePad(7, 3, 1, 2));
    }

    @Test
    void renderingAndCompatibility() {
        assertEquals("(None, 32, 32, 3)", Shapes.keras(new Shape(32, 32, 3)));
        assertEquals("(None, None, 8)", Shapes.keras(new Shape(-1, 8)));
        assertTrue(Shapes.compatible(new Shape(-1, 8), new Shape(5, 8)));
        assertFalse(Shapes.compatible(new Shape(4, 8), new Shape(5, 8)));
        assertEquals(-1, Shapes.product(new Shape(-1, 8)));
        assertEquals(new Shape(7, 2, 3), Shapes.withBatch(7, new Shape(2, 3)));
    }
}
