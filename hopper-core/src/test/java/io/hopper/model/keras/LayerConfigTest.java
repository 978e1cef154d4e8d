package io.hopper.model.keras;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerConfigTest {

    private static LayerConfig config(String json) {
        try {
            return new LayerConfig(new ObjectMapper().readTree("{\"class_name\": \"Conv2D\", \"config\": {\"name\": \"c\"" + (json.isEmpty() ? "" : ", " + json) + "}}"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void tuplesAcceptAnIntOrAList() {
        assertArrayEquals(new int[] {3, 3}, config("\"k\": 3").tuple("k", 2, null));
        assertArrayEquals(new int[] {3, 5}, config("\"k\": [3, 5]").tuple("k", 2, null));
        assertArrayEquals(new int[] {1, 1}, config("\"k\": null").tuple("k", 2, new int[] {1, 1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> config("\"k\": [3, 0]").tuple("k", 2, null));
        assertTrue(e.getMessage().startsWith("model_arch: layer 'c' (Conv2D): 'k'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config("\"k\": [3]").tuple("k", 2, null));
        assertThrows(IllegalArgumentException.class, () -> config("").tuple("k", 2, null));
    }

    @Test
    void typedAccessors() {
        LayerConfig c = config("\"padding\": \"same\", \"data_format\": \"channels_first\", \"b\": true, \"d\": 0.5, \"s\": \"x\"");
        assertEquals("same", c.padding(false));
        assertTrue(c.channelsFirst());
        assertTrue(c.boolOr("b", false));
        assertEquals(0.5, c.doubleOr("d", 1));
        assertEquals("x", c.stringOr("s", "y"));
        assertFalse(config("").channelsFirst());
        assertThrows(IllegalArgumentException.class, () -> config("\"padding\": \"causal\"").padding(false));
        assertEquals("causal", config("\"padding\": \"causal\"").padding(true));
        assertThrows(IllegalArgumentException.class, () -> config("\"data_format\": \"nhwc\"").channelsFirst());
        assertThrows(IllegalArgumentException.class, () -> config("\"b\": 1").boolOr("b", false));
        assertThrows(IllegalArgumentException.class, () -> config("\"u\": 2.5").intOr("u", 1));
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> config("\"stateful\": true").requireAbsentOr("stateful", false, "state"));
        assertTrue(r.getMessage().contains("'stateful'"), r.getMessage());
        config("\"dropout\": 0.0").requireAbsentOr("dropout", 0, "dropout");
    }
}
