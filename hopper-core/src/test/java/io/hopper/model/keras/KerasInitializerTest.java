package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasInitializerTest {
    private static final LayerConfig LAYER = new LayerConfig(parse("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\"}}"));

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KerasInitializer init(String json) {
        return KerasInitializer.parse(parse(json), LAYER, "kernel_initializer");
    }

    private static double std(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return Math.sqrt(var / v.length);
    }

    @Test
    void fansFollowKeras() {
        assertArrayEquals(new double[] {4, 10}, KerasInitializer.fans(new Shape(4, 10)));
        // conv kernel [3, 3, 2, 8]: receptive 9 -> fan_in 18, fan_out 72
        assertArrayEquals(new double[] {18, 72}, KerasInitializer.fans(new Shape(3, 3, 2, 8)));
        assertArrayEquals(new double[] {5, 5}, KerasInitializer.fans(new Shape(5)));
    }

    @Test
    void uniformLimits() {
        // he_uniform on [3, 3, 2, 8]: limit sqrt(6 / 18)
        float[] v = init("{\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 2.0, \"mode\": \"fan_in\", \"distribution\": \"uniform\"}}")
                .sample(new Shape(3, 3, 2, 8), new SplittableRandom(1));
        double limit = Math.sqrt(6.0 / 18);
        double max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max <= limit && max > 0.9 * limit, "max " + max);
        assertEquals(init("\"he_uniform\""), init("{\"class_name\": \"HeUniform\", \"config\": {}}"));
    }

    @Test
    void normalsHaveKerasStandardDeviations() {
        Shape s = new Shape(400, 100);
        // truncated (Keras 2 'normal'): stddev sqrt(1/400) after the 0.8796 correction, never beyond 2 raw stddevs
        float[] t = init("\"lecun_normal\"").sample(s, new SplittableRandom(2));
        assertEquals(Math.sqrt(1.0 / 400), std(t), 0.002);
        double bound = 2 * Math.sqrt(1.0 / 400) / .87962566103423978;
        for (float x : t) {
            assertTrue(Math.abs(x) <= bound + 1e-6);
        }
        float[] u = init("{\"class_name\": \"VarianceScaling\", \"config\": {\"scale\": 1.0, \"mode\": \"fan_out\", \"distribution\": \"untruncated_normal\"}}")
                .sample(s, new SplittableRandom(2));
        assertEquals(Math.sqrt(1.0 / 100), std(u), 0.002);
        float[] r = init("{\"class_name\": \"RandomNormal\", \"config\": {\"mean\": 1.0, \"stddev\": 0.5}}").sample(s, new SplittableRandom(3));
        assertEquals(0.5, std(r), 0.01);
    }

    @Test
    void orthogonalIsOrthonormal() {
        for (Shape s : new Shape[] {new Shape(6, 4), new Shape(4, 6)}) {
            float[] q = KerasInitializer.ORTHOGONAL.sample(s, new SplittableRandom(5));
            int rows = (int) s.get(0);
            int cols = (int) s.get(1);
            boolean byColumns = rows >= cols;
            int n = byColumns ? cols : rows;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    double dot = 0;
                    for (int k = 0; k < (byColumns ? rows : cols); k++) {
                        dot += byColumns ? q[k * cols + a] * q[k * cols + b] : q[a * cols + k] * q[b * cols + k];
                    }
                    assertEquals(a == b ? 1 : 0, dot, 1e-5);
                }
            }
        }
    }

    @Test
    void sameStreamSameNumbers() {
        KerasInitializer g = KerasInitializer.GLOROT_UNIFORM;
        assertArrayEquals(g.sample(new Shape(3, 3), new SplittableRandom(9)), g.sample(new Shape(3, 3), new SplittableRandom(9)));
        assertFalse(java.util.Arrays.equals(g.sample(new Shape(3, 3), new SplittableRandom(9)), g.sample(new Shape(3, 3), new SplittableRandom(10))));
        assertArrayEquals(new float[] {0.25f, 0.25f}, init("{\"class_name\": \"Constant\", \"config\": {\"value\": 0.25}}").sample(new Shape(2), null));
    }

    @Test
    void unitForgetBias() {
        float[] b = new KerasInitializer.UnitForgetBias(KerasInitializer.ZEROS, 2).sample(new Shape(8), new SplittableRandom(1));
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, b);
    }

    @Test
    void parseRefusals() {
        assertInstanceOf(KerasInitializer.Orthogonal.class, init("{\"class_name\": \"Orthogonal\", \"config\": {\"gain\": 1.0, \"seed\": null}}"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> init("{\"class_name\": \"Identity\", \"config\": {}}"));
        assertTrue(unknown.getMessage().contains("'Identity'") && unknown.getMessage().contains("kernel_initializer")
                && unknown.getMessage().contains("layer 'd'"), unknown.getMessage());
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> init("{\"class_name\": \"VarianceScaling\", \"config\": {\"mode\": \"fan_sum\"}}"));
        assertTrue(mode.getMessage().contains("fan_sum"), mode.getMessage());
        assertThrows(IllegalArgumentException.class, () -> init("42"));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> init("{\"class_name\": \"RandomUniform\", \"config\": {\"minval\": 1.0, \"maxval\": 0.0}}"));
        assertTrue(range.getMessage().contains("layer 'd'") && range.getMessage().contains("RandomUniform"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> init("{\"class_name\": \"TruncatedNormal\", \"config\": {\"stddev\": -1.0}}"));
    }
}
