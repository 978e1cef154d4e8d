package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.params.Loss;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class LossesTest {
    /** Two samples of three outputs; the first row does not sum to one, to exercise Keras's renormalization. */
    private static final float[] P = {0.6f, 0.3f, 0.3f, 0.05f, 0.05f, 0.9f};
    private static final float[] Y = {1, 0, 0, 0, 1, 0};
    private static final double EPS = 1e-7;

    private static float[] loss(Loss loss, float[] p, float[] y) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray predicted = manager.create(p, new Shape(p.length / 3, 3));
            NDArray target = manager.create(y, new Shape(y.length / 3, 3));
            return Losses.perSample(loss, predicted, target).toFloatArray();
        }
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Test
    void categoricalCrossentropyRenormalizesAndClips() {
        float[] expected = {(float) -Math.log(0.6 / 1.2), (float) -Math.log(0.05)};
        assertArrayEquals(expected, loss(Loss.CATEGORICAL_CROSSENTROPY, P, Y), 1e-6f);
        float[] certain = {0, 0, 1};
        assertArrayEquals(new float[] {(float) -Math.log(EPS)}, loss(Loss.CATEGORICAL_CROSSENTROPY, certain, new float[] {1, 0, 0}), 1e-4f);
    }

    @Test
    void categoricalCrossentropyOnSoftmaxEqualsTheLogitsFormula() {
        float[] logits = {2.0f, -1.0f, 0.5f};
        double norm = Math.log(Math.exp(2.0) + Math.exp(-1.0) + Math.exp(0.5));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray softmax = manager.create(logits, new Shape(1, 3)).softmax(-1);
            float[] actual = Losses.perSample(Loss.CATEGORICAL_CROSSENTROPY, softmax, manager.create(new float[] {0, 0, 1}, new Shape(1, 3))).toFloatArray();
            assertArrayEquals(new float[] {(float) (norm - 0.5)}, actual, 1e-6f);
        }
    }

    @Test
    void binaryCrossentropyFollowsTfKeras() {
        float[] expected = new float[2];
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                double p = clip(P[r * 3 + c], EPS, 1 - EPS);
                double y = Y[r * 3 + c];
                sum += y * Math.log(p + EPS) + (1 - y) * Math.log(1 - p + EPS);
            }
            expected[r] = (float) (-sum / 3);
        }
        assertArrayEquals(expected, loss(Loss.BINARY_CROSSENTROPY, P, Y), 1e-6f);
    }

    @Test
    void regressionLossesAverageTheLastAxis() {
        float[] mse = {(float) ((0.16 + 0.09 + 0.09) / 3), (float) ((0.0025 + 0.9025 + 0.81) / 3)};
        float[] mae = {(float) ((0.4 + 0.3 + 0.3) / 3), (float) ((0.05 + 0.95 + 0.9) / 3)};
        assertArrayEquals(mse, loss(Loss.MEAN_SQUARED_ERROR, P, Y), 1e-6f);
        assertArrayEquals(mae, loss(Loss.MEAN_ABSOLUTE_ERROR, P, Y), 1e-6f);
    }

    @Test
    void categoricalHingeAndKullbackLeibler() {
        float[] hinge = {(float) Math.max(0, 0.3 - 0.6 + 1), (float) Math.max(0, 0.9 - 0.05 + 1)};
        assertArrayEquals(hinge, loss(Loss.CATEGORICAL_HINGE, P, Y), 1e-6f);
        float[] kld = new float[2];
        for (int r = 0; r < 2; r++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                double y = clip(Y[r * 3 + c], EPS, 1);
                sum += y * Math.log(y / clip(P[r * 3 + c], EPS, 1));
            }
            kld[r] = (float) sum;
        }
        assertArrayEquals(kld, loss(Loss.KULLBACK_LEIBLER_DIVERGENCE, P, Y), 1e-6f);
    }
}
