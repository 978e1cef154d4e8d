package io.hopper.engine.spark;

import io.hopper.cli.HopperCli;
import io.hopper.store.FileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkFitMainTest {
    @TempDir
    Path dir;

    @Test
    void theHopperCommandRunsAFitOnSpark() {
        try (FitFixture f = new FitFixture(dir)) {
            f.mst("mst", List.of("0.01", "0.001"), List.of("batch_size=16, epochs=1"));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = SparkFitMain.withSparkEngine(List.of("--store", dir.resolve("store").toString(),
                "fit-multiple-model", "--source-table", FitFixture.TABLE, "--model-output-table", "out",
                "--model-selection-table", "mst", "--num-iterations", "1", "--use-caching", "--spark-master", "local[2]"));
        int status = HopperCli.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("trained 2 configurations for 1 iterations on 2 workers"), printed);
        try (FileStore store = new FileStore(dir.resolve("store"))) {
            assertEquals(2, store.readAll("out").size());
            assertEquals(2 * 3 * 2, store.readAll("out_schedule").size()); // train and eval units
        }
    }

    @Test
    void theHopperCommandRunsAnAutomlSearchOnSpark() {
        new FitFixture(dir).close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = HopperCli.run(new String[] {"--store", dir.resolve("store").toString(), "automl", "--engine", "spark",
            "--spark-master", "local[2]", "--source-table", FitFixture.TABLE, "--model-output-table", "am", "--model-arch-table", "arch",
            "--model-id-list", "1", "--automl-method", "asha", "--automl-params", "R=3, eta=3, num_configs=3",
            "--compile-params-grid", "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': [{'optimizer': ['Adam'], "
                + "'lr': [0.001, 0.1, 'log']}], 'metrics': ['accuracy']}", "--fit-params-grid", "{'batch_size': [16], 'epochs': [1]}",
            "--report-out", dir.resolve("am.html").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).strip().lines().toList();
        assertEquals("mst_key  stopped_at  iterations  training_loss", lines.get(0));
        assertEquals(3, lines.stream().filter(l -> l.contains(" rung ")).count(), lines.toString());
        try (FileStore store = new FileStore(dir.resolve("store"))) {
            assertEquals(3, store.readAll("am").size());
            assertTrue(store.readAll("am_schedule").stream().anyMatch(r -> "driver".equals(r.get(7))), "units ran on Spark");
        }
    }

    @Test
    void addsTheSparkEngineToAFitThatNamesNone() {
        assertEquals(List.of("--store", "s", "fit-multiple-model", "--source-table", "t", "--engine", "spark"),
                SparkFitMain.withSparkEngine(List.of("--store", "s", "fit-multiple-model", "--source-table", "t")));
    }

    @Test
    void leavesOtherCommandsAndExplicitEnginesAlone() {
        List<String> explicit = List.of("fit-multiple-model", "--engine=local");
        assertEquals(explicit, SparkFitMain.withSparkEngine(explicit));
        List<String> other = List.of("arch-summary", "--model-arch-table", "a");
        assertEquals(other, SparkFitMain.withSparkEngine(other));
    }
}
