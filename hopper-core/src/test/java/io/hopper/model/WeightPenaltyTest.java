package io.hopper.model;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightPenaltyTest {

    @Test
    void isKerasL1PlusL2() {
        try (NDManager m = NDManager.newBaseManager()) {
            var w = m.create(new float[] {1, -2, 3});
            // 0.1 * (1 + 2 + 3) + 0.01 * (1 + 4 + 9)
            assertEquals(0.6 + 0.14, new WeightPenalty(0.1, 0.01).of(w).getFloat(), 1e-6);
            assertEquals(0, WeightPenalty.NONE.of(w).getFloat());
        }
        assertTrue(WeightPenalty.NONE.isNone());
        assertFalse(new WeightPenalty(0, 1e-4).isNone());
    }

    @Test
    void refusesNegativeOrInfiniteFactors() {
        for (double[] f : new double[][] {{-1, 0}, {0, Double.NaN}, {Double.POSITIVE_INFINITY, 0}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WeightPenalty(f[0], f[1]));
            assertTrue(e.getMessage().startsWith("regularizer:"), e.getMessage());
        }
    }
}
