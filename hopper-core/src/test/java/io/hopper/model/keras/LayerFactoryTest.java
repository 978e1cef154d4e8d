package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerFactoryTest {

    /** Every one-input class with a minimal config and an input it accepts. */
    private static Map<String, String[]> oneInputLayers() {
        Map<String, String[]> m = new LinkedHashMap<>();
        String rnn = "\"layer\": {\"class_name\": \"GRU\", \"config\": {\"name\": \"g\", \"units\": 2}}";
        m.put("Dense", new String[] {"3", "\"units\": 2"});
        m.put("Conv1D", new String[] {"4, 3", "\"filters\": 2, \"kernel_size\": 2"});
        m.put("Conv2D", new String[] {"4, 4, 3", "\"filters\": 2, \"kernel_size\": 2"});
        m.put("DepthwiseConv2D", new String[] {"4, 4, 3", "\"kernel_size\": 2"});
        m.put("SeparableConv2D", new String[] {"4, 4, 3", "\"filters\": 2, \"kernel_size\": 2"});
        for (String p : new String[] {"MaxPooling", "AveragePooling", "GlobalMaxPooling", "GlobalAveragePooling"}) {
            m.put(p + "1D", new String[] {"4, 3", ""});
            m.put(p + "2D", new String[] {"4, 4, 3", ""});
        }
        m.put("Flatten", new String[] {"4, 4, 3", ""});
        m.put("Reshape", new String[] {"4, 4, 3", "\"target_shape\": [-1]"});
        m.put("Dropout", new String[] {"3", "\"rate\": 0.5"});
        m.put("SpatialDropout1D", new String[] {"4, 3", "\"rate\": 0.5"});
        m.put("SpatialDropout2D", new String[] {"4, 4, 3", "\"rate\": 0.5"});
        m.put("Activation", new String[] {"3", "\"activation\": \"relu\""});
        m.put("ReLU", new String[] {"3", ""});
        m.put("LeakyReLU", new String[] {"3", ""});
        m.put("Softmax", new String[] {"3", ""});
        m.put("PReLU", new String[] {"4, 3", "\"shared_axes\": [1]"});
        m.put("ELU", new String[] {"3", "\"alpha\": 0.5"});
        m.put("ThresholdedReLU", new String[] {"3", "\"theta\": 0.5"});
        m.put("ZeroPadding1D", new String[] {"4, 3", "\"padding\": [1, 2]"});
        m.put("Cropping1D", new String[] {"4, 3", "\"cropping\": [1, 0]"});
        m.put("UpSampling1D", new String[] {"4, 3", "\"size\": 3"});
        m.put("BatchNormalization", new String[] {"4, 4, 3", ""});
        m.put("Embedding", new String[] {"4", "\"input_dim\": 5, \"output_dim\": 2"});
        m.put("LSTM", new String[] {"4, 3", "\"units\": 2"});
        m.put("GRU", new String[] {"4, 3", "\"units\": 2"});
        m.put("CuDNNLSTM", new String[] {"4, 3", "\"units\": 2"});
        m.put("CuDNNGRU", new String[] {"4, 3", "\"units\": 2"});
        m.put("SimpleRNN", new String[] {"4, 3", "\"units\": 2"});
        m.put("Bidirectional", new String[] {"4, 3", rnn});
        m.put("TimeDistributed", new String[] {"4, 3", "\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 2}}"});
        m.put("ZeroPadding2D", new String[] {"4, 4, 3", "\"padding\": 1"});
        m.put("Cropping2D", new String[] {"4, 4, 3", "\"cropping\": 1"});
        m.put("UpSampling2D", new String[] {"4, 4, 3", ""});
        m.put("Rescaling", new String[] {"3", "\"scale\": 0.5"});
        m.put("Normalization", new String[] {"3", ""});
        m.put("Conv3D", new String[] {"4, 4, 4, 2", "\"filters\": 3, \"kernel_size\": 2, \"padding\": \"same\""});
        m.put("Conv1DTranspose", new String[] {"4, 2", "\"filters\": 3, \"kernel_size\": 3, \"strides\": 2, \"padding\": \"same\""});
        m.put("Conv2DTranspose", new String[] {"4, 4, 2", "\"filters\": 3, \"kernel_size\": 3, \"strides\": 2"});
        m.put("MaxPooling3D", new String[] {"4, 4, 4, 2", ""});
        m.put("AveragePooling3D", new String[] {"4, 4, 4, 2", "\"padding\": \"same\", \"pool_size\": 3"});
        m.put("GlobalMaxPooling3D", new String[] {"4, 4, 4, 2", ""});
        m.put("GlobalAveragePooling3D", new String[] {"4, 4, 4, 2", "\"keepdims\": true"});
        m.put("LayerNormalization", new String[] {"4, 3", ""});
        m.put("Permute", new String[] {"4, 3", "\"dims\": [2, 1]"});
        m.put("RepeatVector", new String[] {"3", "\"n\": 4"});
        m.put("Masking", new String[] {"4, 3", ""});
        m.put("GaussianNoise", new String[] {"3", "\"stddev\": 0.1"});
        m.put("GaussianDropout", new String[] {"3", "\"rate\": 0.2"});
        m.put("RandomFlip", new String[] {"4, 5, 3", ""});
        m.put("RandomContrast", new String[] {"4, 5, 3", "\"factor\": 0.2"});
        m.put("RandomRotation", new String[] {"4, 5, 3", "\"factor\": 0.2"});
        m.put("RandomZoom", new String[] {"4, 5, 3", "\"height_factor\": [-0.2, 0.1]"});
        m.put("RandomTranslation", new String[] {"4, 5, 3", "\"height_factor\": 0.2, \"width_factor\": 0.1, \"fill_mode\": \"constant\""});
        return m;
    }

    @Test
    void everySupportedClassBuildsAndRuns() {
        Map<String, String[]> layers = oneInputLayers();
        try (NDManager m = NDManager.newBaseManager()) {
            for (Map.Entry<String, String[]> e : layers.entrySet()) {
                KerasArchitecture a = TestModels.one(e.getValue()[0], e.getKey(), e.getValue()[1]);
                NDArray y = TestModels.run(m, a, null, m.ones(Shapes.withBatch(2, a.inputShapes().get(0))), true);
                assertEquals(Shapes.withBatch(2, a.outputShapes().get(0)), y.getShape(), e.getKey());
            }
        }
        // merges take two inputs (MergeLayersTest); InputLayer and the model classes are the graph's (KerasArchitectureTest)
        Set<String> covered = new HashSet<>(layers.keySet());
        covered.addAll(Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot", "InputLayer", "Sequential", "Model",
                "Functional", "NotEqual", "Attention", "MultiHeadAttention", "TFOpLambda"));
        assertEquals(new HashSet<>(LayerFactory.SUPPORTED), covered);
    }

    @Test
    void unknownClassListsTheSupportedOnes() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TestModels.one("3", "UnitNormalization", ""));
        assertTrue(e.getMessage().contains("'UnitNormalization'") && e.getMessage().contains("layer 'l'") && e.getMessage().contains("BatchNormalization"),
                e.getMessage());
    }
}
