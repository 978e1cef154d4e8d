package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightSpecTest {

    @Test
    void qualifiesAndValidates() {
        WeightSpec w = new WeightSpec("kernel", new Shape(4, 3), true, KerasInitializer.ZEROS);
        WeightSpec q = w.within("dense", false);
        assertEquals("dense/kernel", q.name());
        assertFalse(q.trainable());
        assertTrue(w.within("dense", true).trainable());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new WeightSpec("kernel", new Shape(-1, 3), true, KerasInitializer.ZEROS));
        assertTrue(e.getMessage().contains("kernel"), e.getMessage());
    }
}
