package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecurrentLayersTest {

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void countsAndShapes() {
        // Embedding 1000 x 64 = 64000
        KerasArchitecture e = TestModels.one("10", "Embedding", "\"input_dim\": 1000, \"output_dim\": 64");
        assertEquals(64000, e.summary().totalParams());
        assertEquals(new Shape(10, 64), e.outputShapes().get(0));
        // SimpleRNN: 64*32 + 32*32 + 32 = 3104
        assertEquals(3104, TestModels.one("10, 64", "SimpleRNN", "\"units\": 32").summary().totalParams());
        // LSTM: 4 * (64*32 + 32*32 + 32) = 12416
        KerasArchitecture lstm = TestModels.one("10, 64", "LSTM", "\"units\": 32, \"return_sequences\": true");
        assertEquals(12416, lstm.summary().totalParams());
        assertEquals(new Shape(10, 32), lstm.outputShapes().get(0));
        // unknown time steps stay unknown
        assertEquals("(None, None, 32)", TestModels.one("null, 64", "LSTM", "\"units\": 32, \"return_sequences\": true").summary().rows().get(0).outputShape());
    }

    @Test
    void gruResetAfterBothWays() {
        // reset_after=false: 3 * (64*32 + 32*32 + 32) = 9312; reset_after=true adds a second bias of 3*32: 9408
        assertEquals(9312, TestModels.one("10, 64", "GRU", "\"units\": 32, \"reset_after\": false").summary().totalParams());
        assertEquals(9408, TestModels.one("10, 64", "GRU", "\"units\": 32, \"reset_after\": true").summary().totalParams());
        // without the key: standalone Keras 2 defaults to false, tf.keras to true
        String gru = TestModels.layer("GRU", "g", "\"units\": 32");
        assertEquals(9312, KerasArchitecture.parse(TestModels.sequential("2.2.4", "10, 64", gru)).summary().totalParams());
        assertEquals(9408, KerasArchitecture.parse(TestModels.sequential("2.2.4-tf", "10, 64", gru)).summary().totalParams());
        assertEquals(9408, KerasArchitecture.parse(TestModels.sequential("2.11.0", "10, 64", gru)).summary().totalParams());
    }

    @Test
    void simpleRnnByHandForwardAndGoBackwards() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3, 1));
            List<float[]> w = List.of(new float[] {2}, new float[] {0.5f}, new float[] {0});
            String cfg = "\"units\": 1, \"activation\": \"linear\", \"return_sequences\": true";
            // h1 = 2*1 = 2, h2 = 2*2 + 0.5*2 = 5, h3 = 2*3 + 0.5*5 = 8.5
            assertArrayEquals(new float[] {2, 5, 8.5f}, TestModels.run(m, TestModels.one("3, 1", "SimpleRNN", cfg), w, x, false).toFloatArray());
            // go_backwards reads 3, 2, 1: 6, 4 + 3 = 7, 2 + 3.5 = 5.5 (Keras returns them in processing order)
            assertArrayEquals(new float[] {6, 7, 5.5f},
                    TestModels.run(m, TestModels.one("3, 1", "SimpleRNN", cfg + ", \"go_backwards\": true"), w, x, false).toFloatArray());
        }
    }

    @Test
    void lstmGateOrderIsIfco() {
        try (NDManager m = NDManager.newBaseManager()) {
            // units 1, kernel [wi, wf, wc, wo], no recurrence, zero bias (unit_forget_bias off), two steps of x = 1
            double wi = 1, wf = 2, wc = 0.5, wo = -1;
            List<float[]> w = List.of(new float[] {(float) wi, (float) wf, (float) wc, (float) wo}, new float[4], new float[4]);
            KerasArchitecture a = TestModels.one("2, 1", "LSTM", "\"units\": 1, \"recurrent_activation\": \"sigmoid\", \"unit_forget_bias\": false");
            NDArray y = TestModels.run(m, a, w, m.ones(new Shape(1, 2, 1)), false);
            double c1 = sigmoid(wi) * Math.tanh(wc);
            double c2 = sigmoid(wf) * c1 + sigmoid(wi) * Math.tanh(wc);
            assertEquals(sigmoid(wo) * Math.tanh(c2), y.getFloat(0, 0), 1e-6);
        }
    }

    @Test
    void lstmUnitForgetBiasStartsAtOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(TestModels.one("3, 2", "LSTM", "\"units\": 2"));
            net.initialize(m, 1);
            assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 0}, net.kerasWeights().get(2));
        }
    }

    @Test
    void cudnnLayersAreLstmAndResetAfterGruWithTwoBiases() {
        // Keras 2's CuDNNLSTM(4) on 3 features: 4 * (4*3 + 4*4 + 2*4) = 144; CuDNNGRU(4): 3 * (4*3 + 4*4 + 2*4) = 108.
        KerasArchitecture lstm = TestModels.one("5, 3", "CuDNNLSTM", "\"units\": 4, \"return_sequences\": true");
        KerasArchitecture gru = TestModels.one("5, 3", "CuDNNGRU", "\"units\": 4");
        assertEquals(144, lstm.summary().totalParams());
        assertEquals(108, gru.summary().totalParams());
        Random random = new Random(3);
        float[] kernelL = randoms(random, 3 * 16);
        float[] recL = randoms(random, 4 * 16);
        float[] biasL = randoms(random, 32);
        float[] kernelG = randoms(random, 3 * 12);
        float[] recG = randoms(random, 4 * 12);
        float[] biasG = randoms(random, 24);
        float[] summed = new float[16];
        for (int i = 0; i < 16; i++) {
            summed[i] = biasL[i] + biasL[16 + i];
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(randoms(random, 2 * 5 * 3), new Shape(2, 5, 3));
            // the same as an LSTM with sigmoid gates whose one bias is the sum of the two
            KerasArchitecture plainLstm = TestModels.one("5, 3", "LSTM", "\"units\": 4, \"return_sequences\": true, \"recurrent_activation\": \"sigmoid\"");
            assertArrayEquals(TestModels.run(m, plainLstm, List.of(kernelL, recL, summed), x, false).toFloatArray(),
                    TestModels.run(m, lstm, List.of(kernelL, recL, biasL), x, false).toFloatArray(), 1e-5f);
            // the same as a reset_after GRU with sigmoid gates and the (2, 12) bias
            KerasArchitecture plainGru = TestModels.one("5, 3", "GRU", "\"units\": 4, \"reset_after\": true, \"recurrent_activation\": \"sigmoid\"");
            assertArrayEquals(TestModels.run(m, plainGru, List.of(kernelG, recG, biasG), x, false).toFloatArray(),
                    TestModels.run(m, gru, List.of(kernelG, recG, biasG), x, false).toFloatArray(), 1e-5f);
            // unit_forget_bias: ones on the recurrent forget block, Keras's [zeros(5u), ones(u), zeros(2u)]
            KerasNetwork net = new KerasNetwork(TestModels.one("5, 3", "CuDNNLSTM", "\"units\": 1"));
            net.initialize(m, 1);
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 0, 0}, net.kerasWeights().get(2));
        }
    }

    private static float[] randoms(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian() * 0.5f;
        }
        return out;
    }

    @Test
    void gruStepsByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            // units 1: kernel [kz, kr, kh], recurrent [uz, ur, uh]; x = [1, -1]; Keras 2's hard_sigmoid recurrent activation
            double kz = 0.5, kr = -1, kh = 2, uz = 0.3, ur = 0.7, uh = -0.4;
            double bz = 0.1, br = 0.2, bh = -0.3;
            double rz = -0.2, rr = 0.4, rh = 0.6;
            float[] kernel = {(float) kz, (float) kr, (float) kh};
            float[] rec = {(float) uz, (float) ur, (float) uh};
            NDArray x = m.create(new float[] {1, -1}, new Shape(1, 2, 1));
            double h = 0;
            double hAfter = 0;
            for (double xt : new double[] {1, -1}) {
                double z = hardSigmoid(kz * xt + bz + uz * h);
                double r = hardSigmoid(kr * xt + br + ur * h);
                h = z * h + (1 - z) * Math.tanh(kh * xt + bh + uh * (r * h));
                double za = hardSigmoid(kz * xt + bz + uz * hAfter + rz);
                double ra = hardSigmoid(kr * xt + br + ur * hAfter + rr);
                hAfter = za * hAfter + (1 - za) * Math.tanh(kh * xt + bh + ra * (uh * hAfter + rh));
            }
            NDArray before = TestModels.run(m, TestModels.one("2, 1", "GRU", "\"units\": 1, \"reset_after\": false"),
                    List.of(kernel, rec, new float[] {(float) bz, (float) br, (float) bh}), x, false);
            assertEquals(h, before.getFloat(0, 0), 1e-6);
            NDArray after = TestModels.run(m, TestModels.one("2, 1", "GRU", "\"units\": 1, \"reset_after\": true"),
                    List.of(kernel, rec, new float[] {(float) bz, (float) br, (float) bh, (float) rz, (float) rr, (float) rh}), x, false);
            assertEquals(hAfter, after.getFloat(0, 0), 1e-6);
            assertTrue(Math.abs(h - hAfter) > 1e-3);
        }
    }

    private static double hardSigmoid(double x) {
        return Math.max(0, Math.min(1, 0.2 * x + 0.5));
    }

    @Test
    void embeddingLooksUpRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray e = TestModels.run(m, TestModels.one("2", "Embedding", "\"input_dim\": 3, \"output_dim\": 2"),
                    List.of(new float[] {0, 1, 10, 11, 20, 21}), m.create(new float[] {2, 0}, new Shape(1, 2)), false);
            assertArrayEquals(new float[] {20, 21, 0, 1}, e.toFloatArray());
        }
    }

    @Test
    void textModelTrains() {
        String json = TestModels.sequential("2.2.4-tf", "6",
                TestModels.layer("Embedding", "emb", "\"input_dim\": 50, \"output_dim\": 8"),
                TestModels.layer("Bidirectional", "bi", "\"layer\": {\"class_name\": \"LSTM\", \"config\": {\"name\": \"lstm\", \"units\": 4, \"return_sequences\": true}}"),
                TestModels.layer("TimeDistributed", "td", "\"layer\": {\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 5}}"),
                TestModels.layer("GRU", "gru", "\"units\": 3"),
                TestModels.layer("Dense", "out", "\"units\": 2, \"activation\": \"softmax\""));
        try (NDManager m = NDManager.newBaseManager()) {
            KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(json));
            net.initialize(m, 3);
            Random r = new Random(4);
            float[] ids = new float[3 * 6];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = r.nextInt(50);
            }
            TestModels.checkGradients(net, m, new NDList(m.create(ids, new Shape(3, 6))));
            assertEquals(List.of("bi/forward_lstm/kernel", "bi/forward_lstm/recurrent_kernel", "bi/forward_lstm/bias",
                    "bi/backward_lstm/kernel"), net.kerasWeightNames().subList(1, 5));
        }
    }

    @Test
    void refusals() {
        for (String cfg : List.of("\"units\": 2, \"return_state\": true", "\"units\": 2, \"stateful\": true", "\"units\": 2, \"dropout\": 1.0",
                "\"units\": 2, \"recurrent_dropout\": -0.1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestModels.one("3, 2", "LSTM", cfg));
            assertTrue(e.getMessage().contains("layer 'l' (LSTM)") && !e.getMessage().contains("\n"), e.getMessage());
        }
        IllegalArgumentException lora = assertThrows(IllegalArgumentException.class,
                () -> TestModels.one("3", "Embedding", "\"input_dim\": 5, \"output_dim\": 2, \"lora_rank\": 4"));
        assertTrue(lora.getMessage().contains("lora_rank"), lora.getMessage());
    }

    private static float[] predict(NDManager m, String json, float[] tokens, boolean training, long seed) {
        KerasNetwork net = new KerasNetwork(KerasArchitecture.parse(json));
        net.initialize(m, 1);
        NDList in = new NDList(m.create(tokens, new Shape(1, tokens.length)));
        return net.block().forward(new ai.djl.training.ParameterStore(m, false), in, training, TestModels.seed(seed)).head().toFloatArray();
    }

    @Test
    void maskZeroAndNotEqualMasksSkipPaddedStepsAsKerasDoes() {
        try (NDManager m = NDManager.newBaseManager()) {
            String lstm = TestModels.fixture("keras3/text_lstm_mask_zero_functional.json");
            String shorter = lstm.replaceAll("\\[\\s*null,\\s*8\\s*\\]", "[null, 4]");
            // the same weights (an LSTM's do not depend on the length): padded steps must not change the prediction
            float[] padded = predict(m, lstm, new float[] {3, 5, 7, 0, 0, 0, 0, 0}, false, 0);
            assertArrayEquals(predict(m, shorter, new float[] {3, 5, 7, 0}, false, 0), padded, 1e-6f);
            float[] unmasked = predict(m, lstm.replace("\"mask_zero\": true", "\"mask_zero\": false"), new float[] {3, 5, 7, 0, 0, 0, 0, 0}, false, 0);
            assertFalse(java.util.Arrays.equals(padded, unmasked));

            String bi = TestModels.fixture("keras3/text_bilstm_notequal_mask_functional.json");
            String bi4 = bi.replaceAll("\\[\\s*null,\\s*6\\s*\\]", "[null, 4]").replaceAll("\\[\\s*null,\\s*6,\\s*8\\s*\\]", "[null, 4, 8]");
            assertArrayEquals(predict(m, bi4, new float[] {9, 4, 0, 0}, false, 0), predict(m, bi, new float[] {9, 4, 0, 0, 0, 0}, false, 0), 1e-6f);
        }
    }

    @Test
    void dropoutAndRecurrentDropoutDrawFromTheStepSeedInTrainingOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            String lstm = TestModels.fixture("keras3/text_lstm_mask_zero_functional.json");
            float[] tokens = {3, 5, 7, 9, 11, 13, 2, 1};
            float[] eval = predict(m, lstm, tokens, false, 0);
            String plain = lstm.replace("\"dropout\": 0.2", "\"dropout\": 0.0").replace("\"recurrent_dropout\": 0.1", "\"recurrent_dropout\": 0.0");
            assertArrayEquals(predict(m, plain, tokens, false, 0), eval, 0f);
            assertArrayEquals(predict(m, plain, tokens, true, 5), eval, 0f);
            float[] train5 = predict(m, lstm, tokens, true, 5);
            assertArrayEquals(train5, predict(m, lstm, tokens, true, 5), 0f);
            assertFalse(java.util.Arrays.equals(train5, eval));
            assertFalse(java.util.Arrays.equals(train5, predict(m, lstm, tokens, true, 6)));
        }
    }
}
