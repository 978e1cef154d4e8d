package io.hopper.model.keras;

import io.hopper.model.WeightConstraint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasConstraintTest {

    private static Map<String, WeightConstraint> constraints(String config) {
        try {
            return KerasConstraint.constraints(new LayerConfig(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", " + config + "}}")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void readsTheFormsKeras2AndKeras3Write() {
        assertEquals(Map.of("kernel", new WeightConstraint.MaxNorm(3, List.of(0))),
                constraints("\"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 3, \"axis\": 0}}"));
        assertEquals(Map.of("recurrent_kernel", new WeightConstraint.MaxNorm(2, List.of(0, 1, 2)), "bias", new WeightConstraint.NonNeg()),
                constraints("\"recurrent_constraint\": {\"module\": \"keras.constraints\", \"class_name\": \"MaxNorm\", \"config\":"
                        + " {\"max_value\": 2.0, \"axis\": [0, 1, 2]}, \"registered_name\": null},"
                        + " \"bias_constraint\": {\"class_name\": \"NonNeg\", \"config\": {}}"));
        assertEquals(Map.of("gamma", new WeightConstraint.UnitNorm(List.of(0)), "beta", new WeightConstraint.MinMaxNorm(0, 1, 1, List.of(0)),
                "embeddings", new WeightConstraint.MaxNorm(2, List.of(0))),
                constraints("\"gamma_constraint\": \"unit_norm\", \"beta_constraint\": {\"class_name\": \"MinMaxNorm\", \"config\": {}},"
                        + " \"embeddings_constraint\": \"max_norm\", \"depthwise_constraint\": null"));
    }

    @Test
    void refusesWhatItCannotApplyWithOneLineNamingTheLayerAndKey() {
        for (String bad : List.of(
                "\"kernel_constraint\": {\"class_name\": \"RadialConstraint\", \"config\": {}}",
                "\"kernel_constraint\": {\"module\": \"my_project\", \"class_name\": \"MaxNorm\", \"config\": {}}",
                "\"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 2, \"axes\": 0}}",
                "\"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": -2}}",
                "\"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {\"axis\": 0.5}}",
                "\"kernel_constraint\": \"positive\"",
                "\"omega_constraint\": \"non_neg\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> constraints(bad), bad);
            assertTrue(e.getMessage().startsWith("model_arch: layer 'd' (Dense): '") && e.getMessage().contains("_constraint'"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aConstraintOnAxesTheWeightLacksIsRefusedWhenTheLayerIsBuilt() {
        // A Dense kernel is [in, out]: MaxNorm over a Conv2D kernel's axes [0, 1, 2] does not fit it.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("3", "Dense",
                "\"units\": 2, \"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 2, \"axis\": [0, 1, 2]}}"));
        assertTrue(e.getMessage().contains("layer 'l' (Dense)") && e.getMessage().contains("'kernel'"), e.getMessage());
        KerasArchitecture ok = TestModels.one("3", "Dense", "\"units\": 2, \"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {}}");
        assertEquals(List.of(Optional.of(new WeightConstraint.MaxNorm(2, List.of(0))), Optional.empty()),
                ok.graph().weights().stream().map(WeightSpec::constraint).toList());
    }
}
