package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionLayersTest {

    /** A Keras 3 functional model: inputs q [tq, d] and v [tv, d], the layer called on them with the given kwargs. */
    private static String model(String cls, String config, String dq, String dv, String kwargs) {
        String t = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"%s\", 0, 0]}}";
        return "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"name\": \"q\", \"batch_shape\": [null, " + dq + "]}, \"name\": \"q\", \"inbound_nodes\": []},"
                + "{\"module\": \"keras.layers\", \"class_name\": \"InputLayer\", \"config\": {\"name\": \"v\", \"batch_shape\": [null, " + dv + "]}, \"name\": \"v\", \"inbound_nodes\": []},"
                + "{\"module\": \"keras.layers\", \"class_name\": \"" + cls + "\", \"config\": {\"name\": \"att\"" + config + "}, \"registered_name\": null, \"name\": \"att\","
                + " \"inbound_nodes\": [{\"args\": [" + (cls.equals("Attention") ? "[" + t.formatted("q") + ", " + t.formatted("v") + "]"
                : t.formatted("q") + ", " + t.formatted("v")) + "], \"kwargs\": {" + kwargs + "}}]}],"
                + "\"input_layers\": [[\"q\", 0, 0], [\"v\", 0, 0]], \"output_layers\": [[\"att\", 0, 0]]}}";
    }

    private static float[] run(NDManager m, KerasNetwork net, NDArray q, NDArray v) {
        return TestModels.forward(net, m, new NDList(q, v), false).head().toFloatArray();
    }

    @Test
    void dotProductAttentionIsSoftmaxOfScoresTimesValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(model("Attention", "", "1, 2", "2, 2", "")));
            net.initialize(m, 1);
            float[] y = run(m, net, m.create(new float[] {1, 0}, new Shape(1, 1, 2)), m.create(new float[] {1, 0, 0, 1}, new Shape(1, 2, 2)));
            double e = Math.E;
            assertArrayEquals(new float[] {(float) (e / (1 + e)), (float) (1 / (1 + e))}, y, 1e-6f);
            assertEquals(1, KerasArchitecture.parse(model("Attention", ", \"use_scale\": true", "1, 2", "2, 2", "")).summary().totalParams());
        }
    }

    @Test
    void multiHeadAttentionCountsLikeKerasAndTheCausalMaskHidesLaterPositions() {
        String causal = model("MultiHeadAttention", ", \"num_heads\": 2, \"key_dim\": 3", "4, 5", "4, 5", "\"use_causal_mask\": true");
        KerasArchitecture a = KerasArchitecture.parse(causal);
        // query, key, value: 5*2*3 + 2*3 each; output: 2*3*5 + 5
        assertEquals(3 * 36 + 35, a.summary().totalParams());
        // Keras 3 writes the built default, every position axis
        assertEquals(3 * 36 + 35, KerasArchitecture.parse(causal.replace("\"key_dim\": 3", "\"key_dim\": 3, \"attention_axes\": [1]")).summary().totalParams());
        assertEquals(new Shape(4, 5), a.outputShapes().get(0));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(a);
            net.initialize(m, 1);
            NDArray x = TestModels.random(m, new Shape(1, 4, 5), 2);
            NDArray changedLast = x.duplicate();
            changedLast.set(new ai.djl.ndarray.index.NDIndex("0, 3"), 9f);
            float[] y = run(m, net, x, x);
            float[] z = run(m, net, changedLast, changedLast);
            assertArrayEquals(java.util.Arrays.copyOf(y, 15), java.util.Arrays.copyOf(z, 15), 1e-6f);
            assertFalse(java.util.Arrays.equals(y, z));
            TestModels.checkGradients(net, m, 3);
        }
    }

    @Test
    void refusals() {
        for (String[] bad : List.of(new String[] {"MultiHeadAttention", ", \"num_heads\": 2, \"key_dim\": 3, \"attention_axes\": [2]", ""},
                new String[] {"MultiHeadAttention", ", \"num_heads\": 2, \"key_dim\": 3", "\"return_attention_scores\": true"},
                new String[] {"MultiHeadAttention", ", \"num_heads\": 2, \"key_dim\": 3, \"output_shape\": [2, 3]", ""},
                new String[] {"Attention", ", \"score_mode\": \"general\"", ""})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KerasArchitecture.parse(model(bad[0], bad[1], "4, 5", "4, 5", bad[2])), bad[1] + bad[2]);
            assertTrue(e.getMessage().startsWith("model_arch: layer 'att' (" + bad[0] + ")") && !e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
