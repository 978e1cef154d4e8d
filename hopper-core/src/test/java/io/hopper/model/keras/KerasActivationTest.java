package io.hopper.model.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasActivationTest {

    @Test
    void namesAndAliases() throws Exception {
        LayerConfig c = new LayerConfig(new ObjectMapper().readTree("{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\"}}"));
        assertEquals(KerasActivation.SWISH, KerasActivation.of("silu", c));
        assertEquals(KerasActivation.HARD_SIGMOID, KerasActivation.of("hard_sigmoid", c));
        assertEquals(KerasActivation.LINEAR, KerasActivation.of("Linear", c));
        assertEquals(KerasActivation.RELU6, KerasActivation.of("relu6", c));
        assertEquals(KerasActivation.HARD_SILU, KerasActivation.of("hard_swish", c));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasActivation.of("crelu", c));
        assertTrue(e.getMessage().contains("'crelu'") && e.getMessage().contains("layer 'd'") && e.getMessage().contains("gelu"), e.getMessage());
        // Keras 3 changed hard_sigmoid to relu6(x + 3) / 6
        assertEquals(KerasActivation.HARD_SIGMOID3, KerasActivation.of("hard_sigmoid", c.keras3(true)));
    }

    @Test
    void keras3FormulasAndHardSigmoidByVersion() {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            ai.djl.ndarray.NDArray x = m.create(new float[] {-4, -1, 0, 1, 8});
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0, 0, 1, 6}, KerasActivation.RELU6.apply(x).toFloatArray());
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 0.3f, 0.5f, 0.7f, 1}, KerasActivation.HARD_SIGMOID.apply(x).toFloatArray(), 1e-6f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {0, 2 / 6f, 0.5f, 4 / 6f, 1}, KerasActivation.HARD_SIGMOID3.apply(x).toFloatArray(), 1e-6f);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {-0.8f, -0.2f, 0, 1, 8}, KerasActivation.LEAKY_RELU.apply(x).toFloatArray(), 1e-6f);
        }
    }
}
