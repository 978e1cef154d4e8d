package io.hopper.model.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.hopper.data.PackedBuffer;
import io.hopper.model.Network;
import io.hopper.model.keras.ArchSummary;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.CompileParams;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.Loss;
import io.hopper.model.params.Metric;
import io.hopper.model.params.OptimizerSpec;
import io.hopper.model.params.ParamParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

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
                compile(new OptimizerSpec.Sgd(0.01, 0, false, 0), Loss.CATEGORICAL_CROSSENTROPY), 4);
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

    private static final String KERAS_COMPILE = "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']";

    /** The Keras JSON test fixtures (copies of MADlib's architectures), by file name. */
    private static Map<String, String> kerasFixtures() throws IOException, URISyntaxException {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.list(Path.of(TrainableModelTest.class.getResource("/keras").toURI()))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static KerasNetwork keras(String json) {
        return new KerasNetwork(KerasArchitecture.parse(json));
    }

    /**
     * Random features in [0, 1) for every input of the network and random one-hot labels for every output; a dimension
     * the network leaves open (Keras's None, -1 here) gets {@link #OPEN_LENGTH}.
     */
    private static MultiBuffer randomBuffer(Network network, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<float[]> xs = new ArrayList<>();
        List<List<Integer>> xShapes = new ArrayList<>();
        for (Shape shape : network.inputShapes()) {
            List<Integer> dims = new ArrayList<>(List.of(rows));
            Arrays.stream(shape.getShape()).forEach(d -> dims.add(d < 0 ? OPEN_LENGTH : Math.toIntExact(d)));
            float[] x = new float[dims.stream().reduce(1, Math::multiplyExact)];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextFloat();
            }
            xs.add(x);
            xShapes.add(dims);
        }
        List<short[]> ys = new ArrayList<>();
        List<List<Integer>> yShapes = new ArrayList<>();
        for (Shape shape : network.outputShapes()) {
            int classes = Math.toIntExact(shape.get(0));
            short[] y = new short[rows * classes];
            for (int r = 0; r < rows; r++) {
                y[r * classes + random.nextInt(classes)] = 1;
            }
            ys.add(y);
            yShapes.add(List.of(rows, classes));
        }
        return new MultiBuffer(0, xs, xShapes, ys, yShapes);
    }

    private static final int OPEN_LENGTH = 12;

    /** The real Keras 3 documents of /keras/real (see provenance.txt there): file, Keras's three counts, call. */
    static List<Arguments> realKerasDocuments() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = TrainableModelTest.class.getResourceAsStream("/keras/real/counts.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.split("\\s+");
                    out.add(Arguments.of(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
                }
            }
        }
        return out;
    }

    private static String gunzipResource(String path) throws IOException {
        try (InputStream in = new GZIPInputStream(TrainableModelTest.class.getResourceAsStream(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * keras.applications ResNet50, DenseNet121, EfficientNetB0, MobileNetV2, MobileNetV3Small and user patterns, as
     * Keras 3.15 saves them: Keras's parameter counts, and one Adam step on a seeded random batch changes the weights.
     * ResNet50 and DenseNet121 crashed the JVM (SIGFPE in oneDNN's convolution blocking) on CPUs that report no cache
     * sizes until {@link io.hopper.model.runtime.TrainableModel} turned oneDNN convolutions off.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("realKerasDocuments")
    void realKerasDocumentsSummarizeWithKerasCountsAndTrainAStep(String file, long total, long trainable, long nonTrainable)
            throws Exception {
        KerasNetwork network = keras(gunzipResource("/keras/real/" + file));
        ArchSummary summary = network.architecture().summary();
        assertEquals(List.of(total, trainable, nonTrainable),
                List.of(summary.totalParams(), summary.trainableParams(), summary.nonTrainableParams()), file);
        boolean text = file.startsWith("text") || file.startsWith("transformer") || file.startsWith("shared");
        try (TrainableModel model = new TrainableModel(network, ParamParser.parseCompile(KERAS_COMPILE), 1)) {
            MultiBuffer data = randomBuffer(network, 2, 5);
            if (text) {
                data = tokens(data);
            }
            float[] before = network.flatKerasWeights();
            TrainResult r = model.trainPassMulti(List.of(data), fit(2, 1, true), 3);
            assertEquals(1, r.steps(), file);
            assertTrue(Double.isFinite(r.meanLoss()), file + ": " + r);
            float[] after = network.flatKerasWeights();
            int changed = 0;
            for (int i = 0; i < before.length; i++) {
                changed += before[i] != after[i] ? 1 : 0;
            }
            assertTrue(changed > 0, file + ": no weight changed");
        }
    }

    private static Map<String, float[]> weightsByName(KerasNetwork network) {
        Map<String, float[]> out = new HashMap<>();
        List<float[]> weights = network.kerasWeights();
        for (int i = 0; i < weights.size(); i++) {
            out.put(network.kerasWeightNames().get(i), weights.get(i));
        }
        return out;
    }

    @Test
    void everyKerasFixtureTrainsAStepAndRoundTripsItsStateBitExactly() throws Exception {
        Map<String, String> fixtures = kerasFixtures();
        assertEquals(7, fixtures.size(), fixtures.keySet().toString());
        CompileParams compile = ParamParser.parseCompile(KERAS_COMPILE);
        for (Map.Entry<String, String> fixture : fixtures.entrySet()) {
            String name = fixture.getKey();
            KerasNetwork network = keras(fixture.getValue());
            try (TrainableModel model = new TrainableModel(network, compile, 1)) {
                Map<String, float[]> before = weightsByName(network);
                TrainResult result = model.trainPassMulti(List.of(randomBuffer(network, 4, 2)), fit(4, 1, false), 3);
                assertTrue(Double.isFinite(result.meanLoss()), name + ": " + result);
                assertEquals(1, result.steps(), name);
                Map<String, float[]> after = weightsByName(network);
                for (String weight : network.kerasWeightNames()) {
                    assertFalse(Arrays.equals(before.get(weight), after.get(weight)), name + ": " + weight + " did not change");
                }
                byte[] state = model.exportState();
                try (TrainableModel fresh = new TrainableModel(keras(fixture.getValue()), compile, 99)) {
                    assertFalse(Arrays.equals(state, fresh.exportState()), name + ": another seed gives another state");
                    fresh.importState(state);
                    assertArrayEquals(state, fresh.exportState(), name);
                    assertEquals(1, fresh.iterations(), name);
                }
            }
        }
    }

    @Test
    void keras3VersionsOfTheMadlibArchitecturesTrainExactlyLikeTheirKeras2Originals() throws Exception {
        CompileParams compile = ParamParser.parseCompile(KERAS_COMPILE);
        int compared = 0;
        for (Map.Entry<String, String> original : kerasFixtures().entrySet()) {
            String name = original.getKey();
            String keras3 = new String(TrainableModelTest.class.getResourceAsStream("/keras/keras3/" + name.replace(".json", "_keras3.json"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            KerasNetwork a = keras(original.getValue());
            KerasNetwork b = keras(keras3);
            assertEquals(a.architecture().summary().totalParams(), b.architecture().summary().totalParams(), name);
            assertEquals(a.architecture().summary().trainableParams(), b.architecture().summary().trainableParams(), name);
            List<MultiBuffer> data = List.of(randomBuffer(a, 6, 5));
            try (TrainableModel ma = new TrainableModel(a, compile, 17); TrainableModel mb = new TrainableModel(b, compile, 17)) {
                TrainResult ra = ma.trainPassMulti(data, fit(3, 2, true), 23);
                TrainResult rb = mb.trainPassMulti(data, fit(3, 2, true), 23);
                assertEquals(ra.meanLoss(), rb.meanLoss(), 0.0, name);
                assertArrayEquals(a.flatKerasWeights(), b.flatKerasWeights(), name);
            }
            compared++;
        }
        assertEquals(7, compared);
    }

    private static String keras3Fixture(String name) throws IOException {
        return new String(TrainableModelTest.class.getResourceAsStream("/keras/keras3/" + name).readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void frozenLayersStayPutAndAModelWithNothingTrainableTrainsWithoutError() throws Exception {
        CompileParams compile = ParamParser.parseCompile(KERAS_COMPILE);
        String transfer = keras3Fixture("transfer_sequential_frozen_nested_base.json");
        KerasNetwork network = keras(transfer);
        try (TrainableModel model = new TrainableModel(network, compile, 1)) {
            Map<String, float[]> before = weightsByName(network);
            model.trainPassMulti(List.of(randomBuffer(network, 6, 2)), fit(3, 1, true), 3);
            Map<String, float[]> after = weightsByName(network);
            for (String w : network.kerasWeightNames()) {
                assertEquals(w.startsWith("base/"), Arrays.equals(before.get(w), after.get(w)), w);
            }
        }
        String allFrozen = transfer.replaceAll("(\"name\": \"head\",\\s*\"trainable\": )true", "$1false");
        KerasNetwork frozen = keras(allFrozen);
        assertEquals(0, frozen.architecture().summary().trainableParams());
        try (TrainableModel model = new TrainableModel(frozen, compile, 1)) {
            Map<String, float[]> before = weightsByName(frozen);
            TrainResult r = model.trainPassMulti(List.of(randomBuffer(frozen, 6, 2)), fit(3, 1, true), 3);
            assertTrue(Double.isFinite(r.meanLoss()));
            Map<String, float[]> after = weightsByName(frozen);
            frozen.kerasWeightNames().forEach(w -> assertArrayEquals(before.get(w), after.get(w), w));
        }
    }

    @Test
    void keras3DocumentsTrainAStep() throws Exception {
        CompileParams compile = ParamParser.parseCompile(KERAS_COMPILE);
        for (String name : List.of("mobilenet_se_block_functional.json", "shared_encoder_mha_two_outputs_functional.json",
                "text_bilstm_notequal_mask_functional.json", "text_lstm_mask_zero_functional.json")) {
            KerasNetwork network = keras(keras3Fixture(name));
            try (TrainableModel model = new TrainableModel(network, compile, 1)) {
                MultiBuffer data = randomBuffer(network, 4, 2);
                if (name.startsWith("text")) {
                    data = tokens(data);
                }
                float[] before = network.flatKerasWeights();
                TrainResult r = model.trainPassMulti(List.of(data), fit(2, 1, true), 3);
                assertTrue(Double.isFinite(r.meanLoss()), name);
                assertFalse(Arrays.equals(before, network.flatKerasWeights()), name);
            }
        }
    }

    /** The buffer with the features of every input turned into token ids 0..9 (0 pads). */
    private static MultiBuffer tokens(MultiBuffer b) {
        List<float[]> xv = new ArrayList<>();
        List<List<Integer>> xs = new ArrayList<>();
        for (int k = 0; k < b.inputs(); k++) {
            float[] x = b.x(k).clone();
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.floor(x[i] * 10);
            }
            xv.add(x);
            List<Integer> shape = new ArrayList<>(List.of(b.rows()));
            shape.addAll(b.sampleShape(k));
            xs.add(shape);
        }
        List<List<Integer>> ys = new ArrayList<>();
        List<short[]> yv = new ArrayList<>();
        for (int k = 0; k < b.outputs(); k++) {
            yv.add(b.y(k));
            ys.add(List.of(b.rows(), b.classes(k)));
        }
        return new MultiBuffer(b.bufferId(), xv, xs, yv, ys);
    }

    @Test
    void hoppingAKerasCnnWithBatchNormalizationAndDropoutIsBitExact() throws Exception {
        String json = kerasFixtures().get("05_madlibsite_cifar10_cnn_batchnorm_keras224.json");
        CompileParams compile = ParamParser.parseCompile(KERAS_COMPILE);
        FitParams fit = fit(3, 1, true);
        List<MultiBuffer> a = List.of(randomBuffer(keras(json), 6, 10));
        List<MultiBuffer> b = List.of(randomBuffer(keras(json), 5, 11));
        byte[] inOnePlace;
        byte[] afterA;
        try (TrainableModel model = new TrainableModel(keras(json), compile, 1)) {
            model.trainPassMulti(a, fit, 100);
            afterA = model.exportState();
            model.trainPassMulti(b, fit, 200);
            inOnePlace = model.exportState();
        }
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        try {
            byte[] hopped = elsewhere.submit(() -> {
                try (TrainableModel model = new TrainableModel(keras(json), compile, 7)) {
                    model.importState(afterA);
                    model.trainPassMulti(b, fit, 200);
                    return model.exportState();
                }
            }).get();
            assertArrayEquals(inOnePlace, hopped);
        } finally {
            elsewhere.shutdown();
        }
        try (TrainableModel model = new TrainableModel(keras(json), compile, 1)) {
            model.trainPassMulti(a, fit, 100);
            model.trainPassMulti(b, fit, 201);
            assertFalse(Arrays.equals(inOnePlace, model.exportState()), "another unit seed draws other dropout masks and another order");
        }
    }

    /**
     * Iris packed as the two-input, two-output model wants it: x_0 the features, x_1 them reversed, y_0 the species and
     * y_1 the species shifted by one class (so that mixing up the outputs' labels shows).
     */
    private static MultiBuffer twoInputIris(PackedBuffer iris) {
        float[] reversed = new float[iris.x().length];
        short[] shifted = new short[iris.y().length];
        for (int r = 0; r < iris.rows(); r++) {
            for (int c = 0; c < 4; c++) {
                reversed[r * 4 + c] = iris.x()[r * 4 + 3 - c];
            }
            shifted[r * 3 + (label(iris, r) + 1) % 3] = 1;
        }
        return new MultiBuffer(iris.bufferId(), List.of(iris.x(), reversed), List.of(iris.xShape(), iris.xShape()),
                List.of(iris.y(), shifted), List.of(iris.yShape(), iris.yShape()));
    }

    /** Keras's categorical cross-entropy of each output, computed here from the network's inference outputs. */
    private static double[] crossEntropies(TrainableModel model, MultiBuffer b) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList x = new NDList(manager.create(b.x(0), new Shape(b.rows(), 4)), manager.create(b.x(1), new Shape(b.rows(), 4)));
            NDList out = model.network().block().forward(new ParameterStore(manager, false), x, false);
            double[] loss = new double[2];
            for (int k = 0; k < 2; k++) {
                float[] p = out.get(k).toFloatArray();
                for (int r = 0; r < b.rows(); r++) {
                    int truth = b.y(k)[r * 3] == 1 ? 0 : b.y(k)[r * 3 + 1] == 1 ? 1 : 2;
                    loss[k] -= Math.log(p[r * 3 + truth]) / b.rows();
                }
            }
            return loss;
        }
    }

    @Test
    void aTwoInputTwoOutputModelSumsItsWeightedLossesAndReportsAMetricPerOutput() throws Exception {
        String json = kerasFixtures().get("03_madlib_iris_multi_input_concat_functional.json");
        List<MultiBuffer> data = Iris.buffers(100, 50).stream().map(TrainableModelTest::twoInputIris).toList();
        String adam = "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']";
        try (TrainableModel model = new TrainableModel(keras(json), ParamParser.parseCompile(adam + ", loss_weights=[2.0, 0.5]"), 1)) {
            EvalResult before = model.evaluateMulti(data);
            assertEquals(2, before.outputLosses().size());
            assertEquals(2.0 * before.outputLosses().get(0) + 0.5 * before.outputLosses().get(1), before.loss(), 1e-12);
            assertEquals((before.outputMetrics().get(0) + before.outputMetrics().get(1)) / 2, before.metric().getAsDouble(), 1e-12);
            model.trainPassMulti(data.subList(0, 1), fit(10, 30, true), 5);
            EvalResult after = model.evaluateMulti(data);
            assertTrue(after.outputLosses().get(0) < 0.5 * before.outputLosses().get(0), before + " -> " + after);
            assertTrue(after.outputLosses().get(1) < 0.5 * before.outputLosses().get(1), before + " -> " + after);
            assertTrue(after.outputMetrics().get(0) > 0.85 && after.outputMetrics().get(1) > 0.85, after.toString());
            assertEquals(EvalResult.combine(List.of(model.evaluateMulti(data.subList(0, 1)), model.evaluateMulti(data.subList(1, 2)))).outputLosses().get(1),
                    after.outputLosses().get(1), 1e-6);
            double[] expected = crossEntropies(model, data.get(1));
            EvalResult second = model.evaluateMulti(data.subList(1, 2));
            assertEquals(expected[0], second.outputLosses().get(0), 1e-5);
            assertEquals(expected[1], second.outputLosses().get(1), 1e-5);
        }
        // An output with loss weight 0 sends no gradient: the layers only it depends on keep their weights.
        List<String> firstOnly = List.of("dense/kernel", "dense_1/kernel", "dense_4/kernel");
        List<String> secondOnly = List.of("dense_5/kernel");
        assertOnlyTrained(json, adam + ", loss_weights=[1.0, 0.0]", data, firstOnly, secondOnly);
        assertOnlyTrained(json, adam + ", loss_weights=[0.0, 1.0]", data, secondOnly, firstOnly);
    }

    private static void assertOnlyTrained(String json, String compile, List<MultiBuffer> data, List<String> changed, List<String> kept) {
        KerasNetwork network = keras(json);
        try (TrainableModel model = new TrainableModel(network, ParamParser.parseCompile(compile), 1)) {
            Map<String, float[]> before = weightsByName(network);
            model.trainPassMulti(data, fit(16, 1, true), 5);
            Map<String, float[]> after = weightsByName(network);
            changed.forEach(w -> assertFalse(Arrays.equals(before.get(w), after.get(w)), compile + ": " + w));
            kept.forEach(w -> assertArrayEquals(before.get(w), after.get(w), compile + ": " + w));
        }
    }

    @Test
    void lossAsAListOrADictByOutputNameGivesEachOutputItsOwnLoss() throws Exception {
        String json = kerasFixtures().get("03_madlib_iris_multi_input_concat_functional.json");
        List<MultiBuffer> data = Iris.buffers(60).stream().map(TrainableModelTest::twoInputIris).toList();
        String adam = "optimizer='Adam(lr=0.01)', metrics=['accuracy']";
        EvalResult cce;
        EvalResult mse;
        EvalResult list;
        EvalResult dict;
        try (TrainableModel a = new TrainableModel(keras(json), ParamParser.parseCompile(adam + ", loss='categorical_crossentropy'"), 1);
             TrainableModel b = new TrainableModel(keras(json), ParamParser.parseCompile(adam + ", loss='mse'"), 1);
             TrainableModel c = new TrainableModel(keras(json), ParamParser.parseCompile(adam + ", loss=['categorical_crossentropy', 'mse'],"
                     + " loss_weights=[1.0, 3.0]"), 1);
             TrainableModel d = new TrainableModel(keras(json), ParamParser.parseCompile(adam + ", loss={'dense_5': 'mse', 'dense_4': "
                     + "'categorical_crossentropy'}, loss_weights={'dense_5': 3.0, 'dense_4': 1.0}"), 1)) {
            cce = a.evaluateMulti(data);
            mse = b.evaluateMulti(data);
            list = c.evaluateMulti(data);
            dict = d.evaluateMulti(data);
        }
        assertEquals(cce.outputLosses().get(0), list.outputLosses().get(0), 1e-12);
        assertEquals(mse.outputLosses().get(1), list.outputLosses().get(1), 1e-12);
        assertEquals(list.outputLosses().get(0) + 3 * list.outputLosses().get(1), list.loss(), 1e-9);
        assertEquals(list, dict);
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class, () -> new TrainableModel(keras(json),
                ParamParser.parseCompile(adam + ", loss=['mse', 'mse', 'mse']"), 1));
        assertEquals("compile_params: loss lists 3 losses but the model has 2 outputs [dense_4, dense_5]; give one loss per output", three.getMessage());
        IllegalArgumentException names = assertThrows(IllegalArgumentException.class, () -> new TrainableModel(keras(json),
                ParamParser.parseCompile(adam + ", loss={'dense_4': 'mse', 'out': 'mse'}"), 1));
        assertEquals("compile_params: loss names outputs [dense_4, out] but the model's outputs are [dense_4, dense_5]; name every output once",
                names.getMessage());
    }

    /** Iris's Dense(3, softmax) with the given regularizer entries in its config (none when empty). */
    private static String irisDense(String regularizers) {
        return "{\"class_name\": \"Sequential\", \"keras_version\": \"2.2.4\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"d\", \"units\": 3, \"activation\": \"softmax\","
                + " \"batch_input_shape\": [null, 4]" + regularizers + "}}]}}";
    }

    @Test
    void weightRegularizersAddKerasPenaltyToTheLossAndPullTheWeights() throws Exception {
        // Keras 2.0-2.3 write l2(0.01) as L1L2; tf.keras and Keras 3 write L1 and L2 (with module in Keras 3).
        String regularized = irisDense(", \"kernel_regularizer\": {\"class_name\": \"L1L2\", \"config\": {\"l1\": 0.0, \"l2\": 0.01}},"
                + " \"bias_regularizer\": {\"module\": \"keras.regularizers\", \"class_name\": \"L1\", \"config\": {\"l1\": 0.1},"
                + " \"registered_name\": null}");
        List<PackedBuffer> data = Iris.buffers(20);
        CompileParams sgd = ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='SGD(lr=0.1)'");
        KerasNetwork plainNet = keras(irisDense(""));
        KerasNetwork regNet = keras(regularized);
        try (TrainableModel plain = new TrainableModel(plainNet, sgd, 1); TrainableModel reg = new TrainableModel(regNet, sgd, 1)) {
            float[] kernel = plainNet.kerasWeights().get(0);
            assertArrayEquals(kernel, regNet.kerasWeights().get(0));
            double squares = 0;
            for (float k : kernel) {
                squares += (double) k * k;
            }
            // The bias starts at zero, so only the kernel's 0.01 * sum(k^2) is added; the per-output losses are the data's.
            EvalResult a = plain.evaluate(data);
            EvalResult b = reg.evaluate(data);
            assertEquals(a.loss() + 0.01 * squares, b.loss(), 1e-5);
            assertEquals(a.outputLosses(), b.outputLosses());
            List<PackedBuffer> first = List.of(data.get(0));
            assertEquals(plain.trainPass(first, fit(20, 1, false), 1).meanLoss() + 0.01 * squares,
                    reg.trainPass(first, fit(20, 1, false), 1).meanLoss(), 1e-5);
            // One SGD step from the same weights: the penalty's gradient 2 * 0.01 * k moves the kernel by -0.1 * 0.02 * k more.
            float[] plainAfter = plainNet.kerasWeights().get(0);
            float[] regAfter = regNet.kerasWeights().get(0);
            for (int i = 0; i < kernel.length; i++) {
                assertEquals(plainAfter[i] - 0.1 * 0.02 * kernel[i], regAfter[i], 1e-6, "kernel[" + i + "]");
            }
        }
    }

    @Test
    void weightConstraintsHoldAfterEveryUpdate() {
        // MaxNorm(0.05) on the kernel's columns and NonNeg on the bias, as Keras's optimizers apply them after each step.
        String constrained = irisDense(", \"kernel_constraint\": {\"class_name\": \"MaxNorm\", \"config\": {\"max_value\": 0.05, \"axis\": 0}},"
                + " \"bias_constraint\": {\"module\": \"keras.constraints\", \"class_name\": \"NonNeg\", \"config\": {}, \"registered_name\": null}");
        List<PackedBuffer> data = Iris.buffers(20, 20, 20);
        KerasNetwork network = keras(constrained);
        try (TrainableModel model = new TrainableModel(network, ParamParser.parseCompile("loss='categorical_crossentropy', optimizer='SGD(lr=1.0)'"), 1)) {
            model.trainPass(data, fit(20, 2, false), 1);
            float[] kernel = network.kerasWeights().get(0);
            for (int column = 0; column < 3; column++) {
                double squares = 0;
                for (int row = 0; row < 4; row++) {
                    squares += (double) kernel[row * 3 + column] * kernel[row * 3 + column];
                }
                assertTrue(Math.sqrt(squares) <= 0.05 + 1e-6, "column " + column + " norm " + Math.sqrt(squares));
            }
            float[] bias = network.kerasWeights().get(1);
            assertTrue(bias[0] >= 0 && bias[1] >= 0 && bias[2] >= 0, Arrays.toString(bias));
            assertTrue(bias[0] + bias[1] + bias[2] > 0, "the bias moved: " + Arrays.toString(bias));
        }
    }

    @Test
    void lossWeightsScaleASingleOutputLoss() {
        List<PackedBuffer> data = Iris.buffers(20);
        CompileParams plain = compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY);
        CompileParams doubled = new CompileParams(ADAM, Loss.CATEGORICAL_CROSSENTROPY, List.of(), List.of(2.0), List.of(), Optional.empty());
        try (TrainableModel one = new TrainableModel(TestNetworks.mlp(4, 5, 3), plain, 1);
             TrainableModel two = new TrainableModel(TestNetworks.mlp(4, 5, 3), doubled, 1)) {
            EvalResult a = one.evaluate(data);
            EvalResult b = two.evaluate(data);
            assertEquals(2 * a.loss(), b.loss(), 1e-12);
            assertEquals(a.outputLosses(), b.outputLosses());
            assertEquals(2 * one.trainPass(data, fit(20, 1, false), 1).meanLoss(), two.trainPass(data, fit(20, 1, false), 1).meanLoss(), 1e-6);
        }
    }

    @Test
    void multiOutputMisuseIsRejectedWithOneLine() throws Exception {
        String json = kerasFixtures().get("03_madlib_iris_multi_input_concat_functional.json");
        CompileParams three = ParamParser.parseCompile(KERAS_COMPILE + ", loss_weights=[1.0, 1.0, 1.0]");
        IllegalArgumentException weights = assertThrows(IllegalArgumentException.class, () -> new TrainableModel(keras(json), three, 1));
        assertTrue(weights.getMessage().startsWith("compile_params: loss_weights has 3 entries but the model has 2 outputs [dense_4, dense_5]"), weights.getMessage());
        try (TrainableModel model = new TrainableModel(keras(json), ParamParser.parseCompile(KERAS_COMPILE), 1)) {
            IllegalArgumentException packed = assertThrows(IllegalArgumentException.class, () -> model.trainPass(Iris.buffers(5), fit(5, 1, true), 1));
            assertTrue(packed.getMessage().startsWith("buffer 0: has 1 x and 1 y arrays but the network has 2 inputs and 2 outputs"), packed.getMessage());
            List<MultiBuffer> data = List.of(twoInputIris(Iris.buffers(6).get(0)));
            FitParams classWeight = new FitParams(3, 1, 0, true, Map.of(0, 1.0, 1, 1.0, 2, 1.0), 0, OptionalInt.empty(), Optional.empty());
            IllegalArgumentException cw = assertThrows(IllegalArgumentException.class, () -> model.trainPassMulti(data, classWeight, 1));
            assertTrue(cw.getMessage().startsWith("fit_params: class_weight") && cw.getMessage().contains("2 outputs"), cw.getMessage());
            MultiBuffer narrow = new MultiBuffer(4, List.of(new float[6], new float[8]), List.of(List.of(2, 3), List.of(2, 4)),
                    List.of(new short[6], new short[6]), List.of(List.of(2, 3), List.of(2, 3)));
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> model.evaluateMulti(List.of(narrow)));
            assertTrue(x.getMessage().startsWith("buffer 4: x_0 samples [3]"), x.getMessage());
            MultiBuffer classes = new MultiBuffer(4, List.of(new float[8], new float[8]), List.of(List.of(2, 4), List.of(2, 4)),
                    List.of(new short[6], new short[4]), List.of(List.of(2, 3), List.of(2, 2)));
            IllegalArgumentException y = assertThrows(IllegalArgumentException.class, () -> model.evaluateMulti(List.of(classes)));
            assertTrue(y.getMessage().startsWith("buffer 4: y_1 has 2 classes"), y.getMessage());
            assertEquals(0, model.iterations(), "rejected passes take no step");
        }
    }

    @Test
    void anInputDimensionKerasLeavesOpenAcceptsBuffersOfAnyLength() {
        String json = "{\"class_name\": \"Sequential\", \"keras_version\": \"2.2.4\", \"config\": {\"name\": \"s\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"in\", \"batch_input_shape\": [null, null, 3]}}, "
                + "{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {\"name\": \"pool\"}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 2, \"activation\": \"softmax\"}}]}}";
        try (TrainableModel model = new TrainableModel(keras(json), ParamParser.parseCompile(KERAS_COMPILE), 1)) {
            PackedBuffer five = new PackedBuffer(0, new float[4 * 5 * 3], List.of(4, 5, 3), new short[] {1, 0, 0, 1, 1, 0, 0, 1}, List.of(4, 2));
            PackedBuffer seven = new PackedBuffer(1, new float[2 * 7 * 3], List.of(2, 7, 3), new short[] {1, 0, 0, 1}, List.of(2, 2));
            assertEquals(6, model.trainPass(List.of(five, seven), fit(4, 1, false), 1).samples());
            PackedBuffer wide = new PackedBuffer(2, new float[2 * 5 * 4], List.of(2, 5, 4), new short[] {1, 0, 0, 1}, List.of(2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.evaluate(List.of(wide)));
            assertTrue(e.getMessage().startsWith("buffer 2: x_0 samples [5, 4] do not fit the network's input 0 (-1, 3)"), e.getMessage());
        }
    }

    @Test
    void replacingTheOptimizersSettingsKeepsItsMomentsAndTrainsAsAModelBuiltWithThem() {
        List<PackedBuffer> data = Iris.buffers(60, 60, 30);
        OptimizerSpec slower = new OptimizerSpec.Adam(0.003, 0.85, 0.999, 1e-7, false, 0);
        byte[] start = trained(TestNetworks.mlp(4, 10, 10, 3), 5, data.subList(0, 1), fit(16, 2, true), 21);
        byte[] built;
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 10, 10, 3), compile(slower, Loss.CATEGORICAL_CROSSENTROPY), 9)) {
            model.importState(start);
            model.trainPass(data.subList(1, 2), fit(16, 1, true), 22);
            built = model.exportState();
        }
        byte[] unchanged;
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 10, 10, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 9)) {
            model.importState(start);
            model.trainPass(data.subList(1, 2), fit(16, 1, true), 22);
            unchanged = model.exportState();
        }
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 10, 10, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 9)) {
            model.importState(start);
            long steps = model.iterations();
            model.replaceCompileParams(compile(slower, Loss.CATEGORICAL_CROSSENTROPY));
            assertArrayEquals(start, model.exportState(), "weights, moments and iterations kept bit for bit");
            assertEquals(steps, model.iterations());
            assertEquals(slower, model.compileParams().optimizer());
            model.trainPass(data.subList(1, 2), fit(16, 1, true), 22);
            assertArrayEquals(built, model.exportState(), "trains as a model built with the new settings");
        }
        assertFalse(Arrays.equals(built, unchanged), "the new learning rate and beta_1 changed the pass");
    }

    @Test
    void replacingTheLossOrTheOptimizersStateLayoutIsRefusedWithOneLine() {
        try (TrainableModel model = new TrainableModel(TestNetworks.mlp(4, 10, 10, 3), compile(ADAM, Loss.CATEGORICAL_CROSSENTROPY), 9)) {
            byte[] before = model.exportState();
            IllegalArgumentException loss = assertThrows(IllegalArgumentException.class,
                    () -> model.replaceCompileParams(compile(ADAM, Loss.MEAN_SQUARED_ERROR)));
            assertTrue(loss.getMessage().contains("only the optimizer's settings may change"), loss.getMessage());
            IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                    () -> model.replaceCompileParams(compile(OptimizerSpec.Sgd.defaults(), Loss.CATEGORICAL_CROSSENTROPY)));
            assertTrue(other.getMessage().startsWith("optimizer: cannot replace Adam("), other.getMessage());
            IllegalArgumentException ams = assertThrows(IllegalArgumentException.class, () -> model.replaceCompileParams(
                    compile(new OptimizerSpec.Adam(0.01, 0.9, 0.999, 1e-7, true, 0), Loss.CATEGORICAL_CROSSENTROPY)));
            assertTrue(ams.getMessage().contains("slots [m, v] and [m, v, vhat]"), ams.getMessage());
            for (IllegalArgumentException e : List.of(loss, other, ams)) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            assertEquals(ADAM, model.compileParams().optimizer());
            assertArrayEquals(before, model.exportState());
        }
        assertTrue(TrainableModel.sameStateLayout(new OptimizerSpec.Sgd(0.1, 0.5, false, 0), new OptimizerSpec.Sgd(0.2, 0.9, true, 0)));
        assertFalse(TrainableModel.sameStateLayout(new OptimizerSpec.Sgd(0.1, 0, false, 0), new OptimizerSpec.Sgd(0.1, 0.9, false, 0)));
    }

    @Test
    void shuffleBatchMovesWholeBatchesAndKeepsTheLastPartialOneLast() {
        int[] order = TrainableModel.batchPermutation(10, 3, new SplittableRandom(4));
        assertEquals(10, Arrays.stream(order).distinct().count());
        for (int b = 0; b < 3; b++) {
            assertEquals(0, order[3 * b] % 3);
            assertEquals(order[3 * b] + 1, order[3 * b + 1]);
            assertEquals(order[3 * b] + 2, order[3 * b + 2]);
        }
        assertEquals(9, order[9]);
    }
}
