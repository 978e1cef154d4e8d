package io.hopper.model.keras;

import io.hopper.model.WeightPenalty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasRegularizerTest {

    private static Map<String, WeightPenalty> penalties(String config) {
        return KerasRegularizer.penalties(new LayerConfig(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(
                Map.of("class_name", "Dense", "config", parse("{\"name\": \"d\", " + config + "}")))));
    }

    private static Object parse(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Object.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheFormsKeras2AndKeras3Write() {
        // Keras 2.0-2.3: every regularizer is an L1L2; tf.keras 2.x: L1, L2, L1L2; Keras 3 and tf.keras 2.13+: with module.
        assertEquals(Map.of("kernel", new WeightPenalty(0, 5e-4)),
                penalties("\"kernel_regularizer\": {\"class_name\": \"L1L2\", \"config\": {\"l1\": 0.0, \"l2\": 5e-4}}"));
        assertEquals(Map.of("bias", new WeightPenalty(0.1, 0)), penalties("\"bias_regularizer\": {\"class_name\": \"L1\", \"config\": {\"l1\": 0.1}}"));
        assertEquals(Map.of("recurrent_kernel", new WeightPenalty(0, 0.001)), penalties("\"recurrent_regularizer\": {\"module\":"
                + " \"keras.regularizers\", \"class_name\": \"L2\", \"config\": {\"l2\": 0.001}, \"registered_name\": null}"));
        // The strings take Keras's default factor 0.01; an L1L2 without factors and null regularizers add nothing.
        assertEquals(Map.of("embeddings", new WeightPenalty(0.01, 0.01), "depthwise_kernel", new WeightPenalty(0, 0.01),
                "pointwise_kernel", new WeightPenalty(0.01, 0)), penalties("\"embeddings_regularizer\": \"l1_l2\","
                + " \"depthwise_regularizer\": \"l2\", \"pointwise_regularizer\": \"l1\", \"gamma_regularizer\": null,"
                + " \"beta_regularizer\": {\"class_name\": \"L1L2\", \"config\": {}}"));
    }

    @Test
    void refusesWhatItCannotApplyWithOneLineNamingTheLayerAndKey() {
        for (String bad : List.of(
                "\"activity_regularizer\": {\"class_name\": \"L2\", \"config\": {\"l2\": 0.01}}",
                "\"kernel_regularizer\": {\"module\": \"keras.regularizers\", \"class_name\": \"OrthogonalRegularizer\", \"config\": {\"factor\": 0.01}}",
                "\"kernel_regularizer\": {\"module\": \"my_project\", \"class_name\": \"L2\", \"config\": {\"l2\": 0.01}}",
                "\"kernel_regularizer\": {\"class_name\": \"L2\", \"config\": {\"l2\": 0.01, \"l1\": 0.1}}",
                "\"kernel_regularizer\": {\"class_name\": \"L2\", \"config\": {\"l2\": -1}}",
                "\"kernel_regularizer\": \"l3\"",
                "\"omega_regularizer\": \"l2\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> penalties(bad), bad);
            assertTrue(e.getMessage().startsWith("model_arch: layer 'd' (Dense): '") && e.getMessage().contains("_regularizer'"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void applyGivesAWeightItsLayersRegularizerByTheLastPartOfItsName() {
        WeightSpec kernel = new WeightSpec("query/kernel", new ai.djl.ndarray.types.Shape(2, 3), true, KerasInitializer.ZEROS);
        assertEquals(new WeightPenalty(0, 1), KerasRegularizer.apply(Map.of("kernel", new WeightPenalty(0, 1)), kernel).penalty());
        assertEquals(WeightPenalty.NONE, KerasRegularizer.apply(Map.of("bias", new WeightPenalty(0, 1)), kernel).penalty());
    }
}
