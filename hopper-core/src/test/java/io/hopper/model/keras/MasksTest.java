package io.hopper.model.keras;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MasksTest {
    @Test
    void combinesTheMasksGivenAndConvertsBooleans() {
        try (NDManager m = NDManager.newBaseManager()) {
            var a = Masks.of(m.create(new boolean[] {true, false, true}, new Shape(1, 3)));
            var b = Masks.of(m.create(new float[] {1, 1, 0}, new Shape(1, 3, 1)));
            assertArrayEquals(new float[] {1, 0, 0}, Masks.and(Arrays.asList(a, null, b)).toFloatArray());
            assertNull(Masks.and(Arrays.asList(null, null)));
        }
    }
}
