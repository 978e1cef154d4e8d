package io.hopper.model.keras;

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
}
