package io.hopper.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightConstraintTest {
    private static final float E = WeightConstraint.EPSILON;

    private static float[] constrained(WeightConstraint c, NDArray w) {
        return w.mul(c.factor(w)).toFloatArray();
    }

    @Test
    void followKerasFormulas() {
        try (NDManager m = NDManager.newBaseManager()) {
            // A [2, 2] kernel whose columns (axis 0) have norms 5 and 1.
            NDArray w = m.create(new float[] {3, 0, -4, 1}, new Shape(2, 2));
            assertArrayEquals(new float[] {3 * 2 / (5 + E), 0, -4 * 2 / (5 + E), 1 / (1 + E)},
                    constrained(new WeightConstraint.MaxNorm(2, List.of(0)), w), 1e-6f);
            assertArrayEquals(new float[] {3 / (5 + E), 0, -4 / (5 + E), 1 / (1 + E)}, constrained(new WeightConstraint.UnitNorm(List.of(0)), w), 1e-6f);
            assertArrayEquals(new float[] {3, 0, 0, 1}, constrained(new WeightConstraint.NonNeg(), w), 0f);
            // rate 0.5 between the norm clipped to [2, 3] and the norm itself: column 0 wants 0.5*3 + 0.5*5 = 4, column 1 0.5*2 + 0.5*1 = 1.5
            assertArrayEquals(new float[] {3 * 4 / (5 + E), 0, -4 * 4 / (5 + E), 1.5f / (1 + E)},
                    constrained(new WeightConstraint.MinMaxNorm(2, 3, 0.5, List.of(0)), w), 1e-6f);
            // axis -1 and [0, 1]: rows (norms 3 and sqrt(17)) and the whole matrix (norm sqrt(26))
            float r2 = (float) Math.sqrt(17);
            assertArrayEquals(new float[] {3 / (3 + E), 0, -4 / (r2 + E), 1 / (r2 + E)}, constrained(new WeightConstraint.UnitNorm(List.of(-1)), w), 1e-6f);
            float all = (float) Math.sqrt(26);
            assertArrayEquals(new float[] {3 / (all + E), 0, -4 / (all + E), 1 / (all + E)},
                    constrained(new WeightConstraint.UnitNorm(List.of(0, 1)), w), 1e-6f);
        }
    }

    @Test
    void validatesSettingsAndAxes() {
        assertThrows(IllegalArgumentException.class, () -> new WeightConstraint.MaxNorm(0, List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new WeightConstraint.MinMaxNorm(2, 1, 1, List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new WeightConstraint.MinMaxNorm(0, 1, 2, List.of(0)));
        assertThrows(IllegalArgumentException.class, () -> new WeightConstraint.UnitNorm(List.of()));
        assertTrue(new WeightConstraint.MaxNorm(2, List.of(0, 1, 2)).fits(4));
        assertFalse(new WeightConstraint.MaxNorm(2, List.of(0, 1, 2)).fits(2));
        assertFalse(new WeightConstraint.UnitNorm(List.of(-3)).fits(2));
        assertTrue(new WeightConstraint.NonNeg().fits(1));
    }
}
