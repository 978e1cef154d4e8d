package io.hopper.model.runtime;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.params.Loss;
import io.hopper.model.params.Metric;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

    private static float[] metric(Metric metric, int classes, float[] p, float[] y) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(p.length / classes, classes);
            return Metrics.perSample(metric, manager.create(p, shape), manager.create(y, shape)).toFloatArray();
        }
    }

    @Test
    void accuracies() {
        float[] p = {0.6f, 0.3f, 0.1f, 0.2f, 0.2f, 0.6f, 0.4f, 0.4f, 0.2f};
        float[] y = {1, 0, 0, 0, 1, 0, 0, 1, 0};
        assertArrayEquals(new float[] {1, 0, 0}, metric(Metric.CATEGORICAL_ACCURACY, 3, p, y), "ties go to the first index");
        assertArrayEquals(new float[] {1, 1 / 3f, 2 / 3f}, metric(Metric.BINARY_ACCURACY, 3, p, y), 1e-6f);
    }

    @Test
    void topFiveCountsClassesScoringStrictlyHigher() {
        float[] p = {0.30f, 0.20f, 0.15f, 0.12f, 0.10f, 0.08f, 0.05f, 0.30f, 0.20f, 0.15f, 0.12f, 0.10f, 0.08f, 0.05f};
        float[] y = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0};
        assertArrayEquals(new float[] {1, 0}, metric(Metric.TOP_K_CATEGORICAL_ACCURACY, 7, p, y));
    }

    @Test
    void regressionMetrics() {
        float[] p = {0.5f, 1.5f};
        float[] y = {0, 1};
        assertArrayEquals(new float[] {0.5f}, metric(Metric.MAE, 2, p, y), 1e-6f);
        assertArrayEquals(new float[] {0.25f}, metric(Metric.MSE, 2, p, y), 1e-6f);
    }

    @Test
    void accuracyResolvesLikeKeras2() {
        assertEquals(Metric.CATEGORICAL_ACCURACY, Metrics.resolve(Metric.ACCURACY, Loss.CATEGORICAL_CROSSENTROPY, 3));
        assertEquals(Metric.BINARY_ACCURACY, Metrics.resolve(Metric.ACCURACY, Loss.BINARY_CROSSENTROPY, 3));
        assertEquals(Metric.BINARY_ACCURACY, Metrics.resolve(Metric.ACCURACY, Loss.MEAN_SQUARED_ERROR, 1));
        assertEquals(Metric.MAE, Metrics.resolve(Metric.MAE, Loss.BINARY_CROSSENTROPY, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> metric(Metric.ACCURACY, 1, new float[] {1}, new float[] {1}));
        assertTrue(e.getMessage().contains("accuracy"), e.getMessage());
    }

    @Test
    void topNCountsTheTrueClassAmongTheNHighest() {
        try (NDManager m = NDManager.newBaseManager()) {
            var predicted = m.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, new Shape(1, 4));
            var secondLowest = m.create(new float[] {0, 1, 0, 0}, new Shape(1, 4));
            assertArrayEquals(new float[] {1}, Metrics.perSample(Metric.TOP_K_CATEGORICAL_ACCURACY, 3, predicted, secondLowest).toFloatArray());
            assertArrayEquals(new float[] {0}, Metrics.perSample(Metric.TOP_K_CATEGORICAL_ACCURACY, 2, predicted, secondLowest).toFloatArray());
        }
    }
}
