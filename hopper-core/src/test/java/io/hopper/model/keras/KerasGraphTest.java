package io.hopper.model.keras;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasGraphTest {

    private static String model(String layers, String inputs, String outputs) {
        return "{\"class_name\": \"Functional\", \"keras_version\": \"2.4.0\", \"config\": {\"name\": \"g\", \"layers\": [" + layers
                + "], \"input_layers\": " + inputs + ", \"output_layers\": " + outputs + "}}";
    }

    private static final String INPUT = "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"x\", \"batch_input_shape\": [null, 4]}, \"name\": \"x\", \"inbound_nodes\": []}";

    private static String dense(String name, String from) {
        return "{\"class_name\": \"Dense\", \"config\": {\"name\": \"" + name + "\", \"units\": 4}, \"name\": \"" + name
                + "\", \"inbound_nodes\": [[[\"" + from + "\", 0, 0, {}]]]}";
    }

    private static String message(String json) {
        return assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(json)).getMessage();
    }

    @Test
    void layersListedBeforeTheirInputsStillBuild() {
        // tf.keras may list a layer before the layer feeding it; the graph orders calls by dependency
        KerasArchitecture a = KerasArchitecture.parse(model(INPUT + ", " + dense("b", "a") + ", " + dense("a", "x"), "[[\"x\", 0, 0]]", "[[\"b\", 0, 0]]"));
        // weights stay in the layer list's order: b first (4*4+4 = 20 each)
        assertEquals(40, a.summary().totalParams());
        assertEquals("b", a.summary().rows().get(1).name());
        // a single input written flat, as newer tf.keras does
        assertEquals(1, KerasArchitecture.parse(model(INPUT + ", " + dense("a", "x"), "[\"x\", 0, 0]", "[\"a\", 0, 0]")).inputShapes().size());
    }

    @Test
    void sequentialFallsBackToBuildInputShape() {
        String json = "{\"class_name\": \"Sequential\", \"keras_version\": \"2.4.0\", \"config\": {\"name\": \"s\", "
                + "\"layers\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}], \"build_input_shape\": [null, 5]}}";
        // 5*2 + 2 = 12
        assertEquals(12, KerasArchitecture.parse(json).summary().totalParams());
    }

    @Test
    void refusesCyclesAndBadReferences() {
        assertTrue(message(model(INPUT + ", " + dense("a", "b") + ", " + dense("b", "a"), "[[\"x\", 0, 0]]", "[[\"b\", 0, 0]]"))
                .contains("cycle"));
        assertTrue(message(model(INPUT + ", " + dense("a", "x"), "[[\"a\", 0, 0]]", "[[\"a\", 0, 0]]")).contains("input_layers"));
        assertTrue(message(model(INPUT + ", " + dense("a", "x"), "[[\"x\", 0, 0]]", "[[\"a\", 1, 0]]")).contains("output_layers"));
        assertTrue(message(model(INPUT + ", " + dense("a", "x").replace("[\"x\", 0, 0, {}]", "[\"x\", 3, 0, {}]"), "[[\"x\", 0, 0]]",
                "[[\"a\", 0, 0]]")).contains("node 3"));
        assertTrue(message(model(INPUT + ", " + dense("a", "x") + ", " + dense("a", "x"), "[[\"x\", 0, 0]]", "[[\"a\", 0, 0]]"))
                .contains("two layers are named 'a'"));
        String second = INPUT.replace("\"x\"", "\"y\"");
        assertTrue(message(model(INPUT + ", " + second + ", " + dense("a", "x"), "[[\"x\", 0, 0]]", "[[\"a\", 0, 0]]"))
                .contains("InputLayer 'y' is not listed"));
        String mid = TestModels.sequential("2.2.4", "4", TestModels.layer("Dense", "d", "\"units\": 2"),
                TestModels.layer("InputLayer", "late", "\"batch_input_shape\": [null, 2]"));
        assertTrue(message(mid).contains("must come first"));
        String twoOutputs = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"two\", \"layers\": [" + INPUT + ", " + dense("a", "x")
                + ", " + dense("b", "x") + "], \"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"a\", 0, 0], [\"b\", 0, 0]]}}";
        String chained = TestModels.sequential("2.4.0", "4", twoOutputs, TestModels.layer("Dense", "after", "\"units\": 2"));
        assertTrue(message(chained).contains("layer 'after' (Dense)"), message(chained));
    }

    @Test
    void keras3CallsRefuseWhatHopperCannotRun() {
        String t = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [\"x\", 0, 0]}}";
        for (String kwargs : List.of("\"initial_state\": [" + t + "]", "\"mask\": [" + t + ", " + t + "]")) {
            String json = "{\"class_name\": \"Functional\", \"config\": {\"name\": \"m\", \"layers\": ["
                    + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"x\", \"batch_shape\": [null, 3, 2]}, \"name\": \"x\", \"inbound_nodes\": []},"
                    + "{\"class_name\": \"LSTM\", \"config\": {\"name\": \"l\", \"units\": 2}, \"name\": \"l\", \"inbound_nodes\": [{\"args\": [" + t
                    + "], \"kwargs\": {" + kwargs + "}}]}], \"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"l\", 0, 0]]}}";
            String message = message(json);
            assertTrue(message.startsWith("model_arch: layer 'l' (LSTM): is called with") && !message.contains("\n"), message);
        }
    }
}
