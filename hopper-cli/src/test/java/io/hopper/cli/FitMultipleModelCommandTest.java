package io.hopper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitMultipleModelCommandTest {

    @TempDir
    Path dir;


    private CliRun.Result run(String... args) {
        return new CliRun(dir.resolve("store").toString()).run(args);
    }


    @BeforeEach
    void prepare() {
        new CliRun(dir.resolve("store").toString()).irisWithArchitecture();
        assertEquals(0, run("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst",
                "--model-id-list", "1", "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']",
                "--fit-params-list", "batch_size=16, epochs=1").status());
    }

    @Test
    void trainsAndPrintsOneLinePerConfigurationAndTheEstimate() {
        CliRun.Result r = run("fit-multiple-model", "--source-table", "iris", "--model-output-table", "out", "--model-selection-table", "mst",
                "--num-iterations", "2", "--use-caching", "--schedule", "rotation", "--workers", "3", "--memory-limit", "8g");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(5, lines.length, r.out());
        assertEquals("rank  mst_key     lr  training_loss  training_metric  status", lines[0], "the differing setting is a column");
        // ranked by training loss (no validation table): Adam lr 0.01 (mst 1) beats lr 0.001 (mst 2) after 2 iterations
        assertTrue(lines[1].matches("   1        1   0\\.01  +[0-9.]+  +[0-9.]+  ok"), lines[1]);
        assertTrue(lines[2].matches("   2        2  0\\.001  +[0-9.]+  +[0-9.]+  ok"), lines[2]);
        assertTrue(Double.parseDouble(lines[1].strip().split("\\s+")[3]) <= Double.parseDouble(lines[2].strip().split("\\s+")[3]), r.out());
        for (String n : lines[1].strip().split("\\s+")) {
            assertTrue(!n.matches("[0-9.]+") || n.replace(".", "").replaceFirst("^0+", "").length() <= 4, "4 significant digits: " + n);
        }
        assertEquals(lines[0].indexOf("status"), lines[1].lastIndexOf("ok"), "aligned");
        assertEquals(lines[1].length(), lines[2].length(), "aligned");
        assertTrue(lines[3].contains("wrote out, out_info, out_summary, out_schedule, out_leaderboard"), lines[3]);
        assertEquals("report: " + dir.resolve("store").resolve("html-reports").resolve("out.html").toAbsolutePath(), lines[4]);
        assertTrue(r.err().startsWith("memory: cache "), r.err());
        assertTrue(run("table", "list").out().contains("out_schedule"));
        String board = run("table", "show", "out_leaderboard", "--format", "csv").out();
        assertTrue(board.startsWith("rank,mst_key,lr,training_loss,training_metric,validation_loss,validation_metric,status\n1,1,0.01,"), board);
        assertEquals(List.of("dropped out", "dropped out_info", "dropped out_summary", "dropped out_schedule", "dropped out_leaderboard"),
                run("table", "drop", "out").out().strip().lines().toList());
    }

    @Test
    void badInputExitsWithTwoAndOneLine() {
        CliRun.Result r = run("fit-multiple-model", "--source-table", "iris", "--model-output-table", "out", "--model-selection-table", "mst",
                "--num-iterations", "2", "--metrics-compute-frequency", "3");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("hopper: error: metrics_compute_frequency=3 is outside 1..2"), r.err());
        assertEquals(1, r.err().strip().lines().count());
        CliRun.Result size = run("fit-multiple-model", "--source-table", "iris", "--model-output-table", "out", "--model-selection-table", "mst",
                "--num-iterations", "1", "--memory-limit", "lots");
        assertEquals(2, size.status());
        assertTrue(size.err().contains("--memory-limit 'lots' is not a size"), size.err());
        assertFalse(run("table", "list").out().contains("out"));
    }

    @Test
    void sparkEngineWithoutTheSparkModuleIsAOneLineError() {
        CliRun.Result r = run("fit-multiple-model", "--source-table", "iris", "--model-output-table", "out", "--model-selection-table", "mst",
                "--num-iterations", "1", "--engine", "spark", "--spark-master", "local[2]");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("hopper: error: --engine spark: the Spark module is not on the classpath"), r.err());
        CliRun.Result master = run("fit-multiple-model", "--source-table", "iris", "--model-output-table", "out", "--model-selection-table", "mst",
                "--num-iterations", "1", "--spark-master", "local[2]");
        assertEquals(2, master.status());
        assertTrue(master.err().contains("--spark-master is for --engine spark"), master.err());
    }

    @Test
    void resumeRefusalsAreOneLineWithExitTwo() {
        CliRun cli = new CliRun(dir.resolve("store").toString());
        List<String> fit = List.of("fit-multiple-model", "--source-table", "iris", "--model-output-table", "out", "--model-selection-table", "mst",
                "--num-iterations", "1");
        List<String> resume = new java.util.ArrayList<>(fit);
        resume.add("--resume");
        cli.refused(resume, "--resume: model_output_table 'out' has no checkpoint", "run without --resume");
        List<String> negative = new java.util.ArrayList<>(fit);
        negative.addAll(List.of("--checkpoint-every", "-1"));
        cli.refused(negative, "--checkpoint-every -1 is negative");
        cli.refused(List.of("--store-retry", "-5", "table", "list"), "--store-retry -5 is negative");
        cli.ok(fit.toArray(String[]::new));
        cli.refused(List.of("fit-multiple-model", "--replay", "out", "--model-output-table", "again", "--resume"),
                "--resume continues an interrupted fit-multiple-model run, not a replay");
    }
}
