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
import io.hopper.fit.Leaderboard;
import io.hopper.fit.OutputTables;
import io.hopper.model.runtime.EvalResult;
import io.hopper.predict.ChosenModel;
import io.hopper.predict.EvaluateSpec;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.params.MstEntry;
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

    private static final RunOptions ONE_WORKER = RunOptions.DEFAULTS.withSeed(5).withWorkers(1).withSchedule(FitSpec.Schedule.ROTATION);

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
        assertEquals(List.of("arch", "hb", "hb_info", "hb_leaderboard", "hb_mst", "hb_mst_summary", "hb_schedule", "hb_summary", "iris",
                "iris_summary", "iris_v", "iris_v_summary"), store.listTables().stream().sorted().toList(), "no work tables");

        // O_leaderboard ranks as the search: the three trained 3 iterations first, best_mst_key first; --mst-key best agrees
        List<Integer> board = Leaderboard.readRanking(store, "hb_leaderboard");
        assertEquals(r.bestMstKey(), board.get(0));
        assertEquals(r.bestMstKey(), ChosenModel.best(store, "hb"));
        assertEquals(java.util.Set.of(promoted, 4, 5), java.util.Set.copyOf(board.subList(0, 3)));
        Schema bs = store.schema("hb_leaderboard");
        for (Row row : store.readAll("hb_leaderboard")) {
            int key = (Integer) row.get(bs.indexOf("mst_key"));
            assertEquals(key == promoted || key > 3 ? "ok" : "stopped by hyperband at iteration 1 (s=1 i=0)", row.get(bs.indexOf("status")),
                    "mst_key " + key);
        }
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
        assertEquals(r.bestMstKey(), ChosenModel.best(store, "am"), "--mst-key best is the search's best");
        assertEquals(List.of("am", "am_mst", "am_mst_summary", "am_info", "am_summary", "am_schedule", "am_leaderboard"), hopper.dropTable("am"));
        assertFalse(store.listTables().stream().anyMatch(t -> t.startsWith("am_") && !t.equals("am_eval")), store.listTables().toString());
    }

    /** O's states by mst_key. */
    private Map<Integer, byte[]> states(String out) {
        Map<Integer, byte[]> states = new TreeMap<>();
        OutputTables.readModels(store, out).forEach(m -> states.put(m.mstKey(), m.modelState()));
        return states;
    }

    @Test
    void tpeProposesInOneSessionAndItsOutputsAreModelTables() throws Exception {
        AutomlResult r = hopper.automl(spec("tpe", Method.TPE, "num_configs=6, num_iterations=2, n_startup=3").build());
        assertEquals(1, r.fitCalls());
        assertEquals(6, r.trials().size());
        List<MstEntry> mst = ModelSelectionTable.read(store, "tpe_mst");
        assertEquals(List.of(1, 2, 3, 4, 5, 6), mst.stream().map(MstEntry::mstKey).toList());
        assertEquals(6, mst.stream().map(e -> e.compileParams() + e.fitParams()).distinct().count());
        assertEquals(List.of(2, 2, 2, 2, 2, 2), List.copyOf(byKey("tpe_info", "iterations").values()));
        for (MstEntry e : mst) {
            assertEquals(e.compileParams(), byKey("tpe_info", "compile_params").get(e.mstKey()), "O_info has what the mst table has");
        }
        Row summary = store.readAll("tpe_summary").get(0);
        Schema s = store.schema("tpe_summary");
        assertEquals("tpe", summary.get(s.indexOf("automl_method")));
        assertEquals("num_configs=6, num_iterations=2, algorithm=tpe, gamma=0.25, n_ei_candidates=24, n_startup=3",
                summary.get(s.indexOf("automl_params")));
        ScheduleInvariants.checkEpochs(schedule("tpe", "train"), 3);
        OptionalInt best = OptionalInt.of(r.bestMstKey());
        assertTrue(Double.isFinite(hopper.evaluate(new EvaluateSpec("tpe", "iris_v", "tpe_eval", best, 2)).loss()));
        assertTrue(Files.exists(hopper.exportModel("tpe", best, dir.resolve("tpe-export")).get(0)));
        String html = Files.readString(hopper.report("tpe", Optional.of(dir.resolve("tpe.html"))));
        assertTrue(html.contains("TPE (MADlib&#39;s hyperopt)") || html.contains("TPE (MADlib's hyperopt)"), "the report names the method");
    }

    @Test
    void tpeWithOneWorkerIsReproducibleAndBucketsTrainInWaves() {
        String params = "num_configs=4, num_iterations=1, n_startup=2";
        hopper.automl(spec("t1", Method.TPE, params).optRunOptions(ONE_WORKER).build());
        hopper.automl(spec("t2", Method.TPE, params).optRunOptions(ONE_WORKER).build());
        assertEquals(ModelSelectionTable.read(store, "t1_mst"), ModelSelectionTable.read(store, "t2_mst"));
        Map<Integer, byte[]> a = states("t1");
        Map<Integer, byte[]> b = states("t2");
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), "mst_key " + k));

        hopper.automl(spec("tw", Method.TPE, "num_configs=4, num_iterations=1, bucket_size=2, n_startup=2").build());
        List<ExecutedUnit> units = new ArrayList<>(schedule("tw", "train"));
        units.addAll(schedule("tw", "eval"));
        double firstWaveEnd = units.stream().filter(u -> u.unit().mstKey() <= 2).mapToDouble(ExecutedUnit::end).max().orElseThrow();
        double secondWaveStart = units.stream().filter(u -> u.unit().mstKey() > 2).mapToDouble(ExecutedUnit::start).min().orElseThrow();
        assertTrue(secondWaveStart >= firstWaveEnd, "the second wave starts after the first ended: " + secondWaveStart + " < " + firstWaveEnd);
    }

    @Test
    void pbtCopiesAndPerturbsInOneSessionRecordsLineageAndIsReproducibleWithOneWorker() throws Exception {
        String params = "population=4, interval=1, iterations=3, quantile=0.5";
        AutomlResult r = hopper.automl(spec("pbt", Method.PBT, params).optRunOptions(ONE_WORKER).build());
        assertEquals(4, r.trials().size());
        assertEquals(List.of(3, 3, 3, 3), List.copyOf(byKey("pbt_info", "iterations").values()));
        Schema info = store.schema("pbt_info");
        assertTrue(info.names().containsAll(List.of("exploit_iters", "exploit_donors", "exploit_donor_iters", "exploit_changes")));
        int exploits = 0;
        for (Row row : store.readAll("pbt_info")) {
            SearchInfo si = SearchInfo.fromRow(row, info);
            for (Pbt.Exploit x : si.lineage().orElseThrow()) {
                exploits++;
                assertTrue(x.iteration() >= 1 && x.iteration() < 3 && x.donorKey() != x.mstKey(), x.describe());
                assertTrue(List.of("lr").containsAll(x.changes().stream().map(Pbt.Change::setting).toList()),
                        "only lr is searched (it may stay when x1.2 is clipped to the bound): " + x.describe());
            }
        }
        assertTrue(exploits > 0, "the bottom half copied the top half at least once");
        assertTrue(store.readAll("pbt_info").stream().anyMatch(row -> SearchInfo.fromRow(row, info).lineage().orElseThrow().stream()
                .anyMatch(x -> !x.changes().isEmpty())), "an exploit changed lr");
        // every final state fits its configuration's final settings: evaluate builds it from O_info's compile_params
        for (int key = 1; key <= 4; key++) {
            assertTrue(Double.isFinite(hopper.evaluate(new EvaluateSpec("pbt", "iris_v", "pbt_eval_" + key, OptionalInt.of(key), 1)).loss()));
        }
        String html = Files.readString(hopper.report("pbt", Optional.of(dir.resolve("pbt.html"))));
        assertTrue(html.contains("<h2>Lineage</h2>"));
        assertEquals(exploits, html.split("<line class=\"exploit\"", -1).length - 1, "one arrow per exploit");

        hopper.automl(spec("pbt2", Method.PBT, params).optRunOptions(ONE_WORKER).build());
        assertEquals(byKey("pbt_info", "exploit_changes"), byKey("pbt2_info", "exploit_changes"));
        assertEquals(byKey("pbt_info", "compile_params"), byKey("pbt2_info", "compile_params"));
        Map<Integer, byte[]> a = states("pbt");
        states("pbt2").forEach((k, v) -> assertArrayEquals(a.get(k), v, "mst_key " + k));
    }

    @Test
    void pbtWithNothingToPerturbIsRefusedBeforeTrainingAndLeavesNoTables() {
        String compile = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam', 'SGD'], 'lr': [0.01]}]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hopper.automl(spec("np", Method.PBT,
                "population=2, interval=1, iterations=2").setCompileParamsGrid(compile).build()));
        assertTrue(e.getMessage().startsWith("pbt: compile_params_grid has no optimizer setting with several numeric values"),
                e.getMessage());
        assertFalse(store.listTables().stream().anyMatch(t -> t.startsWith("np")), store.listTables().toString());
    }

    // ---------------------------------------------------------------- checkpoints and --resume

    /** {@code spec} checkpointing after every unit. */
    private static AutomlSpec.Builder resumable(AutomlSpec.Builder spec) {
        return spec.optCheckpointEvery(java.time.Duration.ofNanos(1));
    }

    /** Runs the search on an engine that fails its {@code failAt}-th unit: only the checkpoint and the mst table stay. */
    private void crash(AutomlSpec s, int failAt) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new AutoMl(store, s, io.hopper.fit.ProgressListener.NONE,
                io.hopper.engine.local.CrashingEngine.failingAt(failAt)).run());
        assertEquals("worker lost", e.getMessage());
        String out = s.modelOutputTable();
        assertEquals(List.of(out + "_checkpoint", out + "_mst", out + "_mst_summary"),
                store.listTables().stream().filter(t -> t.startsWith(out + "_") || t.equals(out)).sorted().toList(),
                "crashed at unit " + failAt + ": only the checkpoint and the draws");
    }

    /** Resumes the search, checking what it says it resumed. */
    private AutomlResult resume(AutomlSpec s) {
        List<String> heard = new ArrayList<>();
        AutomlResult r = new AutoMl(store, s, new io.hopper.fit.ProgressListener() {
            @Override
            public void onResume(String at) {
                heard.add(at);
            }
        }).run();
        assertTrue(r.resumed().startsWith("resumed with "), r.resumed());
        assertEquals(List.of(r.resumed()), heard, "the progress says what was resumed");
        return r;
    }

    /** Every column of a table by mst_key except {@code skip}. */
    private Map<String, Map<Integer, Object>> columns(String table, List<String> skip) {
        Map<String, Map<Integer, Object>> all = new TreeMap<>();
        for (String c : store.schema(table).names()) {
            if (!skip.contains(c)) {
                Map<Integer, Object> values = byKey(table, c);
                values.replaceAll((k, v) -> v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : v);
                all.put(c, values);
            }
        }
        return all;
    }

    /**
     * The resumed search {@code out} gave the uninterrupted search {@code clean}'s outputs: the states to the bit, O_info
     * but the clock, O_summary's search columns, the mst table, and every train unit of the clean run once.
     */
    private void assertSameSearch(String clean, String out, java.util.Set<Integer> attempts) {
        assertEquals(columns(clean, List.of()), columns(out, List.of()), out + ": O to the bit");
        assertEquals(columns(clean + "_info", List.of("metrics_elapsed_time")), columns(out + "_info", List.of("metrics_elapsed_time")), out);
        Schema summary = store.schema(clean + "_summary");
        Row a = store.readAll(clean + "_summary").get(0);
        Row b = store.readAll(out + "_summary").get(0);
        for (String c : List.of("automl_method", "automl_params", "random_state", "rank_by", "best_mst_key", "fit_calls",
                "total_iterations", "num_iterations", "metrics_iters", "seed", "schedule", "workers")) {
            assertEquals(a.get(summary.indexOf(c)), b.get(store.schema(out + "_summary").indexOf(c)), out + ": O_summary " + c);
        }
        assertEquals(columns(clean + "_mst", List.of()), columns(out + "_mst", List.of()), out + ": the same configurations");
        List<List<Integer>> trained = OutputTables.readSchedule(store, out).stream().filter(r -> r.phase().equals("train"))
                .map(r -> List.of(r.mstKey(), r.iteration(), r.partition())).sorted(Comparator.comparing(Object::toString)).toList();
        assertEquals(trained.stream().distinct().count(), trained.size(), out + ": every train unit once");
        assertEquals(OutputTables.readSchedule(store, clean).stream().filter(r -> r.phase().equals("train"))
                .map(r -> List.of(r.mstKey(), r.iteration(), r.partition())).sorted(Comparator.comparing(Object::toString)).toList(),
                trained, out + ": the train units of the uninterrupted search");
        assertEquals(attempts, OutputTables.readSchedule(store, out).stream().map(io.hopper.fit.ScheduleRow::attempt)
                .collect(java.util.stream.Collectors.toSet()), out + ": the attempts in O_schedule");
        assertFalse(store.exists(out + "_checkpoint"), "the final write dropped the checkpoint");
    }

    /** Crashes {@code method}'s search at each of {@code failAts} units, resumes it and compares it with the uninterrupted one. */
    private void crashAndResume(Method method, String params, RunOptions run, int... failAts) {
        String m = method.label();
        hopper.automl(resumable(spec(m, method, params).optRunOptions(run)).build());
        for (int failAt : failAts) {
            String out = m + failAt;
            crash(resumable(spec(out, method, params).optRunOptions(run)).build(), failAt);
            resume(resumable(spec(out, method, params).optRunOptions(run)).optResume(true).build());
            assertSameSearch(m, out, failAt == 1 ? java.util.Set.of(2) : java.util.Set.of(1, 2));
        }
    }

    @Test
    void hyperbandCrashedAtSeveralUnitsAndResumedGivesTheUninterruptedSearch() {
        // R=3, eta=3: 5 configurations, 33 train and 18 eval units on 3 partitions; rotation with 2 workers is deterministic
        crashAndResume(Method.HYPERBAND, "R=3, eta=3", RunOptions.DEFAULTS.withSeed(5).withWorkers(2).withSchedule(FitSpec.Schedule.ROTATION),
                1, 14, 30, 51);
    }

    @Test
    void ashaRandomTpeAndPbtCrashedAndResumedGiveTheUninterruptedSearch() {
        // with one worker (and rotation) their decisions do not depend on timing
        crashAndResume(Method.ASHA, "R=3, eta=3, min_r=1, num_configs=6", ONE_WORKER, 9, 31);
        crashAndResume(Method.RANDOM, "R=2, num_configs=3", ONE_WORKER.withWorkers(2), 10);
        crashAndResume(Method.TPE, "num_configs=5, num_iterations=2, n_startup=2", ONE_WORKER, 8, 25);
        crashAndResume(Method.PBT, "population=4, interval=1, iterations=3, quantile=0.5", ONE_WORKER, 20, 41);
    }

    @Test
    void resumeIsRefusedWithoutACheckpointOrWithOtherArgumentsAndANewSearchBesideOne() {
        AutomlSpec.Builder base = resumable(spec("rr", Method.RANDOM, "R=2, num_configs=2"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> hopper.automl(
                resumable(spec("rr", Method.RANDOM, "R=2, num_configs=2")).optResume(true).build()));
        assertTrue(none.getMessage().startsWith("--resume: model_output_table 'rr' has no checkpoint"), none.getMessage());
        assertFalse(store.exists("rr_mst"), "a refused resume makes nothing");
        crash(base.build(), 5);
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class, () -> hopper.automl(
                resumable(spec("rr", Method.RANDOM, "R=2, num_configs=2")).build()));
        assertTrue(again.getMessage().contains("continue that run with --resume") && again.getMessage().contains("`hopper table drop rr_checkpoint`")
                && again.getMessage().contains("`hopper table drop rr_mst`"), again.getMessage());
        IllegalArgumentException params = assertThrows(IllegalArgumentException.class, () -> hopper.automl(
                resumable(spec("rr", Method.RANDOM, "R=3, num_configs=2")).optResume(true).build()));
        assertTrue(params.getMessage().startsWith("--resume: --automl-params R=3, num_configs=2 (the interrupted run had R=2, num_configs=2)"),
                params.getMessage());
        IllegalArgumentException seed = assertThrows(IllegalArgumentException.class, () -> hopper.automl(
                resumable(spec("rr", Method.RANDOM, "R=2, num_configs=2")).optRandomState(6).optResume(true).build()));
        assertTrue(seed.getMessage().startsWith("--resume: --random-state 6 (the interrupted run had 5)"), seed.getMessage());
        assertEquals(List.of("rr_checkpoint", "rr_mst", "rr_mst_summary"),
                store.listTables().stream().filter(t -> t.startsWith("rr")).sorted().toList(), "refusals leave the interrupted search");
        ModelSelectionTable.append(store, "arch", "rr_mst", List.of(new MstEntry(9, 1, "loss='categorical_crossentropy', optimizer='Adam(lr=0.5)', metrics=['accuracy']",
                "batch_size=4, epochs=1")));
        IllegalArgumentException changed = assertThrows(IllegalArgumentException.class, () -> hopper.automl(
                resumable(spec("rr", Method.RANDOM, "R=2, num_configs=2")).optResume(true).build()));
        assertTrue(changed.getMessage().startsWith("--resume: table 'rr_mst' changed since the interrupted run"), changed.getMessage());
    }
}
