package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrapperLayersTest {
    private static final String LSTM = "\"layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 32}}";

    @Test
    void bidirectionalCountsAndShapes() {
        // Bidirectional(LSTM 32) on [10, 64], concat: 2 * 4 * (64*32 + 32*32 + 32) = 24832, output 2*32
        KerasArchitecture bi = TestModels.one("10, 64", "Bidirectional", LSTM);
        assertEquals(24832, bi.summary().totalParams());
        assertEquals(new Shape(64), bi.outputShapes().get(0));
        assertEquals(new Shape(32), TestModels.one("10, 64", "Bidirectional", LSTM + ", \"merge_mode\": \"ave\"").outputShapes().get(0));
        // an explicit backward_layer (tf.keras serializes it) of the same size
        String back = ", \"backward_layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\": \"back\", \"units\": 32, \"go_backwards\": true}}";
        assertEquals(24832, TestModels.one("10, 64", "Bidirectional", LSTM + back).summary().totalParams());
    }

    @Test
    void bidirectionalReversesTheBackwardSequence() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3, 1));
            List<float[]> w = List.of(new float[] {2}, new float[] {0.5f}, new float[] {0});
            String rnn = "\"layer\": {\"class_name\": \"SimpleRNN\", \"config\": {\"name\": \"r\", \"units\": 1, \"activation\": \"linear\", "
                    + "\"return_sequences\": true}}";
            // forward: 2, 5, 8.5; backward reads 3, 2, 1 -> 6, 7, 5.5, re-reversed to 5.5, 7, 6 before merging
            NDArray sum = TestModels.run(m, TestModels.one("3, 1", "Bidirectional", "\"merge_mode\": \"sum\", " + rnn),
                    List.of(w.get(0), w.get(1), w.get(2), w.get(0), w.get(1), w.get(2)), x, false);
            assertArrayEquals(new float[] {7.5f, 12, 14.5f}, sum.toFloatArray());
            NDArray concat = TestModels.run(m, TestModels.one("3, 1", "Bidirectional", rnn),
                    List.of(w.get(0), w.get(1), w.get(2), w.get(0), w.get(1), w.get(2)), x, false);
            assertArrayEquals(new float[] {2, 5.5f, 5, 7, 8.5f, 6}, concat.toFloatArray());
        }
    }

    @Test
    void timeDistributedAppliesPerStep() {
        // TimeDistributed(Dense 8) on [10, 16]: 16*8 + 8 = 136
        KerasArchitecture td = TestModels.one("10, 16", "TimeDistributed", "\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 8}}");
        assertEquals(136, td.summary().totalParams());
        assertEquals(new Shape(10, 8), td.outputShapes().get(0));
        KerasArchitecture conv = TestModels.one("5, 8, 8, 3", "TimeDistributed",
                "\"layer\": {\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\", \"filters\": 4, \"kernel_size\": 3}}");
        assertEquals(new Shape(5, 6, 6, 4), conv.outputShapes().get(0));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = TestModels.run(m, TestModels.one("2, 2", "TimeDistributed", "\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 1}}"),
                    List.of(new float[] {1, 10}, new float[] {0.5f}), m.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 2)), false);
            // step 1: 1 + 20 + 0.5; step 2: 3 + 40 + 0.5
            assertArrayEquals(new float[] {21.5f, 43.5f}, t.toFloatArray());
        }
    }

    @Test
    void refusals() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> TestModels.one("3, 2", "Bidirectional", "\"merge_mode\": null, " + LSTM));
        assertTrue(none.getMessage().contains("merge_mode"), none.getMessage());
        IllegalArgumentException dense = assertThrows(IllegalArgumentException.class, () -> TestModels.one("3, 2", "Bidirectional",
                "\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"x\", \"units\": 2}}"));
        assertTrue(dense.getMessage().contains("layer 'l' (Bidirectional)"), dense.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestModels.one("3, 2", "TimeDistributed", ""));
    }
}
