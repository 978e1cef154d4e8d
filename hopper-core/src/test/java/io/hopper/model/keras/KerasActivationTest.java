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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasActivation.of("relu6", c));
        assertTrue(e.getMessage().contains("'relu6'") && e.getMessage().contains("layer 'd'") && e.getMessage().contains("gelu"), e.getMessage());
    }
}
