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
            assertTrue(p.accepts(List.of(3, 2)) && p.accepts(List.of(1, 2)));
            float[] threeSteps = p.predict(new float[] {0, 0, 3, 0, 0, 0}, List.of(3, 2), 0, 1);
            float[] oneStep = p.predict(new float[] {1, 0}, List.of(1, 2), 0, 1);
            assertArrayEquals(threeSteps, oneStep, 1e-6f);
            assertEquals((float) (Math.E / (Math.E + 1)), oneStep[0], 1e-6f);
            String wide = assertThrows(IllegalArgumentException.class, () -> p.predict(new float[6], List.of(2, 3), 0, 1)).getMessage();
            assertEquals("predict: samples of shape [2, 3] do not fit the network's input [-1, 2] (-1: any length); "
                    + "pass rows of the shape the model was trained on", wide);
            assertThrows(IllegalArgumentException.class, () -> p.predict(new float[6], 0, 1), "the fixed-shape call needs a fixed shape");
        }
    }
}
