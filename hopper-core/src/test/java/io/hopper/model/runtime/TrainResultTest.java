package io.hopper.model.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainResultTest {

    @Test
    void countsMustBeConsistent() {
        assertEquals(3, new TrainResult(0.5, 3, 70).steps());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainResult(0.5, 4, 3));
        assertTrue(e.getMessage().contains("steps=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TrainResult(0.5, -1, 0));
    }
}
