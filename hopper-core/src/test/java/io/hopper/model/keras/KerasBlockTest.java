package io.hopper.model.keras;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.hopper.model.Network;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasBlockTest {

    @Test
    void movingStatisticsAreParametersThatSaveAndLoad() throws Exception {
        String bn = TestModels.sequential("2.2.4", "3", TestModels.layer("Dense", "d", "\"units\": 2"),
                TestModels.layer("BatchNormalization", "bn", ""));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork a = new KerasNetwork(KerasArchitecture.parse(bn));
            a.initialize(m, 1);
            TestModels.forward(a, m, new NDList(TestModels.random(m, new Shape(4, 3), 2)), true); // moves the moving stats
            Parameter mean = a.block().getParameters().get("bn/moving_mean");
            assertFalse(mean.requiresGradient());
            assertTrue(a.block().getParameters().get("bn/gamma").requiresGradient());
            a.block().initialize(m, DataType.FLOAT32, new Shape(4, 3));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.block().saveParameters(new DataOutputStream(bytes));

            KerasNetwork b = new KerasNetwork(KerasArchitecture.parse(bn));
            b.initialize(m, 2);
            b.block().initialize(m, DataType.FLOAT32, new Shape(4, 3));
            b.block().loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            List<float[]> wa = a.kerasWeights();
            List<float[]> wb = b.kerasWeights();
            for (int i = 0; i < wa.size(); i++) {
                assertArrayEquals(wa.get(i), wb.get(i), a.kerasWeightNames().get(i));
            }
            assertFalse(java.util.Arrays.equals(new float[2], wa.get(4)), "the training pass moved the moving mean");
        }
    }

    @Test
    void forwardChecksSeedTypeAndInputCount() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(TestModels.fixture("03_madlib_iris_multi_input_concat_functional.json")));
            net.initialize(m, 1);
            PairList<String, Object> bad = new PairList<>();
            bad.add(Network.SEED_PARAM, 3);
            NDList two = new NDList(m.ones(new Shape(2, 4)), m.ones(new Shape(2, 4)));
            IllegalArgumentException seed = assertThrows(IllegalArgumentException.class,
                    () -> net.block().forward(new ParameterStore(m, false), two, true, bad));
            assertTrue(seed.getMessage().contains(Network.SEED_PARAM), seed.getMessage());
            IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                    () -> TestModels.forward(net, m, new NDList(m.ones(new Shape(2, 4))), false));
            assertTrue(count.getMessage().contains("got 1 inputs"), count.getMessage());
            Shape[] out = net.block().getOutputShapes(new Shape[] {new Shape(6, 4), new Shape(6, 4)});
            assertEquals(2, out.length);
            assertEquals(new Shape(6, 3), out[1]);
        }
    }
}
