package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MergeLayersTest {

    /** Two inputs a and b of the given dims merged by the layer. */
    private static String twoInputs(String dimsA, String dimsB, String cls, String config) {
        return "{\"class_name\": \"Model\", \"keras_version\": \"2.2.4\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"a\", \"batch_input_shape\": [null, " + dimsA + "]}, \"name\": \"a\", \"inbound_nodes\": []},"
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"b\", \"batch_input_shape\": [null, " + dimsB + "]}, \"name\": \"b\", \"inbound_nodes\": []},"
                + "{\"class_name\": \"" + cls + "\", \"config\": {\"name\": \"merge\"" + config + "}, \"name\": \"merge\","
                + " \"inbound_nodes\": [[[\"a\", 0, 0, {}], [\"b\", 0, 0, {}]]]}],"
                + "\"input_layers\": [[\"a\", 0, 0], [\"b\", 0, 0]], \"output_layers\": [[\"merge\", 0, 0]]}}";
    }

    @ParameterizedTest
    @CsvSource({"Add, 5, 1, 7", "Subtract, -3, 3, -1", "Multiply, 4, -2, 12", "Average, 2.5, 0.5, 3.5", "Maximum, 4, 2, 4"})
    void elementwise(String cls, float r0, float r1, float r2) {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(twoInputs("3", "3", cls, "")));
            net.initialize(m, 1);
            NDList in = new NDList(m.create(new float[] {1, 2, 3}, new Shape(1, 3)), m.create(new float[] {4, -1, 4}, new Shape(1, 3)));
            assertArrayEquals(new float[] {r0, r1, r2}, TestModels.forward(net, m, in, false).head().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void concatenateAxesAndShapeErrors() {
        KerasArchitecture a = KerasArchitecture.parse(twoInputs("2, 3", "2, 5", "Concatenate", ", \"axis\": -1"));
        assertEquals(new Shape(2, 8), a.outputShapes().get(0));
        KerasArchitecture b = KerasArchitecture.parse(twoInputs("2, 3", "4, 3", "Concatenate", ", \"axis\": 1"));
        assertEquals(new Shape(6, 3), b.outputShapes().get(0));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(b);
            net.initialize(m, 1);
            NDList in = new NDList(m.zeros(new Shape(2, 2, 3)), m.ones(new Shape(2, 4, 3)));
            assertEquals(new Shape(2, 6, 3), TestModels.forward(net, m, in, false).head().getShape());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(twoInputs("2, 3", "4, 3", "Concatenate", ", \"axis\": -1")));
        assertTrue(e.getMessage().contains("layer 'merge' (Concatenate)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(twoInputs("3", "4", "Add", "")));
    }

    @Test
    void broadcastsLikeKerasIncludingMinimum() {
        try (NDManager m = NDManager.newBaseManager()) {
            // squeeze-and-excite: (2, 2, 3) times (1, 1, 3)
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(twoInputs("2, 2, 3", "1, 1, 3", "Multiply", "")));
            net.initialize(m, 1);
            assertEquals(new Shape(2, 2, 3), net.outputShapes().get(0));
            float[] x = new float[12];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            NDList in = new NDList(m.create(x, new Shape(1, 2, 2, 3)), m.create(new float[] {1, 10, 100}, new Shape(1, 1, 1, 3)));
            assertArrayEquals(new float[] {0, 10, 200, 3, 40, 500, 6, 70, 800, 9, 100, 1100}, TestModels.forward(net, m, in, false).head().toFloatArray());
            // a lower rank aligns on the right: (2, 3) minus (3,)
            KerasNetwork sub = new KerasNetwork(KerasArchitecture.parse(twoInputs("2, 3", "3", "Subtract", "")));
            sub.initialize(m, 1);
            NDList in2 = new NDList(m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 2, 3)), m.create(new float[] {1, 1, 2}, new Shape(1, 3)));
            assertArrayEquals(new float[] {0, 1, 1, 3, 4, 4}, TestModels.forward(sub, m, in2, false).head().toFloatArray());
            KerasNetwork min = new KerasNetwork(KerasArchitecture.parse(twoInputs("3", "3", "Minimum", "")));
            min.initialize(m, 1);
            NDList in3 = new NDList(m.create(new float[] {1, 5, 3}, new Shape(1, 3)), m.create(new float[] {4, -1, 4}, new Shape(1, 3)));
            assertArrayEquals(new float[] {1, -1, 3}, TestModels.forward(min, m, in3, false).head().toFloatArray());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(twoInputs("2, 3", "2, 4", "Add", "")));
        assertTrue(e.getMessage().contains("do not broadcast") && e.getMessage().contains("layer 'merge' (Add)"), e.getMessage());
    }

    @Test
    void dotMultipliesAlongTheAxesAndNormalizesToCosines() {
        try (NDManager m = NDManager.newBaseManager()) {
            // matrix factorization: user and item vectors of 3 -> their dot product, shape (1)
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(twoInputs("3", "3", "Dot", ", \"axes\": 1")));
            assertEquals(new Shape(1), net.outputShapes().get(0));
            net.initialize(m, 1);
            NDList in = new NDList(m.create(new float[] {1, 2, 3, 1, 0, 0}, new Shape(2, 3)), m.create(new float[] {4, -1, 4, 0, 2, 0}, new Shape(2, 3)));
            assertArrayEquals(new float[] {14, 0}, TestModels.forward(net, m, in, false).head().toFloatArray(), 1e-6f);
            KerasNetwork cos = new KerasNetwork(KerasArchitecture.parse(twoInputs("2", "2", "Dot", ", \"axes\": -1, \"normalize\": true")));
            cos.initialize(m, 1);
            NDList pair = new NDList(m.create(new float[] {3, 4}, new Shape(1, 2)), m.create(new float[] {4, 3}, new Shape(1, 2)));
            assertArrayEquals(new float[] {24f / 25}, TestModels.forward(cos, m, pair, false).head().toFloatArray(), 1e-6f);
            // attention scores: (2, 3) . (4, 3) along axes (2, 2) -> (2, 4), Keras's batch_dot
            KerasNetwork scores = new KerasNetwork(KerasArchitecture.parse(twoInputs("2, 3", "4, 3", "Dot", ", \"axes\": [2, 2]")));
            assertEquals(new Shape(2, 4), scores.outputShapes().get(0));
            scores.initialize(m, 1);
            NDArray q = m.arange(6f).reshape(1, 2, 3);
            NDArray k = m.arange(12f).reshape(1, 4, 3);
            NDArray y = TestModels.forward(scores, m, new NDList(q, k), false).head();
            assertArrayEquals(q.matMul(k.transpose(0, 2, 1)).toFloatArray(), y.toFloatArray(), 1e-5f);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(twoInputs("3", "4", "Dot", ", \"axes\": 1")));
        assertTrue(e.getMessage().contains("layer 'merge' (Dot)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(twoInputs("3", "3", "Dot", ", \"axes\": 0")));
    }
}
