package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelLayerTest {

    private static String outer(String innerInputDims) {
        String inner = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"inner\", \"layers\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d1\", \"units\": 5, \"activation\": \"tanh\", \"batch_input_shape\": [null, "
                + innerInputDims + "]}}, {\"class_name\": \"Dense\", \"config\": {\"name\": \"d2\", \"units\": 3}}]}}";
        return TestModels.sequential("2.2.4", "4", inner, TestModels.layer("Activation", "act", "\"activation\": \"softmax\""));
    }

    @Test
    void nestedModelComputesLikeTheFlatOne() {
        String flat = TestModels.sequential("2.2.4", "4", TestModels.layer("Dense", "d1", "\"units\": 5, \"activation\": \"tanh\""),
                TestModels.layer("Dense", "d2", "\"units\": 3"), TestModels.layer("Activation", "act", "\"activation\": \"softmax\""));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork nested = new KerasNetwork(KerasArchitecture.parse(outer("4")));
            nested.initialize(m, 3);
            KerasNetwork plain = new KerasNetwork(KerasArchitecture.parse(flat));
            plain.initialize(m, 9);
            plain.setKerasWeights(nested.kerasWeights());
            NDArray x = TestModels.random(m, new Shape(3, 4), 1);
            assertArrayEquals(TestModels.forward(plain, m, new NDList(x), false).head().toFloatArray(),
                    TestModels.forward(nested, m, new NDList(x), false).head().toFloatArray(), 1e-6f);
            TestModels.checkGradients(nested, m, 2);
        }
    }

    @Test
    void refusesAMismatchedInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(outer("6")));
        assertTrue(e.getMessage().contains("layer 'inner' (Sequential)"), e.getMessage());
    }

    @Test
    void aFrozenNestedBaseFirstInASequentialKeepsItsWeightsAndRunsBatchNormalizationInInferenceMode() {
        KerasArchitecture a = KerasArchitecture.parse(TestModels.fixture("keras3/transfer_sequential_frozen_nested_base.json"));
        assertEquals(List.of(new Shape(8, 8, 3)), a.inputShapes());
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(a);
            net.initialize(m, 1);
            List<float[]> before = net.kerasWeights();
            NDArray x = TestModels.random(m, new Shape(4, 8, 8, 3), 3).add(2f);
            TestModels.forward(net, m, new NDList(x), true);
            List<float[]> after = net.kerasWeights();
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), net.kerasWeightNames().get(i));
            }
        }
    }
}
