package io.hopper.predict;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KerasPredictorTest {
    /** MADlib's iris MLP: 4 -> 10 relu -> 10 relu -> 3 softmax, 193 weights. */
    private static final String MLP = Fitted.text("keras/01_madlib_iris_mlp_keras216.json");

    @Test
    void computesTheKerasForwardPassFromFlatWeights() {
        float[] weights = new float[193];
        // Kernels zero, last bias (the 3 output biases) 0, 1, 2: softmax of (0, 1, 2) for every row.
        weights[190] = 0;
        weights[191] = 1;
        weights[192] = 2;
        try (KerasPredictor p = new KerasPredictor(MLP, weights)) {
            assertEquals(List.of(4), p.sampleShape());
            assertEquals(3, p.classes());
            float[] out = p.predict(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 1, 3);
            double z = 1 + Math.E + Math.exp(2);
            float[] row = {(float) (1 / z), (float) (Math.E / z), (float) (Math.exp(2) / z)};
            assertEquals(6, out.length);
            assertArrayEquals(row, java.util.Arrays.copyOfRange(out, 0, 3), 1e-6f);
            assertArrayEquals(row, java.util.Arrays.copyOfRange(out, 3, 6), 1e-6f);
        }
    }

    @Test
    void wrongWeightsAndRowRangesAreOneLineErrors() {
        String weights = assertThrows(IllegalArgumentException.class, () -> new KerasPredictor(MLP, new float[5])).getMessage();
        assertTrue(weights.contains("got 5 values but the model has 193"), weights);
        try (KerasPredictor p = new KerasPredictor(MLP, new float[193])) {
            String range = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[8], 1, 3)).getMessage();
            assertTrue(range.contains("rows 1..3 are outside the 2 rows"), range);
        }
    }

    @Test
    void aSequenceLengthKerasLeavesOpenTakesRowsOfAnyLength() {
        // (None, 2) -> GlobalAveragePooling1D -> Dense(2, softmax) with kernel [[1, 0], [0, 1]]: softmax of the mean step.
        String json = "{\"class_name\": \"Sequential\", \"keras_version\": \"2.2.4\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"in\", \"batch_input_shape\": [null, null, 2]}}, "
                + "{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {\"name\": \"pool\"}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 2, \"activation\": \"softmax\"}}]}}";
        try (KerasPredictor p = new KerasPredictor(json, new float[] {1, 0, 0, 1, 0, 0})) {
            assertEquals(List.of(-1, 2), p.sampleShape());
            assertTrue(p.accepts(List.of(List.of(3, 2))) && p.accepts(List.of(List.of(1, 2))));
            float[] threeSteps = p.predictAll(List.of(new float[] {0, 0, 3, 0, 0, 0}), List.of(List.of(3, 2)), 0, 1).get(0);
            float[] oneStep = p.predictAll(List.of(new float[] {1, 0}), List.of(List.of(1, 2)), 0, 1).get(0);
            assertArrayEquals(threeSteps, oneStep, 1e-6f);
            assertEquals((float) (Math.E / (Math.E + 1)), oneStep[0], 1e-6f);
            String wide = assertThrows(IllegalArgumentException.class,
                    () -> p.predictAll(List.of(new float[6]), List.of(List.of(2, 3)), 0, 1)).getMessage();
            assertEquals("predict: samples of shapes [[2, 3]] do not fit the network's inputs [[-1, 2]] (-1: any length); "
                    + "pass rows of the shapes the model was trained on", wide);
            assertThrows(IllegalArgumentException.class, () -> p.predict(new float[6], 0, 1), "the fixed-shape call needs a fixed shape");
        }
    }

    @Test
    void aModelOfTwoInputsAndTwoOutputsTakesOneXPerInputAndGivesEachOutput() {
        String multi = Fitted.text("keras/03_madlib_iris_multi_input_concat_functional.json");
        int params = (int) io.hopper.model.keras.KerasArchitecture.parse(multi).summary().totalParams();
        float[] weights = new float[params];
        // every kernel zero; the last biases (dense_5's 3) 0, 1, 2, so output 0 is uniform and output 1 softmax(0, 1, 2)
        weights[params - 2] = 1;
        weights[params - 1] = 2;
        try (KerasPredictor p = new KerasPredictor(multi, weights)) {
            assertEquals(List.of(List.of(4), List.of(4)), p.sampleShapes());
            assertEquals(List.of(3, 3), p.outputClasses());
            List<float[]> out = p.predictAll(List.of(new float[8], new float[8]), 0, 2);
            assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f, 1 / 3f}, out.get(0), 1e-6f);
            double z = 1 + Math.E + Math.exp(2);
            assertEquals((float) (Math.exp(2) / z), out.get(1)[5], 1e-6f);
            String one = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[8], 0, 2)).getMessage();
            assertTrue(one.contains("has 2 inputs and 2 outputs"), one);
            String count = assertThrows(IllegalArgumentException.class, () -> p.predictAll(List.of(new float[8]), 0, 2)).getMessage();
            assertTrue(count.contains("1 X arrays for a model of 2 inputs"), count);
        }
    }
}
