package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.hopper.data.PackedBuffer;
import io.hopper.model.Network;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.Loss;
import io.hopper.model.params.Metric;
import io.hopper.model.params.OptimizerSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainableModelTest {
    private static final OptimizerSpec ADAM = new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-7, false, 0);

    static CompileParams compile(OptimizerSpec optimizer, Loss loss, Metric... metrics) {
        return new CompileParams(optimizer, loss, List.of(metrics), List.of(), List.of(), Optional.empty());
    }

    static FitParams fit(int batchSize, int epochs, boolean shuffle) {
        return new FitParams(batchSize, epochs, 0, shuffle, Map.of(), 0, OptionalInt.empty(), Optional.empty());
    }

    private static byte[] trained(Network network, long seed, List<PackedBuffer> data, FitParams fit, long unitSeed) {
        try (TrainableModel model = new TrainableModel(network, compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), seed)) {
            model.trainPass(data, fit, unitSeed);
            return model.exportState();
        }
    }

    @Test
    void softmaxWithCategoricalCrossentropyLearnsIris() {
        List<PackedBuffer> data = Iris.buffers(60, 60, 30);
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 10, 10, 3),
                compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY), 3)) {
            EvalResult before = model.evaluate(data);
            TrainResult first = model.trainPass(data.subList(0, 2), fit(16, 1, true), 11);
            TrainResult later = model.trainPass(data.subList(0, 2), fit(16, 40, true), 12);
            EvalResult after = model.evaluate(data);
            assertTrue(later.meanLoss() < first.meanLoss(), first + " -> " + later);
            assertTrue(after.loss() < 0.5 * before.loss(), before + " -> " + after);
            assertTrue(after.metric().getAsDouble() > 0.9, after.toString());
            assertEquals(150, after.samples());
        }
    }

    @Test
    void hoppingThroughExportAndImportEqualsTrainingInOnePlace() throws Exception {
        List<PackedBuffer> data = Iris.buffers(50, 37);
        FitParams fit = fit(8, 2, true);
        byte[] inOnePlace;
        try (TrainableModel model = new TrainableModel(TestNetworks.batchNormDropout(4, 8, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 1)) {
            model.trainPass(List.of(data.get(0)), fit, 100);
            model.trainPass(List.of(data.get(1)), fit, 200);
            inOnePlace = model.exportState();
        }
        byte[] afterA;
        try (TrainableModel model = new TrainableModel(TestNetworks.batchNormDropout(4, 8, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 1)) {
            model.trainPass(List.of(data.get(0)), fit, 100);
            afterA = model.exportState();
        }
        byte[] state = afterA;
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        byte[] hopped;
        try {
            hopped = elsewhere.submit(() -> {
                try (TrainableModel model = new TrainableModel(TestNetworks.batchNormDropout(4, 8, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 999)) {
                    model.importState(state);
                    assertEquals(2L * 7, model.iterations());
                    model.trainPass(List.of(data.get(1)), fit, 200);
                    return model.exportState();
                }
            }).get();
        } finally {
            elsewhere.shutdown();
        }
        assertArrayEquals(inOnePlace, hopped);

        byte[] freshOptimizer;
        try (TrainableModel fresh = new TrainableModel(TestNetworks.batchNormDropout(4, 8, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 999)) {
            fresh.importState(weightsOnly(afterA, fresh.exportState()));
            assertEquals(0, fresh.iterations());
            fresh.trainPass(List.of(data.get(1)), fit, 200);
            freshOptimizer = fresh.exportState();
        }
        assertFalse(sameWeights(inOnePlace, freshOptimizer), "dropping Adam's state must change the weights");
    }

    /** The weights (every non-optimizer entry) of {@code trained} with the optimizer state of {@code fresh}. */
    private static byte[] weightsOnly(byte[] trained, byte[] fresh) {
        List<StateFormat.Entry> entries = new ArrayList<>();
        StateFormat.read(trained).stream().filter(e -> !e.name().startsWith("Adam/")).forEach(entries::add);
        StateFormat.read(fresh).stream().filter(e -> e.name().startsWith("Adam/")).forEach(entries::add);
        return StateFormat.write(entries);
    }

    private static boolean sameWeights(byte[] a, byte[] b) {
        List<StateFormat.Entry> x = StateFormat.read(a).stream().filter(e -> !e.name().startsWith("Adam/")).toList();
        List<StateFormat.Entry> y = StateFormat.read(b).stream().filter(e -> !e.name().startsWith("Adam/")).toList();
        return x.equals(y);
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        List<PackedBuffer> data = Iris.buffers(40);
        byte[] a = trained(TestNetworks.batchNormDropout(4, 8, 3), 5, data, fit(8, 1, true), 1);
        byte[] b = trained(TestNetworks.batchNormDropout(4, 8, 3), 5, data, fit(8, 1, true), 1);
        byte[] c = trained(TestNetworks.batchNormDropout(4, 8, 3), 6, data, fit(8, 1, true), 1);
        byte[] d = trained(TestNetworks.batchNormDropout(4, 8, 3), 5, data, fit(8, 1, true), 2);
        assertArrayEquals(a, b);
        assertFalse(sameWeights(a, c));
        assertFalse(sameWeights(a, d), "the unit seed drives shuffling and dropout");
    }

    @Test
    void withoutShuffleTheUnitSeedDoesNotChangeTheOrder() {
        List<PackedBuffer> data = Iris.buffers(40, 20);
        Network[] nets = {TestNetworks.mlp(4, 6, 3), TestNetworks.mlp(4, 6, 3), TestNetworks.mlp(4, 6, 3), TestNetworks.mlp(4, 6, 3)};
        assertArrayEquals(trained(nets[0], 5, data, fit(8, 2, false), 1), trained(nets[1], 5, data, fit(8, 2, false), 2));
        assertFalse(sameWeights(trained(nets[2], 5, data, fit(8, 2, true), 1), trained(nets[3], 5, data, fit(8, 2, true), 2)));
    }

    @Test
    void stepsFollowBatchSizeAndEpochs() {
        List<PackedBuffer> data = Iris.buffers(10, 7);
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 3), compile(ADAM, Loss.MEAN_SQUARED_ERROR), 1)) {
            TrainResult result = model.trainPass(data, fit(4, 3, true), 9);
            assertEquals((3 + 2) * 3, result.steps());
            assertEquals(17 * 3, result.samples());
            assertEquals(15, model.iterations());
            int arrays = model.managedArrays();
            model.trainPass(data, fit(4, 1, true), 10);
            model.evaluate(data);
            model.importState(model.exportState());
            assertEquals(arrays, model.managedArrays(), "steps, evaluation and state copies must free their temporaries");
            assertEquals(17, model.trainPass(data, fit(1, 1, false), 9).steps());
            assertEquals(15 + 5 + 17, model.iterations());
            FitParams resumed = new FitParams(4, 3, 0, true, Map.of(), 2, OptionalInt.empty(), Optional.empty());
            assertEquals(5, model.trainPass(data, resumed, 9).steps(), "Keras runs epochs - initial_epoch epochs");
        }
    }

    @Test
    void evaluateIsTheMeanOverEverySampleOfEveryBuffer() {
        List<PackedBuffer> data = Iris.buffers(5, 11);
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 6, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY), 4);
             NDManager manager = NDManager.newBaseManager()) {
            model.trainPass(data, fit(4, 1, true), 3);
            double loss = 0;
            double correct = 0;
            for (PackedBuffer b : data) {
                float[] p = predictions(model, b, manager);
                for (int r = 0; r < b.rows(); r++) {
                    int truth = label(b, r);
                    loss -= Math.log(p[r * 3 + truth]);
                    int best = 0;
                    for (int c = 1; c < 3; c++) {
                        best = p[r * 3 + c] > p[r * 3 + best] ? c : best;
                    }
                    correct += best == truth ? 1 : 0;
                }
            }
            EvalResult all = model.evaluate(data);
            assertEquals(16, all.samples());
            assertEquals(loss / 16, all.loss(), 1e-5);
            assertEquals(correct / 16, all.metric().getAsDouble(), 1e-9);
            EvalResult combined = EvalResult.combine(List.of(model.evaluate(data.subList(0, 1)), model.evaluate(data.subList(1, 2))));
            assertEquals(all.loss(), combined.loss(), 1e-6);
            assertEquals(all.metric().getAsDouble(), combined.metric().getAsDouble(), 1e-9);
        }
    }

    /** The model's inference-mode outputs on an iris buffer. */
    private static float[] predictions(TrainableModel model, PackedBuffer b, NDManager manager) {
        NDArray x = manager.create(b.x(), new Shape(b.rows(), 4));
        return model.network().block().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }

    private static int label(PackedBuffer b, int row) {
        return b.y()[row * 3] == 1 ? 0 : b.y()[row * 3 + 1] == 1 ? 1 : 2;
    }

    @Test
    void classWeightsWeightEachSampleLossLikeKeras() {
        PackedBuffer data = Iris.buffers(24).get(0);
        Map<Integer, Double> classWeight = Map.of(0, 2.0, 1, 0.0, 2, 1.0);
        FitParams weighted = new FitParams(24, 1, 0, false, classWeight, 0, OptionalInt.empty(), Optional.empty());
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 6, 3),
                compile(new OptimizerSpec.Sgd(0.0, 0, false, 0), Loss.CATEGORICAL_CROSSENTROPY), 4);
             NDManager manager = NDManager.newBaseManager()) {
            float[] p = predictions(model, data, manager);
            double weightedSum = 0;
            int nonZero = 0;
            for (int r = 0; r < 24; r++) {
                double w = classWeight.get(label(data, r));
                weightedSum += w * -Math.log(p[r * 3 + label(data, r)]);
                nonZero += w != 0 ? 1 : 0;
            }
            assertEquals(weightedSum / 24 / (nonZero / 24.0), model.trainPass(List.of(data), weighted, 1).meanLoss(), 1e-5);

            FitParams missing = new FitParams(8, 1, 0, true, Map.of(0, 1.0, 2, 1.0), 0, OptionalInt.empty(), Optional.empty());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.trainPass(List.of(data), missing, 1));
            assertTrue(e.getMessage().startsWith("fit_params: class_weight") && e.getMessage().contains("class 1"), e.getMessage());
            FitParams outOfRange = new FitParams(8, 1, 0, true, Map.of(0, 1.0, 1, 1.0, 2, 1.0, 3, 1.0), 0, OptionalInt.empty(), Optional.empty());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> model.trainPass(List.of(data), outOfRange, 1)).getMessage().contains("class 3"));
            FitParams steps = new FitParams(8, 1, 0, true, Map.of(), 0, OptionalInt.of(2), Optional.empty());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> model.trainPass(List.of(data), steps, 1)).getMessage().contains("steps_per_epoch"));
            assertEquals(1, model.iterations(), "rejected passes take no step");
        }
    }

    @Test
    void fourModelsTrainingInFourThreadsMatchTrainingOneAfterAnother() throws Exception {
        List<PackedBuffer> data = Iris.buffers(64, 40);
        List<byte[]> sequential = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            sequential.add(trainedMixed(k, data));
        }
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> parallel = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int id = k;
                parallel.add(pool.submit(() -> {
                    start.await();
                    return trainedMixed(id, data);
                }));
            }
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(sequential.get(k), parallel.get(k).get(), "model " + k);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static byte[] trainedMixed(int k, List<PackedBuffer> data) {
        Network network = k % 2 == 0 ? TestNetworks.batchNormDropout(4, 16, 3) : TestNetworks.mlp(4, 12, 3);
        try (TrainableModel model = new TrainableModel(network, compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY), 10 + k)) {
            model.trainPass(data, fit(4, 5, true), 20 + k);
            model.evaluate(data);
            return model.exportState();
        }
    }

    @Test
    void convolutionalNetworksTrainAndHop() {
        float[] x = new float[24 * 36];
        short[] y = new short[24 * 2];
        for (int r = 0; r < 24; r++) {
            int label = r % 2;
            y[r * 2 + label] = 1;
            for (int i = 0; i < 36; i++) {
                x[r * 36 + i] = label == 0 ? (i % 6 < 3 ? 1 : 0) : (i / 6 < 3 ? 1 : 0);
            }
        }
        PackedBuffer a = new PackedBuffer(0, x, List.of(24, 6, 6, 1), y, List.of(24, 2));
        byte[] once;
        try (TrainableModel model = new TrainableModel(TestNetworks.cnn(2), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY), 2)) {
            EvalResult before = model.evaluate(List.of(a));
            model.trainPass(List.of(a, a), fit(6, 5, true), 3);
            assertTrue(model.evaluate(List.of(a)).loss() < before.loss());
            once = model.exportState();
        }
        try (TrainableModel model = new TrainableModel(TestNetworks.cnn(2), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY, Metric.ACCURACY), 8)) {
            model.importState(once);
            assertArrayEquals(once, model.exportState());
        }
    }

    @Test
    void aStateOfAnotherArchitectureOrOptimizerIsRejectedNamingTheEntry() {
        byte[] state = trained(TestNetworks.mlp(4, 10, 3), 1, Iris.buffers(10), fit(5, 1, true), 1);
        try (TrainableModel narrower = new TrainableModel(TestNetworks.mlp(4, 8, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 1);
             TrainableModel deeper = new TrainableModel(TestNetworks.mlp(4, 10, 3, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 1);
             TrainableModel sgd = new TrainableModel(TestNetworks.mlp(4, 10, 3),
                     compile(new OptimizerSpec.Sgd(0.1, 0.9, false, 0), Loss.CATEGORICAL_CROSSENTROPY), 1)) {
            byte[] before = narrower.exportState();
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> narrower.importState(state));
            assertTrue(shape.getMessage().contains("'01Linear_weight'") && !shape.getMessage().contains("\n"), shape.getMessage());
            assertArrayEquals(before, narrower.exportState(), "a rejected state changes nothing");
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> deeper.importState(state));
            assertTrue(missing.getMessage().contains("'05Linear_weight'") && missing.getMessage().contains("missing"), missing.getMessage());
            IllegalArgumentException optimizer = assertThrows(IllegalArgumentException.class, () -> sgd.importState(state));
            assertTrue(optimizer.getMessage().contains("'SGD/iterations'"), optimizer.getMessage());
        }
    }

    @Test
    void badInputsAreRejectedWithOneLine() {
        Network shared = TestNetworks.mlp(4, 3);
        try (TrainableModel model = new TrainableModel(shared, compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 1)) {
            IllegalArgumentException reuse = assertThrows(IllegalArgumentException.class,
                    () -> new TrainableModel(shared, compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 1));
            assertTrue(reuse.getMessage().startsWith("network:"), reuse.getMessage());
            PackedBuffer wrong = new PackedBuffer(7, new float[10], List.of(2, 5), new short[6], List.of(2, 3));
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> model.trainPass(List.of(wrong), fit(2, 1, true), 1));
            assertTrue(shape.getMessage().startsWith("buffer 7:"), shape.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.evaluate(List.of(wrong)));
            IllegalArgumentException junk = assertThrows(IllegalArgumentException.class, () -> model.importState(new byte[] {1, 2, 3}));
            assertTrue(junk.getMessage().startsWith("model state:"), junk.getMessage());
        }
    }
}
