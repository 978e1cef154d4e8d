package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasArchitectureTest {

    /*
     * Parameter counts worked out by hand from each fixture's layer configs, and equal to Keras 3.15.1's
     * count_params() and trainable/non-trainable weight sizes for the Keras 3 versions in keras3/ (same architectures):
     * 01, 07 iris MLP 4-10-10-3: 4*10+10 + 10*10+10 + 10*3+3 = 50 + 110 + 33 = 193.
     * 02 iris MLP 4-10-10-10-3: 50 + 110 + 110 + 33 = 303.
     * 03 two inputs of 4: dense 4*10+10=50, dense_2 50, dense_1 10*10+10=110, dense_3 110,
     *    concatenate -> 20, dense_4 20*3+3=63, dense_5 10*3+3=33: 50+50+110+110+63+33 = 416.
     * 04 CNN 32x32x3: conv 3*3*3*32+32=896 -> 30x30x32, pool -> 15x15x32, flatten 7200,
     *    dense 7200*2+2=14402: 896 + 14402 = 15298.
     * 05 CNN with BatchNormalization (4 weights of C each, moving mean/variance non-trainable), 'same' convs:
     *    conv 3*3*3*32+32=896, bn 4*32=128, conv 3*3*32*32+32=9248, bn 128, pool -> 16x16,
     *    conv 3*3*32*64+64=18496, bn 256, conv 3*3*64*64+64=36928, bn 256, pool -> 8x8,
     *    conv 3*3*64*128+128=73856, bn 512, conv 3*3*128*128+128=147584, bn 512, pool -> 4x4x128=2048,
     *    dense 2048*128+128=262272, bn 4*128=512, dense 128*10+10=1290; total 552874;
     *    non-trainable 2*(32+32+64+64+128+128+128) = 1152; trainable 552874-1152 = 551722.
     * 06 CNN with Activation layers: conv same 896 -> 32x32x32, conv valid 9248 -> 30x30, pool -> 15x15,
     *    conv same 3*3*32*64+64=18496, conv valid 36928 -> 13x13x64, pool -> 6x6x64=2304,
     *    dense 2304*512+512=1180160, dense 512*10+10=5130; total 1250858.
     */
    @ParameterizedTest
    @CsvSource({
        "01_madlib_iris_mlp_keras216.json, 193, 193, 0",
        "02_madlib_iris_mlp_deeper_keras216.json, 303, 303, 0",
        "03_madlib_iris_multi_input_concat_functional.json, 416, 416, 0",
        "04_madlib_cifar_cnn_keras216.json, 15298, 15298, 0",
        "05_madlibsite_cifar10_cnn_batchnorm_keras224.json, 552874, 551722, 1152",
        "06_madlibsite_cifar10_cnn_activation_keras224.json, 1250858, 1250858, 0",
        "07_madlibsite_iris_mlp_tfkeras224tf.json, 193, 193, 0"})
    void fixturesHaveKerasParameterCounts(String file, long total, long trainable, long nonTrainable) {
        ArchSummary s = KerasArchitecture.parse(TestModels.fixture(file)).summary();
        assertEquals(total, s.totalParams());
        assertEquals(trainable, s.trainableParams());
        assertEquals(nonTrainable, s.nonTrainableParams());
        String[] lines = s.render().split("\n");
        assertEquals("total_params=" + total + " trainable_params=" + trainable + " non_trainable_params=" + nonTrainable,
                lines[lines.length - 1]);
    }

    @Test
    void summaryRowsFollowKerasLayersAndShapes() {
        ArchSummary s = KerasArchitecture.parse(TestModels.fixture("04_madlib_cifar_cnn_keras216.json")).summary();
        assertEquals(List.of("conv2d_1", "max_pooling2d_1", "dropout_1", "flatten_1", "dense_1"), s.rows().stream().map(ArchSummary.Row::name).toList());
        assertEquals(List.of("(None, 30, 30, 32)", "(None, 15, 15, 32)", "(None, 15, 15, 32)", "(None, 7200)", "(None, 2)"),
                s.rows().stream().map(ArchSummary.Row::outputShape).toList());
        assertEquals(List.of(896L, 0L, 0L, 0L, 14402L), s.rows().stream().map(ArchSummary.Row::params).toList());
        assertTrue(s.render().contains("conv2d_1 (Conv2D)"));
        assertTrue(s.render().contains("Total params: 15,298"));
    }

    @Test
    void functionalModelWithTwoInputsAndOutputs() {
        KerasArchitecture a = KerasArchitecture.parse(TestModels.fixture("03_madlib_iris_multi_input_concat_functional.json"));
        assertEquals(List.of(new Shape(4), new Shape(4)), a.inputShapes());
        assertEquals(List.of(new Shape(3), new Shape(3)), a.outputShapes());
        assertEquals("model", a.name());
        // A functional summary shows the InputLayers; the Concatenate's output is 10 + 10 = 20.
        ArchSummary s = a.summary();
        assertEquals("input_1", s.rows().get(0).name());
        assertEquals("(None, 20)", s.rows().stream().filter(r -> r.name().equals("concatenate")).findFirst().orElseThrow().outputShape());
    }

    @Test
    void aPackedTableFitsAModelWithItsInputsAndOutputsInOrder() {
        KerasArchitecture a = KerasArchitecture.parse(TestModels.fixture("03_madlib_iris_multi_input_concat_functional.json"));
        io.hopper.data.PackedSummary.Output species = new io.hopper.data.PackedSummary.Output("species", "text", List.of("a", "b", "c"), 3);
        io.hopper.data.PackedSummary fits = new io.hopper.data.PackedSummary("csv:x", "t",
                List.of(new io.hopper.data.PackedSummary.Input(List.of("a"), List.of(4)), new io.hopper.data.PackedSummary.Input(List.of("b"), List.of(4))),
                List.of(species, species), 10, 1.0, "all_segments", 1, 1L, null, 2, 10, 1);
        a.requireFits(fits, "model_id 3 of 'arch'");
        io.hopper.data.PackedSummary one = new io.hopper.data.PackedSummary("csv:x", "iris_train", "species", "a,b,c,d", "text",
                List.of("a", "b", "c"), 10, 1.0, 3, "all_segments", 1, 1L, null, 1, List.of(4), 10, 1);
        String e = assertThrows(IllegalArgumentException.class, () -> a.requireFits(one, "model_id 3 of 'arch'")).getMessage();
        assertEquals("table 'iris_train' packs 1 input (x: [4]) and 1 output (y: 3 classes) but model_id 3 of 'arch' has 2 inputs"
                + " ([4], [4]) and 2 outputs ([3], [3]); pack one --independent-varname group per model input and one --dependent-varname"
                + " per output, in the model's order and shapes, or choose a model that fits the table", e);
        io.hopper.data.PackedSummary narrow = new io.hopper.data.PackedSummary("csv:x", "t",
                List.of(new io.hopper.data.PackedSummary.Input(List.of("a"), List.of(4)), new io.hopper.data.PackedSummary.Input(List.of("b"), List.of(2))),
                List.of(species, species), 10, 1.0, "all_segments", 1, 1L, null, 2, 10, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> a.requireFits(narrow, "m")).getMessage()
                .contains("packs 2 inputs (x_0: [4], x_1: [2])"));
    }

    @Test
    void sequentialConfigAsListOrDict() {
        assertEquals(List.of(new Shape(32, 32, 3)), KerasArchitecture.parse(TestModels.fixture("04_madlib_cifar_cnn_keras216.json")).inputShapes());
        KerasArchitecture dict = KerasArchitecture.parse(TestModels.fixture("07_madlibsite_iris_mlp_tfkeras224tf.json"));
        assertEquals(List.of(new Shape(4)), dict.inputShapes());
        assertEquals("sequential", dict.name());
        assertEquals("2.2.4-tf", dict.kerasVersion());
    }

    @Test
    void nestedModelsAreLayers() {
        String inner = "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"inner\", \"layers\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d1\", \"units\": 10, \"batch_input_shape\": [null, 4]}},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d2\", \"units\": 10}}]}, \"name\": \"inner\", \"inbound_nodes\": [[[\"x\", 0, 0, {}]]]}";
        String json = "{\"class_name\": \"Model\", \"keras_version\": \"2.2.4\", \"config\": {\"name\": \"outer\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"x\", \"batch_input_shape\": [null, 4]}, \"name\": \"x\", \"inbound_nodes\": []},"
                + inner + ","
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"head\", \"units\": 3, \"activation\": \"softmax\"}, \"name\": \"head\","
                + " \"inbound_nodes\": [[[\"inner\", 0, 0, {}]]]}],"
                + "\"input_layers\": [[\"x\", 0, 0]], \"output_layers\": [[\"head\", 0, 0]]}}";
        ArchSummary s = KerasArchitecture.parse(json).summary();
        // inner: 4*10+10 + 10*10+10 = 160 in one row; head 10*3+3 = 33.
        assertEquals(List.of(0L, 160L, 33L), s.rows().stream().map(ArchSummary.Row::params).toList());
        assertEquals("Sequential", s.rows().get(1).className());
        assertEquals(193, s.totalParams());
    }

    @Test
    void sharedLayerCountsItsWeightsOnce() {
        String json = "{\"class_name\": \"Model\", \"keras_version\": \"2.2.4\", \"config\": {\"name\": \"m\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"a\", \"batch_input_shape\": [null, 4]}, \"name\": \"a\", \"inbound_nodes\": []},"
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"b\", \"batch_input_shape\": [null, 4]}, \"name\": \"b\", \"inbound_nodes\": []},"
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"shared\", \"units\": 5}, \"name\": \"shared\","
                + " \"inbound_nodes\": [[[\"a\", 0, 0, {}]], [[\"b\", 0, 0, {}]]]},"
                + "{\"class_name\": \"Add\", \"config\": {\"name\": \"add\"}, \"name\": \"add\", \"inbound_nodes\": [[[\"shared\", 0, 0, {}], [\"shared\", 1, 0, {}]]]}],"
                + "\"input_layers\": [[\"a\", 0, 0], [\"b\", 0, 0]], \"output_layers\": [[\"add\", 0, 0]]}}";
        // 4*5+5 = 25 once.
        assertEquals(25, KerasArchitecture.parse(json).summary().totalParams());
    }

    @Test
    void trainableFalseMovesWeightsToNonTrainable() {
        KerasArchitecture a = TestModels.one("4", "Dense", "\"units\": 3, \"trainable\": false");
        assertEquals(0, a.summary().trainableParams());
        assertEquals(15, a.summary().nonTrainableParams());
    }

    @Test
    void refusesKeras1() {
        for (String f : List.of("broken/keras1_sequential.json", "broken/keras1_keys_no_version.json")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(TestModels.fixture(f)));
            assertTrue(e.getMessage().contains("Keras 1"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void aKeras2DocumentWithACustomClassIsRefusedForTheClassNotAsKeras1() {
        // Keras 2.0.6 wrote this (DEC's ClusteringLayer takes output_dim): the declared version says Keras 2, so the
        // refusal names the custom class instead of calling the document Keras 1.
        String json = TestModels.sequential("2.0.6", "4", TestModels.layer("Dense", "d", "\"units\": 3"),
                TestModels.layer("ClusteringLayer", "clustering", "\"output_dim\": 10, \"input_dim\": null"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(json));
        assertTrue(e.getMessage().contains("'clustering'") && e.getMessage().contains("'ClusteringLayer'"), e.getMessage());
        assertFalse(e.getMessage().contains("Keras 1"), e.getMessage());
    }

    @Test
    void readsTheKerasDocumentInsideATensorFlowJsModelJson() {
        // The tfjs converter's model.json (modelTopology.model_config, the Keras version beside it) and tfjs's own save
        // (modelTopology is the to_json document): 6*4+4 + 4*3+3 = 43 in both.
        KerasArchitecture converted = KerasArchitecture.parse(TestModels.fixture("tfjs/converter_model.json"));
        assertEquals(43, converted.summary().totalParams());
        assertEquals("2.9.0", converted.kerasVersion());
        KerasArchitecture saved = KerasArchitecture.parse(TestModels.fixture("tfjs/tfjs_layers_save.json"));
        assertEquals(43, saved.summary().totalParams());
        assertEquals("tfjs-layers 4.10.0", saved.kerasVersion());
        // a graph model (tensorflowjs_converter's default for SavedModels) holds TensorFlow ops: refused saying how to convert
        String message = assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(
                "{\"format\": \"graph-model\", \"modelTopology\": {\"node\": [{\"name\": \"x\", \"op\": \"Placeholder\"}]}}")).getMessage();
        assertTrue(message.contains("TensorFlow.js graph model") && message.contains("--output_format tfjs_layers_model"), message);
    }

    @Test
    void refusesKeras1sMergeLayerNamingTheKeras2Replacements() {
        // Keras 2.0 still read (and wrote) Keras 1's Merge(mode='concat') of two Sequentials.
        String json = TestModels.sequential("2.0.6", "4", "{\"class_name\": \"Merge\", \"config\": {\"name\": \"merge_2\", \"mode\": \"concat\","
                + " \"concat_axis\": -1, \"layers\": []}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(json));
        assertTrue(e.getMessage().contains("'merge_2' (Merge)") && e.getMessage().contains("mode 'concat'") && e.getMessage().contains("Concatenate"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void readsMinimalKeras3Documents() {
        // 4*3 + 3 = 15 in both: a Functional with Keras 3 nodes and a Sequential that only declares keras_version 3.x
        for (String f : List.of("keras3/minimal_functional.json", "keras3/version_only.json")) {
            assertEquals(15, KerasArchitecture.parse(TestModels.fixture(f)).summary().totalParams(), f);
        }
    }

    @Test
    void refusesLambda() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(TestModels.fixture("broken/lambda_layer.json")));
        assertTrue(e.getMessage().contains("'lambda_1'") && e.getMessage().contains("Python code"), e.getMessage());
    }

    @Test
    void refusesUnknownLayerNamingClassAndLayer() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(TestModels.fixture("broken/unknown_layer.json")));
        assertTrue(e.getMessage().contains("'conv_lstm2d_1'") && e.getMessage().contains("'ConvLSTM2D'"), e.getMessage());
    }

    @Test
    void refusesInvalidJson() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(TestModels.fixture("broken/truncated.json")));
        assertTrue(e.getMessage().startsWith("model_arch: invalid JSON"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(""));
        assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse("[1, 2]"));
    }

    @Test
    void refusesBrokenGraphs() {
        String noInput = "{\"class_name\": \"Sequential\", \"keras_version\": \"2.2.4\", \"config\": [{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 3}}]}";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(noInput)).getMessage().contains("input_shape"));
        String badRef = TestModels.fixture("03_madlib_iris_multi_input_concat_functional.json").replace("[[[\"dense\", 0, 0, {}]]]", "[[[\"nope\", 0, 0, {}]]]");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KerasArchitecture.parse(badRef)).getMessage().contains("unknown layer 'nope'"));
        IllegalArgumentException units = assertThrows(IllegalArgumentException.class, () -> TestModels.one("4", "Dense", "\"units\": 0"));
        assertTrue(units.getMessage().contains("layer 'l' (Dense)") && units.getMessage().contains("'units'"), units.getMessage());
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class, () -> TestModels.one("4", "Dense", "\"units\": 2, \"activation\": \"crelu\""));
        assertTrue(act.getMessage().contains("'crelu'"), act.getMessage());
    }

    @Test
    void tfKerasVersionRule() {
        assertTrue(KerasArchitecture.isTfKeras("2.2.4-tf"));
        assertTrue(KerasArchitecture.isTfKeras("2.4.0"));
        assertTrue(KerasArchitecture.isTfKeras("2.13.1"));
        assertFalse(KerasArchitecture.isTfKeras("2.2.4"));
        assertFalse(KerasArchitecture.isTfKeras("2.3.1"));
        assertFalse(KerasArchitecture.isTfKeras(""));
    }

    @ParameterizedTest
    @CsvSource({
        // file, total, trainable (computed by hand from Keras's weight shapes)
        "keras3/text_lstm_mask_zero_functional.json, 781, 781",
        "keras3/text_bilstm_notequal_mask_functional.json, 843, 843",
        "keras3/mobilenet_se_block_functional.json, 517, 469",
        "keras3/transfer_sequential_frozen_nested_base.json, 143, 15",
        "keras3/shared_encoder_mha_two_outputs_functional.json, 203, 203",
        "tfkeras/iris_functional_tfkeras2131.json, 83, 83"})
    void keras3AndTfKeras213DocumentsHaveKerasCounts(String file, long total, long trainable) {
        ArchSummary s = KerasArchitecture.parse(TestModels.fixture(file)).summary();
        assertEquals(total, s.totalParams(), file);
        assertEquals(trainable, s.trainableParams(), file);
    }

    @Test
    void tfKeras213IsKeras2ByItsVersionAndKeras3IsRecognisedWithoutOne() {
        KerasArchitecture tf = KerasArchitecture.parse(TestModels.fixture("tfkeras/iris_functional_tfkeras2131.json"));
        assertEquals("2.13.1", tf.kerasVersion());
        assertTrue(KerasArchitecture.isTfKeras("2.15.0"));
        assertFalse(KerasArchitecture.isKeras3("2.13.1", com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("module", "keras")));
    }

    @Test
    void sharedNestedModelCalledTwiceAndTwoOutputs() {
        KerasArchitecture a = KerasArchitecture.parse(TestModels.fixture("keras3/shared_encoder_mha_two_outputs_functional.json"));
        assertEquals(List.of(new Shape(5, 4), new Shape(5, 4)), a.inputShapes());
        assertEquals(List.of(new Shape(3), new Shape(2)), a.outputShapes());
        // the encoder's weights appear once although it is called on both inputs
        assertEquals(1, a.summary().rows().stream().filter(r -> r.name().equals("encoder")).count());
    }

    @Test
    void refusesRegisteredCustomClassesByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasArchitecture.parse(TestModels.fixture("keras3/custom_registered_layer.json")));
        assertTrue(e.getMessage().startsWith("model_arch: layer 'swish' (Swish): is the registered class 'MyProject>Swish'")
                && e.getMessage().contains("Python code") && !e.getMessage().contains("\n"), e.getMessage());
    }
}
