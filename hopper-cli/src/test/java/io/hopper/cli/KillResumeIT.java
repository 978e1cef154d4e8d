package io.hopper.cli;

import io.hopper.store.FileStore;
import io.hopper.store.Row;
import io.hopper.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a real {@code hopper fit-multiple-model} or {@code hopper automl} process (the CLI's main in a forked JVM) at chosen moments, then
 * {@code --resume}: the weights of the uninterrupted run to the bit (rotation with a seed), nothing half-written while
 * interrupted (only the checkpoint), every train unit once in O_schedule.
 */
class KillResumeIT {
    @TempDir
    static Path dir;
    static Path store;
    private static final int ITERATIONS = 3;
    private static final int TRAIN_UNITS = 2 * 3 * ITERATIONS;

    @BeforeAll
    static void prepare() {
        store = dir.resolve("store");
        CliRun cli = new CliRun(store.toString());
        cli.irisWithArchitecture();
        cli.ok("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst", "--model-id-list", "1",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='RMSprop(lr=0.001)', metrics=['accuracy']",
                "--fit-params-list", "batch_size=8, epochs=1");
        cli.ok("preprocess-validation", "--source", "csv:" + CliRun.resource("iris.csv"), "--output-table", "iris_v",
                "--training-preprocessor-table", "iris", "--dependent-varname", "species", "--independent-varname", CliFixture.IRIS_X);
    }

    private static List<String> fit(String out, String... more) {
        List<String> args = new ArrayList<>(List.of("fit-multiple-model", "--source-table", "iris", "--validation-table", "iris_v",
                "--model-selection-table", "mst", "--model-output-table", out, "--num-iterations", Integer.toString(ITERATIONS),
                "--metrics-compute-frequency", "1", "--schedule", "rotation", "--seed", "11", "--workers", "2"));
        args.addAll(List.of(more));
        return args;
    }

    private static Map<Integer, byte[]> states(String out) {
        Map<Integer, byte[]> states = new TreeMap<>();
        try (Store s = new FileStore(store)) {
            for (Row r : s.readAll(out)) {
                states.put((Integer) r.get(0), (byte[]) r.get(3));
            }
        }
        return states;
    }

    private static List<String> tables(String prefix) {
        try (Store s = new FileStore(store)) {
            return s.listTables().stream().filter(t -> t.startsWith(prefix + "_") || t.equals(prefix)).toList();
        }
    }

    /** Runs the fit until {@code pauseAt}, kills it with SIGKILL, checks the store, resumes it and checks the outputs. */
    private static void killAndResume(String out, String pauseAt, String checkpointEvery, Map<Integer, byte[]> expected,
                                      Set<Integer> attemptsRun) throws Exception {
        try (ForkedHopper run = new ForkedHopper(store, pauseAt, fit(out, "--checkpoint-every", checkpointEvery))) {
            run.awaitStderr("hopper-test: paused at " + pauseAt, 180);
            run.kill9();
        }
        List<String> left = tables(out);
        // the final write (outputs, leaderboard, the checkpoint's drop) is one operation: killed during it, nothing of it shows
        assertEquals(List.of(out + "_checkpoint"), left, pauseAt + ": only the checkpoint while interrupted");
        String resumedOut;
        try (ForkedHopper resumed = new ForkedHopper(store, null, fit(out, "--resume", "--checkpoint-every", checkpointEvery))) {
            assertEquals(0, resumed.await(300), resumed::stderr);
            resumedOut = resumed.stdout();
        }
        assertTrue(resumedOut.contains("resumed at iteration "), resumedOut);
        assertEquals(List.of(out, out + "_info", out + "_leaderboard", out + "_schedule", out + "_summary"), tables(out),
                "the outputs and the leaderboard, and no checkpoint");
        Map<Integer, byte[]> actual = states(out);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), pauseAt + ": mst " + k + " has the uninterrupted run's state"));
        Set<List<Integer>> trained = new HashSet<>();
        int trainRows = 0;
        Set<Integer> attempts = new HashSet<>();
        try (Store s = new FileStore(store)) {
            for (Row r : s.readAll(out + "_schedule")) {
                attempts.add((Integer) r.get(8));
                if ("train".equals(r.get(4))) {
                    trainRows++;
                    trained.add(List.of((Integer) r.get(0), (Integer) r.get(1), (Integer) r.get(2)));
                }
            }
        }
        assertEquals(TRAIN_UNITS, trainRows, pauseAt + ": every train unit once");
        assertEquals(TRAIN_UNITS, trained.size());
        assertEquals(attemptsRun, attempts, pauseAt + ": the attempts whose units are in O_schedule");
    }

    @Test
    void killedAtAnyMomentAndResumedGivesTheUninterruptedWeights() throws Exception {
        try (ForkedHopper clean = new ForkedHopper(store, null, fit("clean"))) {
            assertEquals(0, clean.await(300), clean::stderr);
        }
        Map<Integer, byte[]> expected = states("clean");
        assertFalse(tables("clean").contains("clean_checkpoint"));
        killAndResume("first", "train-unit:1", "0", expected, Set.of(2)); // before any boundary: all again
        killAndResume("mid", "train-unit:8", "0", expected, Set.of(1, 2)); // mid-way through iteration 2 (its units since the boundary are lost)
        killAndResume("boundary", "checkpoint:3", "1", expected, Set.of(1, 2)); // just after the checkpoint of the end of iteration 2
        killAndResume("last", "final-write:2", "60", expected, Set.of(1)); // during the final write of the outputs
    }

    private static final String COMPILE_GRID = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.1, 'log']}], 'metrics': ['accuracy']}";

    /** A Hyperband search (R=3, eta=3: 5 configurations, 33 train units) with rotation and a seed: deterministic. */
    private static List<String> automl(String out, String... more) {
        List<String> args = new ArrayList<>(List.of("automl", "--source-table", "iris", "--validation-table", "iris_v",
                "--model-output-table", out, "--model-arch-table", "arch", "--model-id-list", "1", "--compile-params-grid",
                COMPILE_GRID, "--fit-params-grid", "{'batch_size': [8, 16], 'epochs': [1]}", "--automl-method", "hyperband",
                "--automl-params", "R=3, eta=3", "--schedule", "rotation", "--random-state", "11", "--workers", "2"));
        args.addAll(List.of(more));
        return args;
    }

    /** Column {@code column} of {@code table} by mst_key. */
    private static Map<Integer, Object> column(String table, int column) {
        Map<Integer, Object> values = new TreeMap<>();
        try (Store s = new FileStore(store)) {
            for (Row r : s.readAll(table)) {
                values.put((Integer) r.get(0), r.get(column));
            }
        }
        return values;
    }

    /** Kills the search at {@code pauseAt}, checks the refusals beside its checkpoint, resumes it and compares. */
    private static void killAndResumeSearch(String out, String pauseAt, Map<Integer, byte[]> expected, Set<Integer> attemptsRun)
            throws Exception {
        try (ForkedHopper run = new ForkedHopper(store, pauseAt, automl(out, "--checkpoint-every", "0"))) {
            run.awaitStderr("hopper-test: paused at " + pauseAt, 180);
            run.kill9();
        }
        assertEquals(List.of(out + "_checkpoint", out + "_mst", out + "_mst_summary"), tables(out),
                pauseAt + ": the checkpoint and the draws only");
        CliRun cli = new CliRun(store.toString());
        CliRun.Result again = cli.run(automl(out).toArray(String[]::new));
        assertEquals(HopperCli.EXIT_BAD_INPUT, again.status(), again.err());
        assertTrue(again.err().contains("--resume") && again.err().contains("hopper table drop " + out + "_checkpoint"), again.err());
        CliRun.Result seed = cli.run(automl(out, "--resume").stream().map(a -> a.equals("11") ? "12" : a).toArray(String[]::new));
        assertEquals(HopperCli.EXIT_BAD_INPUT, seed.status(), seed.err());
        assertTrue(seed.err().contains("hopper: error: --resume: --random-state 12 (the interrupted run had 11)"), seed.err());
        String resumedOut;
        try (ForkedHopper resumed = new ForkedHopper(store, null, automl(out, "--resume", "--checkpoint-every", "0"))) {
            assertEquals(0, resumed.await(300), resumed::stderr);
            resumedOut = resumed.stdout();
        }
        assertTrue(resumedOut.contains("resumed with "), resumedOut);
        assertEquals(List.of(out, out + "_info", out + "_leaderboard", out + "_mst", out + "_mst_summary", out + "_schedule", out + "_summary"),
                tables(out),
                "the outputs and no checkpoint");
        Map<Integer, Object> actual = column(out, 3);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, (byte[]) actual.get(k), pauseAt + ": mst " + k + " has the uninterrupted search's state"));
        assertEquals(column("hb_clean_info", 12), column(out + "_info", 12), "the same training losses");
        List<List<Integer>> trained = new ArrayList<>();
        Set<Integer> attempts = new HashSet<>();
        try (Store s = new FileStore(store)) {
            for (Row r : s.readAll(out + "_schedule")) {
                attempts.add((Integer) r.get(8));
                if ("train".equals(r.get(4))) {
                    trained.add(List.of((Integer) r.get(0), (Integer) r.get(1), (Integer) r.get(2)));
                }
            }
        }
        assertEquals(33, trained.size(), pauseAt + ": every train unit once");
        assertEquals(33, new HashSet<>(trained).size());
        assertEquals(attemptsRun, attempts, pauseAt + ": the attempts whose units are in O_schedule");
    }

    @Test
    void aSearchKilledAndResumedGivesTheUninterruptedWeights() throws Exception {
        try (ForkedHopper clean = new ForkedHopper(store, null, automl("hb_clean"))) {
            assertEquals(0, clean.await(300), clean::stderr);
        }
        Map<Integer, byte[]> expected = new TreeMap<>();
        column("hb_clean", 3).forEach((k, v) -> expected.put(k, (byte[]) v));
        killAndResumeSearch("hb_mid", "train-unit:20", expected, Set.of(1, 2)); // after some configurations reached their targets
        killAndResumeSearch("hb_last", "final-write:2", expected, Set.of(1)); // during the final write
    }
}
