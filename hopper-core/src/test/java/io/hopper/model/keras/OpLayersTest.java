package io.hopper.model.keras;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpLayersTest {
    private static String notEqual(String second) {
        return "{\"module\": \"keras.src.models.functional\", \"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"x\", \"batch_shape\": [null, 4]}, \"name\": \"x\", \"inbound_nodes\": []},"
                + "{\"module\": \"keras.src.ops.numpy\", \"class_name\": \"NotEqual\", \"config\": {\"name\": \"ne\"}, \"registered_name\": \"NotEqual\", \"name\": \"ne\","
                + " \"inbound_nodes\": [{\"args\": [{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"x\", 0, 0]}}, " + second
                + "], \"kwargs\": {}}]}], \"input_layers\": [\"x\", 0, 0], \"output_layers\": [\"ne\", 0, 0]}}";
    }

    @Test
    void notEqualComparesWithItsConstant() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(notEqual("2")));
            net.initialize(m, 1);
            assertArrayEquals(new float[] {1, 0, 1, 1}, TestModels.forward(net, m, new NDList(m.create(new float[] {0, 2, 3, 2.5f}, new Shape(1, 4))), false)
                    .head().toFloatArray());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            for (String[] c : new String[][] {{"Add", "3.0", "4", "5"}, {"Subtract", "3.0", "-2", "-1"}, {"TrueDivide", "2", "0.5", "1"}}) {
                String json = notEqual(c[1]).replace("\"NotEqual\"", "\"" + c[0] + "\"").replace("[null, 4]", "[null, 2]");
                KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(json));
                net.initialize(m, 1);
                float[] y = TestModels.forward(net, m, new NDList(m.create(new float[] {1, 2}, new Shape(1, 2))), false).head().toFloatArray();
                assertArrayEquals(new float[] {Float.parseFloat(c[2]), Float.parseFloat(c[3])}, y, 1e-6f, c[0]);
            }
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(notEqual("2").replace("\"NotEqual\"", "\"Einsum\"")));
        assertTrue(unknown.getMessage().contains("Keras 3 operation 'Einsum'"), unknown.getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(notEqual("\"pad\"")));
        assertTrue(e.getMessage().startsWith("model_arch: layer 'ne' (NotEqual): combines a tensor with \"pad\""), e.getMessage());
    }

    @Test
    void tfKerasTfOpLambdaArithmeticAsMobileNetV3WritesHardSigmoid() {
        // tf.keras 2.x: hard_sigmoid(x) = ReLU(6.)(x + 3.) * (1. / 6.)
        String json = "{\"class_name\": \"Functional\", \"keras_version\": \"2.13.1\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"x\", \"batch_input_shape\": [null, 3]}, \"name\": \"x\", \"inbound_nodes\": []},"
                + "{\"class_name\": \"TFOpLambda\", \"config\": {\"name\": \"tf.__operators__.add\", \"function\": \"__operators__.add\"},"
                + " \"name\": \"tf.__operators__.add\", \"inbound_nodes\": [[\"x\", 0, 0, {\"y\": 3.0, \"name\": null}]]},"
                + "{\"class_name\": \"ReLU\", \"config\": {\"name\": \"re_lu\", \"max_value\": 6.0}, \"name\": \"re_lu\","
                + " \"inbound_nodes\": [[[\"tf.__operators__.add\", 0, 0, {}]]]},"
                + "{\"class_name\": \"TFOpLambda\", \"config\": {\"name\": \"tf.math.multiply\", \"function\": \"math.multiply\"},"
                + " \"name\": \"tf.math.multiply\", \"inbound_nodes\": [[\"re_lu\", 0, 0, {\"y\": 0.16666666666666666, \"name\": null}]]}],"
                + " \"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"tf.math.multiply\", 0, 0]]}}";
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(json));
            net.initialize(m, 1);
            float[] y = TestModels.forward(net, m, new NDList(m.create(new float[] {-4, 0, 1}, new Shape(1, 3))), false).head().toFloatArray();
            assertArrayEquals(new float[] {0, 0.5f, 4 / 6f}, y, 1e-6f);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(json.replace("\"function\": \"math.multiply\"", "\"function\": \"nn.softmax\"")));
        assertTrue(e.getMessage().contains("TensorFlow function 'nn.softmax'"), e.getMessage());
    }
}
