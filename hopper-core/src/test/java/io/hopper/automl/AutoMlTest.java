package io.hopper.automl;

import io.hopper.automl.AutomlResult;
import io.hopper.automl.AutomlSpec;
import io.hopper.automl.AutomlSpec.Method;
import io.hopper.fit.FitSpec;
import io.hopper.fit.RunOptions;
import io.hopper.api.Hopper;
import io.hopper.data.SourceSpec;
import io.hopper.data.TrainingPreprocessSpec;
import io.hopper.data.TrainingPreprocessor;
import io.hopper.data.ValidationPreprocessSpec;
import io.hopper.data.ValidationPreprocessor;
import io.hopper.fit.OutputTables;
import io.hopper.model.runtime.EvalResult;
import io.hopper.predict.ChosenModel;
import io.hopper.predict.EvaluateSpec;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.mop.ExecutedUnit;
import io.hopper.mop.ScheduleInvariants;
import io.hopper.mop.Unit;
import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real searches on iris (150 rows, 3 partitions, MADlib's iris MLP): small, a few seconds each. */
class AutoMlTest {
    private static final String X = "sepal_length,sepal_width,petal_length,petal_width";
    private static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.1, 'log']}], 'metrics': ['accuracy']}";
    private static final String FIT = "{'batch_size': [8, 16], 'epochs': [1]}";

    @TempDir
    Path dir;
    private Store store;
    private Hopper hopper;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(AutoMlTest.class.getResource(name).toURI());
    }

    @BeforeEach
    void irisAndTheMlp() throws Exception {
        store = new FileStore(dir.resolve("store"));
        hopper = Hopper.on(store);
        new TrainingPreprocessor(store).preprocess(TrainingPreprocessSpec.builder().setSource(new SourceSpec.Csv(resource("/iris.csv")))
                .setOutputTable("iris").setDependentVarname("species").setIndependentVarname(X).optPartitions(3).optSeed(7).build());
        new ValidationPreprocessor(store).preprocess(ValidationPreprocessSpec.builder().setSource(new SourceSpec.Csv(resource("/iris.csv")))
                .setOutputTable("iris_v").setTrainingPreprocessorTable("iris").setDependentVarname("species")
                .setIndependentVarname(X).build());
        ModelArchTable.load(store, "arch", Files.readString(resource("/keras/01_madlib_iris_mlp_keras216.json")), null, "mlp", null);
    }

    @AfterEach
    void close() {
        hopper.close();
    }

    private static AutomlSpec.Builder spec(String out, Method method, String params) {
        return AutomlSpec.builder().setSourceTable("iris").setModelOutputTable(out).setModelArchTable("arch")
                .setModelSelectionTable(out + "_mst").setModelIds(List.of(1)).setCompileParamsGrid(COMPILE).setFitParamsGrid(FIT)
                .optMethod(method).optAutomlParams(params).optRunOptions(RunOptions.DEFAULTS.withSeed(5).withWorkers(2).withSchedule(FitSpec.Schedule.ROTATION));
    }

    /** Column {@code column} of {@code table} by mst_key. */
    private Map<Integer, Object> byKey(String table, String column) {
        Schema schema = store.schema(table);
        Map<Integer, Object> values = new TreeMap<>();
        for (Row r : store.readAll(table)) {
            values.put((Integer) r.get(0), r.get(schema.indexOf(column)));
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static double first(Object list) {
        return ((List<Double>) list).get(0);
    }

    @Test
    void hyperbandKeepsTheBestThirdOfEachRoundRankedByValidationLoss() {
        // R=3, eta=3: s_max=1; bracket 1: 3 configurations for 1 iteration, the best 1 to 3; bracket 0: 2 for 3
        AutomlResult r = hopper.automl(spec("hb", Method.HYPERBAND, "R=3, eta=3").optValidationTable("iris_v").build());
        assertEquals(5, r.trials().size());
        assertEquals(1, r.fitCalls(), "one fit session for the whole search");
        assertEquals(3 + 2 + 2 * 3, r.totalIterations(), "3 x 1 iteration, the best +2, 2 x 3 iterations");
        Map<Integer, Object> s = byKey("hb_info", "s");
        Map<Integer, Object> i = byKey("hb_info", "i");
        Map<Integer, Object> iterations = byKey("hb_info", "iterations");
        Map<Integer, Object> validation = byKey("hb_info", "validation_loss");
        Map<Integer, Object> metricsIters = byKey("hb_info", "metrics_iters");
        assertEquals(List.of(1, 1, 1, 0, 0), List.copyOf(s.values()), "mst_keys 1..3 in bracket 1, 4..5 in bracket 0");
        int promoted = List.of(1, 2, 3).stream().min(Comparator.comparingDouble(k -> first(validation.get(k)))).orElseThrow();
        for (int key = 1; key <= 3; key++) {
            boolean up = key == promoted;
            assertEquals(up ? 1 : 0, i.get(key), "mst_key " + key);
            assertEquals(up ? 3 : 1, iterations.get(key), "mst_key " + key);
            assertEquals(up ? List.of(1, 3) : List.of(1), metricsIters.get(key), "mst_key " + key);
            assertEquals(up ? 2 : 1, ((List<?>) validation.get(key)).size(), "learning curves appended across rounds");
        }
        for (int key = 4; key <= 5; key++) {
            assertEquals(0, i.get(key));
            assertEquals(3, iterations.get(key));
            // one session: bracket 0 trains to 3 iterations at once, metrics at its one round's end
            assertEquals(List.of(3), metricsIters.get(key));
        }
        assertEquals(5, store.readAll("hb").size());
        Row summary = store.readAll("hb_summary").get(0);
        Schema ss = store.schema("hb_summary");
        assertEquals("hyperband", summary.get(ss.indexOf("automl_method")));
        assertEquals("R=3, eta=3, skip_last=0", summary.get(ss.indexOf("automl_params")));
        assertEquals(r.bestMstKey(), summary.get(ss.indexOf("best_mst_key")));
        assertEquals(5, ModelSelectionTable.read(store, "hb_mst").size());
        assertEquals(List.of("arch", "hb", "hb_info", "hb_mst", "hb_mst_summary", "hb_schedule", "hb_summary", "iris", "iris_summary",
                "iris_v", "iris_v_summary"), store.listTables().stream().sorted().toList(), "no work tables");
    }

    @Test
    void hyperbandIsReproducibleFromTheRandomState() {
        hopper.automl(spec("a", Method.HYPERBAND, "R=3, eta=3").build());
        hopper.automl(spec("b", Method.HYPERBAND, "R=3, eta=3").build());
        assertEquals(byKey("a_mst", "compile_params"), byKey("b_mst", "compile_params"));
        assertEquals(byKey("a_info", "training_loss"), byKey("b_info", "training_loss"));
        assertEquals(byKey("a_info", "i"), byKey("b_info", "i"));
        Map<Integer, Object> wa = byKey("a", "model_weights");
        Map<Integer, Object> wb = byKey("b", "model_weights");
        for (int key : wa.keySet()) {
            assertArrayEquals((byte[]) wa.get(key), (byte[]) wb.get(key), "mst_key " + key);
        }
    }

    /** The units of O_schedule ({@code phase} train or eval), in start order. */
    private List<ExecutedUnit> schedule(String out, String phase) {
        return OutputTables.readSchedule(store, out).stream().filter(r -> r.phase().equals(phase))
                .map(r -> new ExecutedUnit(new Unit(r.mstKey(), r.partition(), r.iteration()), r.worker(), r.startMs(), r.endMs()))
                .sorted(Comparator.comparingDouble(ExecutedUnit::start)).toList();
    }

    /** The score of configuration {@code key} at its {@code k}-th metrics point (rung k) from O_info's validation loss. */
    private static double rungLoss(Map<Integer, Object> validation, int key, int k) {
        return ((List<?>) validation.get(key)).stream().mapToDouble(v -> (Double) v).toArray()[k];
    }

    /** Checks what every ASHA search must show: one session, rungs and iterations agreeing, O_schedule's invariants. */
    private void checkAshaOutputs(String out, AutomlResult r, List<Integer> rungIterations) {
        assertEquals(1, r.fitCalls(), "one fit session for the whole search");
        Row summary = store.readAll(out + "_summary").get(0);
        Schema ss = store.schema(out + "_summary");
        assertEquals(1, summary.get(ss.indexOf("fit_calls")));
        assertEquals("rotation", summary.get(ss.indexOf("schedule")), "the session followed rotation's visit orders");
        Map<Integer, Object> rung = byKey(out + "_info", "rung");
        Map<Integer, Object> iterations = byKey(out + "_info", "iterations");
        Map<Integer, Object> metricsIters = byKey(out + "_info", "metrics_iters");
        List<ExecutedUnit> train = schedule(out, "train");
        ScheduleInvariants.checkEpochs(train, 3);
        for (int key : rung.keySet()) {
            int k = (Integer) rung.get(key);
            assertEquals(rungIterations.get(k), iterations.get(key), "mst_key " + key);
            assertEquals(rungIterations.subList(0, k + 1), metricsIters.get(key), "metrics at every rung reached");
            assertEquals(3L * rungIterations.get(k), train.stream().filter(u -> u.unit().mstKey() == key).count(),
                    "O_schedule holds every epoch of mst_key " + key);
        }
        assertEquals(r.totalIterations(), train.size() / 3);
    }

    @Test
    void ashaWithOneWorkerMakesTheJobsOfThePureRuleAndIsReproducible() {
        // rungs 1 and 3 iterations; ranked by validation loss
        AutomlResult r = hopper.automl(spec("asha", Method.ASHA, "R=3, eta=3, min_r=1, num_configs=6")
                .optRunOptions(RunOptions.DEFAULTS.withSeed(5).withWorkers(1).withSchedule(FitSpec.Schedule.ROTATION))
                .optValidationTable("iris_v").build());
        checkAshaOutputs("asha", r, List.of(1, 3));
        Map<Integer, Object> validation = byKey("asha_info", "validation_loss");
        // one worker: jobs run one after the other; replay the pure rule with the scores the session produced
        Asha replay = new Asha(Asha.Params.parse("R=3, eta=3, min_r=1, num_configs=6"));
        List<List<Integer>> expected = new ArrayList<>();
        Optional<Asha.Job> job = replay.next();
        while (job.isPresent()) {
            Asha.Job j = job.get();
            expected.add(List.of(j.config() + 1, j.rung() == 0 ? 1 : 3));
            replay.report(j, Score.loss(rungLoss(validation, j.config() + 1, j.rung())));
            Optional<Asha.Job> promoted = replay.promote(j.config());
            job = promoted.isPresent() ? promoted : replay.next();
        }
        assertTrue(replay.finished());
        List<List<Integer>> blocks = new ArrayList<>();
        for (ExecutedUnit u : schedule("asha", "train")) {
            List<Integer> last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (last != null && last.get(0) == u.unit().mstKey()) {
                blocks.set(blocks.size() - 1, List.of(u.unit().mstKey(), u.unit().iteration()));
            } else {
                blocks.add(List.of(u.unit().mstKey(), u.unit().iteration()));
            }
        }
        assertEquals(expected, blocks, "the session ran the jobs of the pure rule, in its order");
        assertTrue(expected.indexOf(expected.stream().filter(b -> b.get(1) == 3).findFirst().orElseThrow())
                < expected.indexOf(List.of(6, 1)), "a promotion before rung 0 is full: " + expected);

        hopper.automl(spec("asha2", Method.ASHA, "R=3, eta=3, min_r=1, num_configs=6")
                .optRunOptions(RunOptions.DEFAULTS.withSeed(5).withWorkers(1).withSchedule(FitSpec.Schedule.ROTATION))
                .optValidationTable("iris_v").build());
        assertEquals(byKey("asha_info", "rung"), byKey("asha2_info", "rung"), "reproducible from the random state");
        assertEquals(validation, byKey("asha2_info", "validation_loss"));
        assertEquals(schedule("asha", "train").stream().map(ExecutedUnit::unit).toList(),
                schedule("asha2", "train").stream().map(ExecutedUnit::unit).toList(), "the same visit orders");
        Map<Integer, Object> wa = byKey("asha", "model_weights");
        Map<Integer, Object> wb = byKey("asha2", "model_weights");
        for (int key : wa.keySet()) {
            assertArrayEquals((byte[]) wa.get(key), (byte[]) wb.get(key), "mst_key " + key);
        }
    }

    @Test
    void ashaWithTwoWorkersPromotesTheFinalTopThirdInOneSession() {
        AutomlResult r = hopper.automl(spec("asha", Method.ASHA, "R=3, eta=3, min_r=1, num_configs=9").build());
        checkAshaOutputs("asha", r, List.of(1, 3));
        Map<Integer, Object> rung = byKey("asha_info", "rung");
        Map<Integer, Object> loss = byKey("asha_info", "training_loss");
        List<Integer> byRung0 = new ArrayList<>(rung.keySet());
        byRung0.sort(Comparator.comparingDouble((Integer k) -> rungLoss(loss, k, 0)).thenComparing(k -> k));
        for (int key : byRung0.subList(0, 3)) {
            assertEquals(1, rung.get(key), "the final top third of rung 0 went up: " + byRung0 + " " + rung);
        }
    }

    @Test
    void randomTrainsEveryConfigurationToR() {
        AutomlResult r = hopper.automl(spec("rnd", Method.RANDOM, "R=2, num_configs=3").build());
        assertEquals(1, r.fitCalls());
        assertEquals(List.of(2, 2, 2), List.copyOf(byKey("rnd_info", "iterations").values()));
        assertTrue(store.schema("rnd_info").names().contains("metrics_iters"));
        assertFalse(store.schema("rnd_info").names().contains("rung"));
    }

    @Test
    void existingOutputsAreRefusedBeforeTraining() {
        ModelSelectionTable.load(store, "arch", "taken_mst", List.of(1), List.of("loss='mse', optimizer='SGD'"), List.of("epochs=1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hopper.automl(spec("taken", Method.RANDOM, "R=1, num_configs=2").build()));
        assertTrue(e.getMessage().contains("'taken_mst'") && e.getMessage().contains("already exists"), e.getMessage());
        assertFalse(store.exists("taken"));
    }

    @Test
    void tooFewDistinctConfigurationsIsRefused() {
        AutomlSpec s = spec("few", Method.RANDOM, "R=1, num_configs=5")
                .setCompileParamsGrid("{'loss': ['categorical_crossentropy'], 'optimizer': ['Adam']}").setFitParamsGrid("{'batch_size': [8]}")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hopper.automl(s));
        assertTrue(e.getMessage().contains("needs 5 distinct configurations") && e.getMessage().contains("only 1"), e.getMessage());
    }

    @Test
    void rankByMetricNeedsAMetric() {
        AutomlSpec s = spec("nometric", Method.RANDOM, "R=1, num_configs=1").optRankBy(AutomlSpec.RankBy.METRIC)
                .setCompileParamsGrid("{'loss': ['categorical_crossentropy'], 'optimizer': ['Adam']}").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hopper.automl(s));
        assertTrue(e.getMessage().contains("no metric"), e.getMessage());
        assertFalse(store.exists(OutputTables.info("nometric")));
    }

    @Test
    void aFailedSearchLeavesNoTablesBehind() throws Exception {
        String json = Files.readString(resource("/keras/01_madlib_iris_mlp_keras216.json"));
        int last = json.lastIndexOf("\"units\": 3");
        ModelArchTable.load(store, "arch4", json.substring(0, last) + "\"units\": 4" + json.substring(last + 10), null, null, null);
        AutomlSpec s = spec("bad", Method.RANDOM, "R=1, num_configs=2").setModelArchTable("arch4").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hopper.automl(s));
        assertTrue(e.getMessage().contains("output shape"), e.getMessage());
        assertEquals(List.of("arch", "arch4", "iris", "iris_summary", "iris_v", "iris_v_summary"),
                store.listTables().stream().sorted().toList());
    }

    @Test
    void hyperbandRunsAllBracketsInOneSession() {
        // R=9, eta=3: bracket 2: 9 x 1, 3 x 3, 1 x 9; bracket 1: 3 x 3, 1 x 9; bracket 0: 3 x 9 (mst_keys 1-9, 10-12, 13-15)
        AutomlResult r = hopper.automl(spec("diag", Method.HYPERBAND, "R=9, eta=3").optValidationTable("iris_v").build());
        assertEquals(List.of(new AutomlResult.Step(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 0, 9)), r.steps());
        Map<Integer, Object> validation = byKey("diag_info", "validation_loss");
        Map<Integer, Object> i = byKey("diag_info", "i");
        Map<Integer, Object> iterations = byKey("diag_info", "iterations");
        List<Integer> bracket2 = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
        bracket2.sort(Comparator.comparingDouble((Integer k) -> first(validation.get(k))).thenComparing(k -> k));
        for (int k : bracket2.subList(3, 9)) {
            assertEquals(0, i.get(k), "mst_key " + k + " stopped after round 0");
            assertEquals(1, iterations.get(k));
        }
        List<Integer> round1 = new ArrayList<>(bracket2.subList(0, 3));
        for (int k : round1) {
            assertTrue((Integer) i.get(k) >= 1, "the best 3 of 9 go on: " + bracket2 + " " + i);
        }
        round1.sort(Comparator.comparingDouble((Integer k) -> ((List<?>) validation.get(k)).stream().mapToDouble(v -> (Double) v)
                .toArray()[1]).thenComparing(k -> k));
        assertEquals(2, i.get(round1.get(0)), "the best of round 1 goes to round 2");
        assertEquals(9, iterations.get(round1.get(0)));
        assertEquals(List.of(0, 0, 0), List.of(i.get(13), i.get(14), i.get(15)));
        assertEquals(List.of(9, 9, 9), List.of(iterations.get(13), iterations.get(14), iterations.get(15)));
        assertEquals(9 + 3 + 6 * 2 + 3 * 3 + 5 * 6, r.totalIterations());
        assertEquals(List.of(2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0), List.copyOf(byKey("diag_info", "s").values()));
    }

    @Test
    void automlOutputsAreModelTablesForEvaluatePredictExportReportAndDrop() throws Exception {
        AutomlResult r = hopper.automl(spec("am", Method.ASHA, "R=3, eta=3, min_r=1, num_configs=3").build());
        OptionalInt key = OptionalInt.of(r.bestMstKey());
        ChosenModel chosen = ChosenModel.read(store, "am", key);
        assertEquals(r.bestMstKey(), chosen.mstKey());
        assertEquals(3, chosen.classValues().size());
        EvalResult e = hopper.evaluate(new EvaluateSpec("am", "iris_v", "am_eval", key, 2));
        assertTrue(Double.isFinite(e.loss()));
        List<Path> files = hopper.exportModel("am", key, dir.resolve("export"));
        assertTrue(Files.exists(files.get(0)));
        assertTrue(Files.size(hopper.report("am", Optional.of(dir.resolve("am.html")))) > 0);
        assertEquals(List.of("am", "am_mst", "am_mst_summary", "am_info", "am_summary", "am_schedule"), hopper.dropTable("am"));
        assertFalse(store.listTables().stream().anyMatch(t -> t.startsWith("am_") && !t.equals("am_eval")), store.listTables().toString());
    }
}
