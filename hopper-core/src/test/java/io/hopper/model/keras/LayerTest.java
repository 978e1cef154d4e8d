package io.hopper.model.keras;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerTest {

    @Test
    void refusesRegularizersAndConstraints() {
        IllegalArgumentException r = assertThrows(IllegalArgumentException.class, () -> TestModels.one("3", "Dense",
                "\"units\": 2, \"kernel_regularizer\": {\"class_name\": \"L1L2\", \"config\": {\"l1\": 0.0, \"l2\": 0.01}}"));
        assertTrue(r.getMessage().contains("'kernel_regularizer'") && r.getMessage().contains("layer 'l' (Dense)"), r.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestModels.one("3", "Dense",
                "\"units\": 2, \"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 2}}"));
        TestModels.one("3", "Dense", "\"units\": 2, \"kernel_regularizer\": null, \"bias_constraint\": null");
    }

    @Test
    void rankErrorsNameTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("3", "MaxPooling2D", ""));
        assertTrue(e.getMessage().contains("layer 'l' (MaxPooling2D)") && e.getMessage().contains("rank"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> TestModels.one("null", "Dense", "\"units\": 2"));
        assertTrue(unknown.getMessage().contains("None"), unknown.getMessage());
    }
}
