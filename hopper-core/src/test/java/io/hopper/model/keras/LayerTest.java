package io.hopper.model.keras;

import io.hopper.model.WeightPenalty;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerTest {

    @Test
    void qualifiedWeightsCarryTheLayersRegularizers() {
        KerasArchitecture a = TestModels.one("3", "Dense",
                "\"units\": 2, \"kernel_regularizer\": {\"class_name\": \"L1L2\", \"config\": {\"l1\": 0.0, \"l2\": 0.01}}");
        assertEquals(List.of(new WeightPenalty(0, 0.01), WeightPenalty.NONE), a.graph().weights().stream().map(WeightSpec::penalty).toList());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> TestModels.one("3", "Dense",
                "\"units\": 2, \"activity_regularizer\": {\"class_name\": \"L1L2\", \"config\": {\"l1\": 0.0, \"l2\": 0.01}}"));
        assertTrue(c.getMessage().contains("'activity_regularizer'") && c.getMessage().contains("layer 'l' (Dense)"), c.getMessage());
        TestModels.one("3", "Dense", "\"units\": 2, \"kernel_regularizer\": null, \"bias_constraint\": null");
    }

    @Test
    void wrappedLayersKeepTheirOwnRegularizers() {
        // Bidirectional(LSTM(kernel_regularizer=l2)) regularizes both directions' kernels, not their recurrent kernels.
        String lstm = "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 2, \"kernel_regularizer\": \"l2\"}}";
        KerasArchitecture a = KerasArchitecture.parse(TestModels.sequential("2.2.4", "5, 3",
                TestModels.layer("Bidirectional", "bi", "\"layer\": " + lstm)));
        List<String> regularized = a.graph().weights().stream().filter(w -> !w.penalty().isNone()).map(WeightSpec::name).toList();
        assertEquals(List.of("bi/forward_lstm/kernel", "bi/backward_lstm/kernel"), regularized);
    }

    @Test
    void rankErrorsNameTheLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("3", "MaxPooling2D", ""));
        assertTrue(e.getMessage().contains("layer 'l' (MaxPooling2D)") && e.getMessage().contains("rank"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> TestModels.one("null", "Dense", "\"units\": 2"));
        assertTrue(unknown.getMessage().contains("None"), unknown.getMessage());
    }
}
