package io.hopper.fit;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.fit.FitSpec.Schedule;
import io.hopper.data.PackedBuffer;
import io.hopper.data.PackedTables;
import io.hopper.engine.UnitSeeds;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitFault;
import io.hopper.engine.UnitTask;
import io.hopper.engine.local.LocalEngine;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.FitParams;
import io.hopper.model.params.ParamParser;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.Configurations;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.ScheduleInvariants;
import io.hopper.mop.Unit;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitMultipleModelTest {
    /** Parameters of MADlib's iris MLP: 4*10+10 + 10*10+10 + 10*3+3. */
    private static final int MLP_PARAMS = 193;

    @TempDir
    Path dir;

    static Stream<Arguments> engineSettings() {
        return Stream.of(Arguments.of(false, Schedule.ASYNC), Arguments.of(true, Schedule.ASYNC),
                Arguments.of(false, Schedule.ROTATION), Arguments.of(true, Schedule.ROTATION));
    }

    private FitFixture irisWithArch() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 3);
        return f;
    }

    private FitResult fit(FitFixture f, FitSpec spec) {
        return new FitMultipleModel(f.store, spec, ProgressListener.NONE).run();
    }

    /** Checks the tables of a finished fit: row counts, array lengths, metrics_iters and the schedule invariants. */
    private void checkOutputs(FitFixture f, String out, int configs, int iterations, List<Integer> metricsIters, boolean validation,
                              int classes) {
        int weightsBytes = 4 * (MLP_PARAMS + (classes - 3) * 11);
        List<Row> model = f.store.readAll(out);
        assertEquals(configs, model.size());
        for (Row r : model) {
            assertEquals(weightsBytes, ((byte[]) r.get(1)).length);
        }
        List<Row> info = f.store.readAll(OutputTables.info(out));
        assertEquals(configs, info.size());
        Schema is = OutputTables.INFO;
        for (Row r : info) {
            assertEquals("ok", r.get(is.indexOf("status")));
            assertEquals(OutputTables.MODEL_TYPE, r.get(is.indexOf("model_type")));
            assertEquals(weightsBytes / 1024.0, (Double) r.get(is.indexOf("model_size")));
            assertEquals(List.of("accuracy"), r.get(is.indexOf("metrics_type")));
            assertEquals("categorical_crossentropy", r.get(is.indexOf("loss_type")));
            for (String c : List.of("metrics_elapsed_time", "training_loss", "training_metrics")) {
                assertEquals(metricsIters.size(), ((List<?>) r.get(is.indexOf(c))).size(), c);
            }
            for (String c : List.of("validation_loss", "validation_metrics")) {
                Object v = r.get(is.indexOf(c));
                if (validation) {
                    assertEquals(metricsIters.size(), ((List<?>) v).size(), c);
                } else {
                    assertNull(v, c);
                }
            }
            double loss = (Double) r.get(is.indexOf("training_loss_final"));
            assertTrue(Double.isFinite(loss) && loss > 0, "training loss " + loss);
            double accuracy = (Double) r.get(is.indexOf("training_metrics_final"));
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        }
        Row summary = f.store.readAll(OutputTables.summary(out)).get(0);
        Schema ss = OutputTables.SUMMARY;
        assertEquals(metricsIters, summary.get(ss.indexOf("metrics_iters")));
        assertEquals(iterations, summary.get(ss.indexOf("num_iterations")));
        assertEquals(classes, summary.get(ss.indexOf("num_classes")));
        List<ExecutedUnit> train = f.schedule(out, "train");
        assertEquals(configs * 3 * iterations, train.size());
        Configurations keys = new Configurations(model.stream().map(r -> (Integer) r.get(0)).toList());
        ScheduleInvariants.check(train, keys, 3);
        assertEquals(configs * 3 * metricsIters.size() * (validation ? 2 : 1), f.schedule(out, "eval").size());
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void threeAdamConfigurationsSixIterationsWithValidation(boolean caching, Schedule schedule) {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001", "0.0001"), List.of("batch_size=50, epochs=1"));
        FitResult result = fit(f, FitFixture.spec("iris", "out", "mst", 6).optValidationTable("iris_v").optMetricsComputeFrequency(2)
                .optUseCaching(caching).optSchedule(schedule).build());
        assertEquals(List.of(2, 4, 6), result.metricsIters());
        checkOutputs(f, "out", 3, 6, List.of(2, 4, 6), true, 3);
        // lr 0.001 is mst_key 2: its training and validation losses fall.
        Map<Integer, Object> training = f.byKey("out_info", "training_loss");
        Map<Integer, Object> validation = f.byKey("out_info", "validation_loss");
        for (Map<Integer, Object> losses : List.of(training, validation)) {
            @SuppressWarnings("unchecked")
            List<Double> l = (List<Double>) losses.get(2);
            assertTrue(l.get(2) < l.get(0), "loss with lr 0.001 should fall: " + l);
        }
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void oneConfigurationMetricsEveryIteration(boolean caching, Schedule schedule) {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris", "out", "mst", 3).optMetricsComputeFrequency(1).optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 1, 3, List.of(1, 2, 3), false, 3);
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void fourConfigurationsMoreThanPartitions(boolean caching, Schedule schedule) {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1", "batch_size=32, epochs=1"));
        fit(f, FitFixture.spec("iris", "out", "mst", 3).optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 4, 3, List.of(3), false, 3);
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void oneHotLabels(boolean caching, Schedule schedule) throws IOException {
        FitFixture f = new FitFixture(dir).irisOneHot("iris_oh");
        f.arch("arch", 3);
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris_oh", "out", "mst", 2).optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 2, 2, List.of(2), false, 3);
        assertNull(f.store.readAll("out_summary").get(0).get(OutputTables.SUMMARY.indexOf("class_values")));
    }

    @ParameterizedTest(name = "caching={0} schedule={1}")
    @MethodSource("engineSettings")
    void aClassValueWithNoSamples(boolean caching, Schedule schedule) {
        FitFixture f = new FitFixture(dir).iris("iris4", 4);
        f.arch("arch", 4);
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris4", "out", "mst", 2).optValidationTable("iris4_v").optUseCaching(caching).optSchedule(schedule).build());
        checkOutputs(f, "out", 1, 2, List.of(2), true, 4);
    }

    @Test
    void rotationWithAFixedSeedGivesIdenticalOutputs() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris", "a", "mst", 2).optSchedule(Schedule.ROTATION).optMetricsComputeFrequency(1).build());
        fit(f, FitFixture.spec("iris", "b", "mst", 2).optSchedule(Schedule.ROTATION).optMetricsComputeFrequency(1).build());
        assertSameModels(f, "a", "b");
        assertEquals(f.byKey("a_info", "training_loss"), f.byKey("b_info", "training_loss"));
        fit(f, FitFixture.spec("iris", "c", "mst", 2).optSchedule(Schedule.ROTATION).optSeed(12).build());
        assertFalse(Arrays.equals((byte[]) f.byKey("a", "model_state").get(1), (byte[]) f.byKey("c", "model_state").get(1)),
                "another seed gives other weights");
    }

    @Test
    void aLoopListenerHearsEveryUnitAndIterationAndMayReplaceAStateBetweenUnits() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        List<Integer> iterations = new ArrayList<>();
        int[] units = {0};
        LoopListener hooks = new LoopListener() {
            @Override
            public void unitFinished(ScheduleRow unit, ConfigState config) {
                units[0]++;
                assertEquals(unit.mstKey(), config.key());
            }

            @Override
            public void iterationEnded(int iteration, List<ConfigState> configs) {
                iterations.add(iteration);
                if (iteration == 2) {
                    configs.get(1).replace(configs.get(0).state(), configs.get(0).model());
                }
            }
        };
        new FitMultipleModel(f.store, FitFixture.spec("iris", "out", "mst", 2).optSchedule(Schedule.ROTATION).build(),
                ProgressListener.NONE).listening(hooks).run();
        assertEquals(List.of(1, 2), iterations);
        assertEquals(f.store.readAll("out_schedule").size(), units[0], "one call per unit that ran");
        assertArrayEquals((byte[]) f.byKey("out", "model_state").get(1), (byte[]) f.byKey("out", "model_state").get(2),
                "the replaced state is what the run recorded");
    }

    private static void assertSameModels(FitFixture f, String a, String b) {
        for (String column : List.of("model_weights", "model_state")) {
            Map<Integer, Object> x = f.byKey(a, column);
            Map<Integer, Object> y = f.byKey(b, column);
            assertEquals(x.keySet(), y.keySet());
            x.forEach((k, v) -> assertArrayEquals((byte[]) v, (byte[]) y.get(k), column + " of mst " + k));
        }
    }

    @Test
    void cachingChangesSpeedNotResults() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001", "0.0001"), List.of("batch_size=16, epochs=1"));
        FitResult cached = fit(f, FitFixture.spec("iris", "a", "mst", 3).optValidationTable("iris_v").optSchedule(Schedule.ROTATION)
                .optUseCaching(true).build());
        FitResult uncached = fit(f, FitFixture.spec("iris", "b", "mst", 3).optValidationTable("iris_v").optSchedule(Schedule.ROTATION)
                .optUseCaching(false).build());
        assertSameModels(f, "a", "b");
        assertEquals(f.byKey("a_info", "validation_loss"), f.byKey("b_info", "validation_loss"));
        // With caching each worker reads each of its partitions once per table; without, once per unit.
        assertEquals(3 + 3, cached.storeReads());
        long trainUnits = 3 * 3 * 3;
        long evalUnits = 3 * 3 * 2;
        assertEquals(trainUnits + evalUnits, uncached.storeReads());
        assertTrue(cached.memory().cacheBytes() > 0);
        assertEquals(0, uncached.memory().cacheBytes());
    }

    @Test
    void resultsDoNotDependOnTheNumberOfWorkers() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris", "a", "mst", 2).optSchedule(Schedule.ROTATION).optWorkers(1).build());
        fit(f, FitFixture.spec("iris", "b", "mst", 2).optSchedule(Schedule.ROTATION).optWorkers(3).build());
        assertSameModels(f, "a", "b");
    }

    @Test
    void hoppingEqualsTrainingInOnePlaceInTheSameVisitOrder() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.001"), List.of("batch_size=16, epochs=1"));
        long seed = 11;
        fit(f, FitFixture.spec("iris", "out", "mst", 3).optSeed(seed).optWorkers(2).build());
        List<ExecutedUnit> visits = new ArrayList<>(f.schedule("out", "train"));
        visits.sort(Comparator.comparingDouble(ExecutedUnit::start));
        String json = FitFixture.archJson(3);
        FitParams fitParams = ParamParser.parseFit("batch_size=16, epochs=1");
        KerasNetwork network = new KerasNetwork(KerasArchitecture.parse(json));
        try (TrainableModel model = new TrainableModel(network, ParamParser.parseCompile(String.format(FitFixture.ADAM, "0.001")),
                UnitSeeds.init(seed, 1))) {
            for (ExecutedUnit v : visits) {
                List<PackedBuffer> buffers = PackedTables.readPartition(f.store, "iris", v.unit().partition());
                model.trainPass(buffers, fitParams, UnitSeeds.unit(seed, 1, v.unit().iteration(), v.unit().partition()));
            }
            assertArrayEquals(model.exportState(), (byte[]) f.byKey("out", "model_state").get(1));
        }
    }

    @Test
    void warmStartContinuesKnownKeysAndStartsNewKeysFresh() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "m1", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        f.mst("arch", 1, "m2", List.of("0.01", "0.001", "0.0001"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris", "out", "m1", 2).build());
        assertThrows(IllegalArgumentException.class, () -> fit(f, FitFixture.spec("iris", "out", "m2", 1).build()));
        fit(f, FitFixture.spec("iris", "out", "m2", 1).optWarmStart(true).build());
        Map<Integer, Object> states = f.byKey("out", "model_state");
        assertEquals(3, states.size());
        long[] steps = new long[4];
        String json = FitFixture.archJson(3);
        for (int k = 1; k <= 3; k++) {
            String lr = List.of("0.01", "0.001", "0.0001").get(k - 1);
            try (TrainableModel model = new TrainableModel(new KerasNetwork(KerasArchitecture.parse(json)),
                    ParamParser.parseCompile(String.format(FitFixture.ADAM, lr)), 0)) {
                model.importState((byte[]) states.get(k));
                steps[k] = model.iterations();
            }
        }
        // Keys 1 and 2 trained 2 + 1 iterations, the new key 3 one iteration from scratch.
        assertTrue(steps[3] > 0);
        assertEquals(3 * steps[3], steps[1]);
        assertEquals(3 * steps[3], steps[2]);
        assertEquals(Boolean.TRUE, f.store.readAll("out_summary").get(0).get(OutputTables.SUMMARY.indexOf("warm_start")));
        assertEquals(3 * 3, f.schedule("out", "train").size());
    }

    @Test
    void aDivergedConfigurationStopsAndTheOthersGoOn() {
        FitFixture f = irisWithArch();
        f.mstFromCompile(List.of("loss='categorical_crossentropy', optimizer='SGD(lr=1e30)', metrics=['accuracy']",
                String.format(FitFixture.ADAM, "0.01")));
        FitResult r = fit(f, FitFixture.spec("iris", "out", "mst", 3).optMetricsComputeFrequency(1).optSchedule(Schedule.ROTATION).build());
        Map<Integer, Object> status = f.byKey("out_info", "status");
        assertTrue(((String) status.get(1)).startsWith("diverged at iteration "), status.toString());
        assertEquals("ok", status.get(2));
        assertEquals("ok", r.models().get(1).status());
        int at = Integer.parseInt(((String) status.get(1)).substring("diverged at iteration ".length()));
        long trainedAfter = f.schedule("out", "train").stream().filter(u -> u.unit().mstKey() == 1 && u.unit().iteration() > at).count();
        assertEquals(0, trainedAfter);
        assertEquals(3 * 3, f.schedule("out", "train").stream().filter(u -> u.unit().mstKey() == 2).count());
        @SuppressWarnings("unchecked")
        List<Double> loss = (List<Double>) f.byKey("out_info", "training_loss").get(1);
        assertEquals(3, loss.size());
    }

    @Test
    void earlyStoppingStopsAConfigurationAndItsWorkersGoToTheOthers() {
        FitFixture f = irisWithArch();
        // min_delta=100: nothing after the first computation counts as an improvement, so with patience 1 it stops at iteration 2
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1, callbacks=[EarlyStopping(monitor='loss', patience=1,"
                + " min_delta=100)]", "batch_size=16, epochs=1"));
        FitResult r = fit(f, FitFixture.spec("iris", "out", "mst", 4).optMetricsComputeFrequency(1).build());
        Map<Integer, Object> status = f.byKey("out_info", "status");
        assertEquals("stopped early at iteration 2", status.get(1));
        assertEquals("ok", status.get(2));
        assertEquals("stopped early at iteration 2", r.models().get(0).status());
        assertEquals(0, f.schedule("out", "train").stream().filter(u -> u.unit().mstKey() == 1 && u.unit().iteration() > 2).count());
        assertEquals(4 * 3, f.schedule("out", "train").stream().filter(u -> u.unit().mstKey() == 2).count());
        @SuppressWarnings("unchecked")
        List<Double> loss = (List<Double>) f.byKey("out_info", "training_loss").get(1);
        assertEquals(2, loss.size());
        assertTrue(loss.stream().allMatch(Double::isFinite), loss.toString());

        f.mst("arch", 1, "mst_val", List.of("0.01"), List.of("callbacks=[EarlyStopping(monitor='val_loss')]"));
        assertTrue(refused(f, FitFixture.spec("iris", "out2", "mst_val", 2).build()).contains("no validation table"));
        f.mst("arch", 1, "mst_precision", List.of("0.01"), List.of("callbacks=[EarlyStopping(monitor='precision')]"));
        assertTrue(refused(f, FitFixture.spec("iris", "out2", "mst_precision", 2).build()).contains("does not compute"));
    }

    /** Runs the fit and returns the message of the IllegalArgumentException it must throw, checking nothing was written. */
    private String refused(FitFixture f, FitSpec spec) {
        List<String> before = f.store.listTables();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(f, spec));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(before, f.store.listTables(), "a refused fit writes nothing");
        return e.getMessage();
    }

    @Test
    void refusesBadTables() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        assertTrue(refused(f, FitFixture.spec("nope", "out", "mst", 1).build()).startsWith("source_table 'nope' does not exist"));
        f.store.write("raw", Schema.of("a", ColumnType.INT), List.of(Row.of(1)));
        assertTrue(refused(f, FitFixture.spec("raw", "out", "mst", 1).build()).startsWith("source_table 'raw' is not a packed table"));
        f.store.write("empty", PackedTables.SCHEMA, List.of());
        f.store.write("empty_summary", PackedTables.SUMMARY_SCHEMA, f.store.readAll("iris_summary"));
        assertTrue(refused(f, FitFixture.spec("empty", "out", "mst", 1).build()).startsWith("source_table 'empty' is empty"));
        assertTrue(refused(f, FitFixture.spec("iris_v", "out", "mst", 1).build()).startsWith("source_table 'iris_v' is a validation table"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "nomst", 1).build()).contains("'nomst' does not exist"));
        f.store.write("mst0", ModelSelectionTable.SCHEMA, List.of());
        f.store.write("mst0_summary", ModelSelectionTable.SUMMARY_SCHEMA, List.of(Row.of("arch")));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst0", 1).build()).startsWith("model_selection_table 'mst0' is empty"));
        f.store.write("mst9", ModelSelectionTable.SCHEMA, List.of(Row.of(1, 9, String.format(FitFixture.ADAM, "0.1"),
                "batch_size=16, epochs=1")));
        f.store.write("mst9_summary", ModelSelectionTable.SUMMARY_SCHEMA, List.of(Row.of("arch")));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst9", 1).build())
                .startsWith("model_selection_table 'mst9' refers to model_id [9]"));
    }

    @Test
    void refusesAValidationTableOfAnotherTrainingTable() {
        FitFixture f = irisWithArch();
        f.iris("other", null);
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst", 1).optValidationTable("other_v").build())
                .startsWith("validation_table 'other_v' was not packed for source_table 'iris' (it validates 'other')"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst", 1).optValidationTable("other").build())
                .contains("it is a training table"));
    }

    @Test
    void refusesAnExistingOutputTableWithoutWarmStartAndAMissingOneWithIt() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst", 1).optWarmStart(true).build())
                .startsWith("--warm-start: model_output_table 'out' does not exist"));
        f.store.write("out_schedule", Schema.of("a", ColumnType.INT), List.of());
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst", 1).build()).startsWith("Output table 'out_schedule' already exists"));
    }

    @Test
    void refusesArchitecturesThatDoNotFitTheData() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        f.arch("arch", 4);
        ModelArchTable.load(f.store, "arch", FitFixture.archJson(3).replace("[null, 4]", "[null, 5]"), null, null, null);
        ModelSelectionTable.load(f.store, "arch", "wide", List.of(1), List.of(String.format(FitFixture.ADAM, "0.1")),
                List.of("batch_size=16"));
        ModelSelectionTable.load(f.store, "arch", "deep", List.of(2), List.of(String.format(FitFixture.ADAM, "0.1")),
                List.of("batch_size=16"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "wide", 1).build()).startsWith("model_id 1: the architecture's output shape"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "deep", 1).build()).startsWith("model_id 2: the architecture's input shape"));
    }

    @Test
    void anArchitectureWhoseSequenceLengthIsOpenTrainsOnSamplesOfAnyLength() {
        // A text model as Keras saves Input((None,)): the 4 iris features read as 4 token ids (Embedding floors them).
        FitFixture f = new FitFixture(dir).iris("iris", null);
        ModelArchTable.load(f.store, "arch", "{\"class_name\": \"Sequential\", \"keras_version\": \"2.2.4\", \"config\": {"
                + "\"name\": \"text\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"name\": \"in\", \"batch_input_shape\": [null, null]}}, "
                + "{\"class_name\": \"Embedding\", \"config\": {\"name\": \"emb\", \"input_dim\": 10, \"output_dim\": 4}}, "
                + "{\"class_name\": \"GlobalAveragePooling1D\", \"config\": {\"name\": \"pool\"}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"out\", \"units\": 3, \"activation\": \"softmax\"}}]}}",
                null, null, null);
        f.mst("arch", 1, "mst", List.of("0.1"), List.of("batch_size=16, epochs=1"));
        FitResult r = fit(f, FitFixture.spec("iris", "out", "mst", 2).build());
        assertEquals("ok", r.models().get(0).status());
        assertTrue(Double.isFinite(r.models().get(0).trainingLoss()));
    }

    @Test
    void refusesMoreWorkersThanPartitionsAndTooLittleMemory() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst", 1).optWorkers(4).build()).startsWith("workers=4 is more than the 3"));
        assertTrue(refused(f, FitFixture.spec("iris", "out", "mst", 1).optUseCaching(true).optMemoryLimit(1000).build())
                .startsWith("memory: the fit needs about"));
    }

    @Test
    void initialWeightsFromTheArchitectureTableReplaceTheSeededOnes() {
        FitFixture f = new FitFixture(dir).iris("iris", null);
        String json = FitFixture.archJson(3);
        KerasNetwork network = new KerasNetwork(KerasArchitecture.parse(json));
        byte[] weights;
        try (TrainableModel m = new TrainableModel(network, ParamParser.parseCompile(String.format(FitFixture.ADAM, "0.01")), 3)) {
            float[] flat = network.flatKerasWeights();
            ByteBuffer b = ByteBuffer.allocate(4 * flat.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(flat);
            weights = b.array();
        }
        ModelArchTable.load(f.store, "arch", json, weights, "given", null);
        ModelArchTable.load(f.store, "arch", json, null, "seeded", null);
        // Without shuffling, the seed only chooses the initial weights.
        ModelSelectionTable.load(f.store, "arch", "mst", List.of(1, 2), List.of(String.format(FitFixture.ADAM, "0.01")),
                List.of("batch_size=16, epochs=1, shuffle=False"));
        fit(f, FitFixture.spec("iris", "a", "mst", 1).optSchedule(Schedule.ROTATION).optSeed(1).build());
        fit(f, FitFixture.spec("iris", "b", "mst", 1).optSchedule(Schedule.ROTATION).optSeed(2).build());
        Map<Integer, Object> a = f.byKey("a", "model_weights");
        Map<Integer, Object> b = f.byKey("b", "model_weights");
        assertArrayEquals((byte[]) a.get(1), (byte[]) b.get(1), "same given weights, same result");
        assertFalse(Arrays.equals((byte[]) a.get(2), (byte[]) b.get(2)), "seeded weights differ by seed");
    }

    /** An engine that fails its {@code failAt}-th unit (from 1) and runs the others on a LocalEngine. */
    private static EngineFactory failingAt(int failAt) {
        return io.hopper.engine.local.CrashingEngine.failingAt(failAt);
    }

    @Test
    void aFailedFitLeavesNothingNewButItsCheckpointAndNothingChanged() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        List<String> before = new ArrayList<>(f.store.listTables());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new FitMultipleModel(f.store,
                FitFixture.spec("iris", "out", "mst", 2).build(), ProgressListener.NONE, failingAt(5)).run());
        assertEquals("worker lost", e.getMessage());
        before.add("out_checkpoint");
        assertEquals(before, f.store.listTables(), "only the checkpoint, for --resume");
        f.store.drop("out_checkpoint");
        fit(f, FitFixture.spec("iris", "out", "mst", 1).build());
        Map<Integer, Object> states = f.byKey("out", "model_state");
        assertThrows(IllegalStateException.class, () -> new FitMultipleModel(f.store,
                FitFixture.spec("iris", "out", "mst", 2).optWarmStart(true).build(), ProgressListener.NONE, failingAt(9)).run());
        f.byKey("out", "model_state").forEach((k, v) -> assertArrayEquals((byte[]) states.get(k), (byte[]) v, "warm start failed: O unchanged"));
    }

    /** The embedded engine with a fault hook. */
    private static EngineFactory withFault(UnitFault fault) {
        return (store, placement, caching) -> new LocalEngine(store, placement, caching, fault);
    }

    @Test
    void aUnitThatFailsOnceRunsAgainOnAnotherWorkerAndTheFitIsUndisturbed() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("iris", "clean", "mst", 3).optWorkers(3).optSchedule(Schedule.ROTATION).build());
        UnitFault once = (task, worker, attempt) -> {
            if (task.unit().equals(new Unit(1, 1, 2)) && task.phase() == Phase.TRAIN && attempt == 1) {
                throw new IllegalStateException("injected fault");
            }
        };
        new FitMultipleModel(f.store, FitFixture.spec("iris", "retried", "mst", 3).optWorkers(3).optSchedule(Schedule.ROTATION).build(),
                ProgressListener.NONE, withFault(once)).run();
        assertSameModels(f, "clean", "retried");
        assertEquals(List.of("ok", "ok"), List.copyOf(f.byKey("retried_info", "status").values()));
        ExecutedUnit retried = f.schedule("retried", "train").stream().filter(u -> u.unit().equals(new Unit(1, 1, 2))).findFirst().orElseThrow();
        assertEquals(2, retried.worker(), "the retry ran on the worker after the partition's owner");
        assertEquals(3 * 3 * 2, f.schedule("retried", "train").size(), "every train unit once");
    }

    @Test
    void aUnitThatAlwaysFailsFailsItsConfigurationOnlyAndTheFitWritesItsOutputs() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        UnitFault always = (task, worker, attempt) -> {
            if (task.unit().equals(new Unit(1, 0, 2)) && task.phase() == Phase.TRAIN) {
                throw new IllegalStateException("injected fault on attempt " + attempt);
            }
        };
        FitResult r = new FitMultipleModel(f.store, FitFixture.spec("iris", "out", "mst", 3).optWorkers(2).optMetricsComputeFrequency(1)
                .build(), ProgressListener.NONE, withFault(always)).run();
        Map<Integer, Object> status = f.byKey("out_info", "status");
        assertEquals("failed at iteration 2: injected fault on attempt 3", status.get(1));
        assertEquals("ok", status.get(2));
        assertEquals("failed at iteration 2: injected fault on attempt 3", r.models().get(0).status());
        assertEquals(0, f.schedule("out", "train").stream().filter(u -> u.unit().mstKey() == 1 && u.unit().iteration() == 3).count(),
                "a failed configuration trains no more");
        assertEquals(3 * 3, f.schedule("out", "train").stream().filter(u -> u.unit().mstKey() == 2).count());
        @SuppressWarnings("unchecked")
        List<Double> loss = (List<Double>) f.byKey("out_info", "training_loss").get(1);
        assertTrue(Double.isFinite(loss.get(0)) && Double.isNaN(loss.get(1)) && Double.isNaN(loss.get(2)), loss.toString());
        assertEquals(List.of("out", "out_info", "out_leaderboard", "out_schedule", "out_summary"),
                f.store.listTables().stream().filter(t -> t.startsWith("out")).sorted().toList(), "the outputs with the leaderboard, no checkpoint");
    }

    /** A fit of 2 configurations x 3 partitions x 3 iterations, metrics every iteration on both tables; checkpoints after every unit. */
    private static FitSpec.Builder resumable(String out, Schedule schedule) {
        return FitFixture.spec("iris", out, "mst", 3).optValidationTable("iris_v").optMetricsComputeFrequency(1).optSchedule(schedule)
                .optSeed(5).optWorkers(2).optCheckpointEvery(java.time.Duration.ofNanos(1));
    }

    /** Runs a fit whose engine fails at its {@code failAt}-th unit (a crash), checking it leaves the checkpoint and no output. */
    private void crash(FitFixture f, FitSpec spec, int failAt) {
        assertThrows(IllegalStateException.class, () -> new FitMultipleModel(f.store, spec, ProgressListener.NONE, failingAt(failAt)).run());
        String out = spec.modelOutputTable();
        for (String t : OutputTables.names(out)) {
            assertFalse(f.store.exists(t), t + " does not exist before the run completes");
        }
        assertTrue(f.store.exists(CheckpointTable.name(out)), "the checkpoint stays after a crash at unit " + failAt);
    }

    @Test
    void aRotationRunInterruptedAtAnyUnitAndResumedGivesTheUninterruptedWeightsToTheBit() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        fit(f, resumable("clean", Schedule.ROTATION).build());
        assertFalse(f.store.exists("clean_checkpoint"), "a completed run removes its checkpoint");
        // 18 train units and 36 eval units; crash during the first unit, mid-iteration, during metrics, at the last unit.
        for (int failAt : new int[] {1, 5, 9, 20, 53}) {
            String out = "r" + failAt;
            crash(f, resumable(out, Schedule.ROTATION).build(), failAt);
            List<String> resumedAt = new ArrayList<>();
            FitResult r = new FitMultipleModel(f.store, resumable(out, Schedule.ROTATION).optResume(true).build(),
                    new ProgressListener() {
                        @Override
                        public void onResume(String at) {
                            resumedAt.add(at);
                        }
                    }).run();
            assertSameModels(f, "clean", out);
            assertEquals(f.byKey("clean_info", "validation_loss"), f.byKey(out + "_info", "validation_loss"), out);
            assertEquals(f.byKey("clean_info", "training_loss"), f.byKey(out + "_info", "training_loss"), out);
            assertFalse(f.store.exists(out + "_checkpoint"));
            List<ExecutedUnit> train = f.schedule(out, "train");
            assertEquals(18, train.size(), "every train unit exactly once");
            assertEquals(18, train.stream().map(ExecutedUnit::unit).distinct().count());
            List<Integer> attempts = f.store.readAll(out + "_schedule").stream().map(row -> (Integer) row.get(8)).distinct().sorted().toList();
            assertEquals(failAt > 1 ? List.of(1, 2) : List.of(2), attempts, out);
            assertTrue(r.resumed().startsWith("resumed at iteration "), r.resumed());
            assertEquals(List.of(r.resumed()), resumedAt);
        }
    }

    @Test
    void aConfigurationStoppedEarlyStaysStoppedWhenTheRunIsResumed() {
        FitFixture f = irisWithArch();
        // min_delta=100 with patience 1: mst 1 stops at iteration 2 of 3; mst 2 runs on
        f.mst("arch", 1, "mst", List.of("0.01"), List.of("batch_size=16, epochs=1, callbacks=[EarlyStopping(monitor='loss', patience=1,"
                + " min_delta=100)]", "batch_size=16, epochs=1"));
        fit(f, resumable("es", Schedule.ROTATION).build());
        assertEquals("stopped early at iteration 2", f.byKey("es_info", "status").get(1));
        // 18 units per iteration while both train (6 train, 12 eval), then 9; crash in iteration 1, in 2, just after the stop, in 3
        for (int failAt : new int[] {5, 20, 37, 40}) {
            String out = "es" + failAt;
            crash(f, resumable(out, Schedule.ROTATION).build(), failAt);
            FitResult r = fit(f, resumable(out, Schedule.ROTATION).optResume(true).build());
            assertEquals("stopped early at iteration 2", f.byKey(out + "_info", "status").get(1), out);
            assertEquals("stopped early at iteration 2", r.models().get(0).status(), out);
            assertEquals("ok", f.byKey(out + "_info", "status").get(2), out);
            assertEquals(0, f.schedule(out, "train").stream().filter(u -> u.unit().mstKey() == 1 && u.unit().iteration() > 2).count(), out);
            assertSameModels(f, "es", out);
            assertEquals(f.byKey("es_info", "training_loss"), f.byKey(out + "_info", "training_loss"), out);
            assertEquals(f.byKey("es_info", "validation_loss"), f.byKey(out + "_info", "validation_loss"), out);
        }
    }

    @Test
    void anAsyncRunResumesWithItsRecordedVisitOrdersAndStaysReplayable() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        crash(f, resumable("a", Schedule.ASYNC).build(), 21); // units 1-6 train, 7-18 evaluate, 19-24 train iteration 2
        Checkpoint cp = CheckpointTable.read(f.store, "a").orElseThrow();
        FitResult r = fit(f, resumable("a", Schedule.ASYNC).optResume(true).build());
        assertTrue(r.resumed().startsWith("resumed at iteration 2 of 3, "), r.resumed());
        Provenance p = Provenance.read(f.store, "a");
        for (Checkpoint.ConfigState c : cp.configs()) {
            for (int i = 0; i < c.visitOrders().size(); i++) {
                List<Integer> before = c.visitOrders().get(i);
                assertEquals(before, p.visitOrders().get(c.mstKey()).get(i).subList(0, before.size()),
                        "the orders recorded before the crash begin the orders of mst " + c.mstKey() + " in iteration " + (i + 1));
            }
        }
        FitReplay.of(f.store, "a", "a_replayed", ProgressListener.NONE).run();
        assertSameModels(f, "a", "a_replayed");
    }

    @Test
    void refusesANewRunBesideACheckpointAndResumesThatDoNotMatch() {
        FitFixture f = irisWithArch();
        f.mst("arch", 1, "mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        String none = refused(f, resumable("o", Schedule.ROTATION).optResume(true).build());
        assertTrue(none.contains("no checkpoint"), none);
        crash(f, resumable("o", Schedule.ROTATION).build(), 4);
        String again = refused(f, resumable("o", Schedule.ROTATION).build());
        assertTrue(again.contains("--resume") && again.contains("hopper table drop o_checkpoint"), again);
        String seed = refused(f, resumable("o", Schedule.ROTATION).optSeed(6).optResume(true).build());
        assertTrue(seed.contains("--seed 6 (the interrupted run had 5)"), seed);
        String workers = refused(f, resumable("o", Schedule.ROTATION).optWorkers(3).optResume(true).build());
        assertTrue(workers.contains("--workers 3 (the interrupted run had 2)"), workers);
        f.store.replace("mst", f.store.schema("mst"), f.store.readAll("mst").subList(0, 1)); // one configuration less
        String changed = refused(f, resumable("o", Schedule.ROTATION).optResume(true).build());
        assertTrue(changed.contains("table 'mst' changed since the interrupted run"), changed);
    }

    @Test
    void trainsMadlibsTwoInputTwoOutputModelOnAMultiIoTableWithPerOutputInfo() throws IOException {
        FitFixture f = new FitFixture(dir).irisMultiIo("multi");
        int multiIo = f.archMultiIo("arch");
        int mlp = f.arch("arch", 3);
        ModelSelectionTable.load(f.store, "arch", "mst", List.of(multiIo), List.of("loss=['categorical_crossentropy', "
                + "'categorical_crossentropy'], loss_weights=[1.0, 0.5], optimizer='Adam(lr=0.02)', metrics=['accuracy']"),
                List.of("batch_size=16, epochs=1"));
        fit(f, FitFixture.spec("multi", "out", "mst", 3).optValidationTable("multi_v").optUseCaching(true).build());
        InfoRow info = OutputTables.readInfos(f.store, "out").get(0);
        assertEquals(OutputTables.INFO_MULTI_OUTPUT, f.store.schema("out_info"));
        InfoRow.PerOutput outputs = info.perOutput().orElseThrow();
        assertEquals(List.of("dense_4", "dense_5"), outputs.names());
        assertEquals(InfoRow.last(info.trainingLoss()), outputs.trainingLoss().get(0) + 0.5 * outputs.trainingLoss().get(1), 1e-5,
                "the total is Keras's weighted sum of the outputs' losses");
        assertEquals(InfoRow.last(info.validationMetric().orElseThrow()),
                (outputs.validationMetric().get(0) + outputs.validationMetric().get(1)) / 2, 1e-9, "the metric is the outputs' mean");
        assertEquals(2, outputs.validationLoss().size());
        assertEquals(IRIS_X_TWICE, OutputTables.readSummary(f.store, "out").independentVarname());
        // killed after its last checkpoint (all iterations done), the resumed fit writes the same per-output columns
        FitSpec resumable = FitFixture.spec("multi", "again", "mst", 3).optValidationTable("multi_v").optUseCaching(true).build();
        assertThrows(IllegalStateException.class, () -> new FitMultipleModel(f.store, resumable, ProgressListener.NONE)
                .listening(new LoopListener() {
                    @Override
                    public void iterationEnded(int iteration, List<ConfigState> configs) {
                        if (iteration == 3) {
                            throw new IllegalStateException("killed after the last checkpoint");
                        }
                    }
                }).run());
        assertTrue(f.store.exists("again_checkpoint"));
        fit(f, FitFixture.spec("multi", "again", "mst", 3).optValidationTable("multi_v").optUseCaching(true).optResume(true).build());
        assertEquals(outputs, OutputTables.readInfos(f.store, "again").get(0).perOutput().orElseThrow(),
                "the per-output columns come back from the checkpoint");
        // the single-input MLP does not fit the table: one line naming both
        ModelSelectionTable.load(f.store, "arch", "mst_mlp", List.of(mlp), List.of(String.format(FitFixture.ADAM, "0.01")),
                List.of("batch_size=16, epochs=1"));
        String e = assertThrows(IllegalArgumentException.class, () -> fit(f, FitFixture.spec("multi", "out2", "mst_mlp", 1).build()))
                .getMessage();
        assertTrue(e.startsWith("table 'multi' packs 2 inputs (x_0: [4], x_1: [4]) and 2 outputs (y_0: 3 classes, y_1: 3 classes) but "
                + "model_id " + mlp + " of 'arch' has 1 input ([4]) and 1 output ([3]);"), e);
        assertFalse(f.store.exists("out2"));
    }

    private static final String IRIS_X_TWICE = FitFixture.IRIS_X + ";" + FitFixture.IRIS_X;
}
