package io.hopper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutomlCommandTest {
    private static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.1, 'log']}], 'metrics': ['accuracy']}";
    private static final String FIT = "{'batch_size': [16], 'epochs': [1]}";

    @TempDir
    Path dir;

    private CliRun.Result run(String... args) {
        return new CliRun(dir.resolve("store").toString()).run(args);
    }


    @BeforeEach
    void prepare() {
        new CliRun(dir.resolve("store").toString()).irisWithArchitecture();
    }

    private CliRun.Result automl(String... extra) {
        List<String> args = new ArrayList<>(List.of("automl", "--source-table", "iris", "--model-output-table", "out",
                "--model-arch-table", "arch", "--model-id-list", "1", "--compile-params-grid", COMPILE, "--fit-params-grid", FIT,
                "--workers", "2"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** Exit 2, one line on stderr beginning "hopper: error: " that names each input, and nothing written. */
    private void assertBadInput(CliRun.Result r, String... named) {
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status(), r.err());
        assertTrue(r.err().startsWith("hopper: error: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String n : named) {
            assertTrue(r.err().contains(n), "error should name " + n + ": " + r.err());
        }
        assertTrue(run("table", "list").out().lines().noneMatch(t -> t.startsWith("out")), run("table", "list").out());
    }

    @Test
    void hyperbandPrintsWhereEachConfigurationStopped() {
        CliRun.Result r = automl("--automl-method", "hyperband", "--automl-params", "R=3, eta=3, skip_last=0");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals("mst_key  stopped_at  iterations  training_loss", lines.get(0));
        assertEquals(8, lines.size(), r.out());
        assertEquals(1, lines.subList(1, 4).stream().filter(l -> l.contains(" s=1 i=1  3  ")).count(), r.out());
        assertEquals(2, lines.subList(1, 4).stream().filter(l -> l.contains(" s=1 i=0  1  ")).count(), r.out());
        assertTrue(lines.get(4).startsWith("4  s=0 i=0  3  ") && lines.get(5).startsWith("5  s=0 i=0  3  "), r.out());
        assertTrue(lines.get(6).startsWith("best mst_key ") && lines.get(6).contains("in 1 fits")
                && lines.get(6).endsWith("wrote out, out_info, out_summary, out_schedule, out_leaderboard, out_mst"), lines.get(6));
        assertReport(lines.get(7), "bracket 1 round 0");
        List<String> tables = run("table", "list").out().strip().lines().toList();
        assertTrue(tables.containsAll(List.of("out", "out_info", "out_summary", "out_leaderboard", "out_mst", "out_mst_summary")), tables.toString());
    }

    @Test
    void ashaRunsAsOneSessionAndWritesItsSchedule() {
        CliRun.Result r = automl("--automl-method", "asha", "--automl-params", "R=3, eta=3, num_configs=4");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(7, lines.size(), r.out());
        assertTrue(lines.subList(1, 5).stream().allMatch(l -> l.contains(" rung 0  1  ") || l.contains(" rung 1  3  ")), r.out());
        assertTrue(lines.get(5).contains("in 1 fits") && lines.get(5).endsWith("wrote out, out_info, out_summary, out_schedule, out_leaderboard, out_mst"),
                lines.get(5));
        assertReport(lines.get(6), "rung 0");
        assertTrue(run("table", "list").out().lines().anyMatch("out_schedule"::equals));
    }

    /** The last line is the path of the search's HTML report, which tells where configurations stopped. */
    private void assertReport(String line, String stage) {
        assertTrue(line.startsWith("report: "), line);
        Path report = Path.of(line.substring("report: ".length()));
        assertEquals(dir.resolve("store").resolve("html-reports").resolve("out.html").toAbsolutePath(), report);
        try {
            String html = Files.readString(report);
            assertTrue(html.contains("<h1>AutoML search: out</h1>") && html.contains("<tr data-stage=\"" + stage + "\">"), line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(0, run("report", "--model-table", "out", "--out", dir.resolve("again.html").toString()).status(),
                "hopper report accepts an automl output");
    }

    @Test
    void theOutputOfEveryMethodServesEvaluatePredictAndExportAndDropsWithItsMstTable() throws IOException {
        Path csv = dir.resolve("iris_ids.csv");
        List<String> lines = Files.readAllLines(CliRun.resource("iris.csv"));
        StringBuilder rows = new StringBuilder("id," + lines.get(0) + "\n");
        for (int i = 1; i < lines.size(); i++) {
            rows.append(i).append(',').append(lines.get(i)).append('\n');
        }
        Files.writeString(csv, rows);
        for (String[] method : new String[][] {{"asha", "R=3, eta=3, num_configs=3"}, {"hyperband", "R=3, eta=3"},
            {"random", "R=1, num_configs=2"}, {"tpe", "num_configs=3, num_iterations=1, n_startup=2"},
            {"pbt", "population=2, interval=1, iterations=2"}}) {
            CliRun.Result r = automl("--automl-method", method[0], "--automl-params", method[1]);
            assertEquals(0, r.status(), r.err());
            String best = r.out().lines().filter(l -> l.startsWith("best mst_key ")).findFirst().orElseThrow().split(" ")[2];
            CliRun.Result e = run("evaluate", "--model-table", "out", "--test-table", "iris", "--output-table", "out_eval",
                    "--mst-key", best);
            assertEquals(0, e.status(), method[0] + ": " + e.err());
            assertTrue(run("table", "show", "out_eval", "--format", "csv").out().startsWith("loss,metric,metrics_type,loss_type"));
            CliRun.Result p = run("predict", "--model-table", "out", "--test-table", "csv:" + csv, "--id-col", "id",
                    "--independent-varname", "sepal_length,sepal_width,petal_length,petal_width", "--output-table", "out_pred",
                    "--mst-key", best);
            assertEquals(0, p.status(), method[0] + ": " + p.err());
            assertTrue(run("table", "show", "out_pred", "--format", "csv").out().startsWith("id,class_name,class_value,prob,rank"));
            CliRun.Result x = run("export-model", "--model-table", "out", "--mst-key", best, "--out", dir.resolve(method[0]).toString());
            assertEquals(0, x.status(), method[0] + ": " + x.err());
            assertEquals(0, run("report", "--model-table", "out", "--out", dir.resolve(method[0] + ".html").toString()).status());
            String dropped = run("table", "drop", "out").out();
            assertTrue(dropped.contains("dropped out_mst\n") && dropped.contains("dropped out_mst_summary"), dropped);
            run("table", "drop", "out_eval");
            run("table", "drop", "out_pred");
            List<String> left = run("table", "list").out().strip().lines().toList();
            assertEquals(List.of("arch", "iris", "iris_summary"), left.stream().sorted().toList(), method[0]);
        }
    }

    @Test
    void resumeWithoutACheckpointAndANegativeIntervalAreBadInput() {
        assertBadInput(automl("--resume"), "--resume", "'out_checkpoint'", "run without --resume");
        assertBadInput(automl("--checkpoint-every", "-1"), "--checkpoint-every -1");
    }

    @Test
    void unknownAutomlParamsKeyIsBadInput() {
        assertBadInput(automl("--automl-params", "R=3, eta=3, skiplast=1"), "'skiplast'", "skip_last");
    }

    @Test
    void ashaWithoutNumConfigsIsBadInput() {
        assertBadInput(automl("--automl-method", "asha", "--automl-params", "R=3, eta=3"), "num_configs");
    }

    @Test
    void unknownMethodIsBadInput() {
        assertBadInput(automl("--automl-method", "hyperopt"), "--automl-method", "hyperopt");
    }

    @Test
    void tpeAndPbtParamsBreakingARuleAreBadInput() {
        assertBadInput(automl("--automl-method", "tpe", "--automl-params", "num_configs=4, bucket_size=5"), "bucket_size=5",
                "num_configs=4");
        assertBadInput(automl("--automl-method", "tpe", "--automl-params", "algorithm=atpe"), "algorithm=atpe");
        assertBadInput(automl("--automl-method", "pbt", "--automl-params", "population=4, interval=3, iterations=3"),
                "interval=3", "iterations=3");
        assertBadInput(automl("--automl-method", "pbt", "--automl-params", "population=4, interval=1"), "iterations");
    }

    @Test
    void nonIntegerParamIsBadInput() {
        assertBadInput(automl("--automl-params", "R=three"), "R=three");
    }

    @Test
    void badGridIsBadInput() {
        assertBadInput(run("automl", "--source-table", "iris", "--model-output-table", "out", "--model-arch-table", "arch",
                "--model-id-list", "1", "--compile-params-grid", COMPILE, "--fit-params-grid", "{'batch_size': 16}"), "batch_size");
    }
}
