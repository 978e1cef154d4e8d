package io.hopper.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** evaluate, predict, export-model and report from the command line (they share one fit). */
class UsingModelsCommandsTest {
    @TempDir
    static Path dir;
    static CliFixture cli;

    @BeforeAll
    static void fit() {
        cli = new CliFixture(dir);
    }

    private static void badInput(String expected, String... args) {
        CliRun.Result r = cli.run(args);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().startsWith("hopper: error: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void everyCommandHasHelpWithItsOptions() {
        assertTrue(cli.ok("evaluate", "--help").out().contains("--test-table=T"));
        assertTrue(cli.ok("predict", "--help").out().contains("Default: prob"));
        assertTrue(cli.ok("export-model", "--help").out().contains("--out=DIR"));
        assertTrue(cli.ok("report", "--help").out().contains("--out=FILE.html"));
    }

    @Test
    void evaluatePrintsTheLossAndWritesTheTable() throws IOException {
        CliRun.Result r = cli.ok("evaluate", "--model-table", "multi", "--test-table", "iris_v", "--output-table", "e1", "--mst-key", "1");
        assertTrue(r.out().startsWith("loss=") && r.out().contains("samples=150; wrote e1"), r.out());
        assertTrue(cli.ok("table", "show", "e1", "--format", "csv").out().startsWith("loss,metric,metrics_type,loss_type"));
        badInput("--mst-key is required", "evaluate", "--model-table", "multi", "--test-table", "iris_v", "--output-table", "e2");
        cli.ok("evaluate", "--model-table", "single", "--test-table", "iris_v", "--output-table", "e2", "--mst-key", "1");
        badInput("--mst-key 4 is not in model table 'single'", "evaluate", "--model-table", "single", "--test-table", "iris_v",
                "--output-table", "e3", "--mst-key", "4");
        badInput("--mst-key 'first' is neither an mst_key nor best", "evaluate", "--model-table", "multi", "--test-table", "iris_v",
                "--output-table", "e3", "--mst-key", "first");
        // best: the leaderboard's rank 1 (O_leaderboard shows it)
        String board = cli.ok("table", "show", "multi_leaderboard", "--format", "csv").out();
        String bestKey = board.lines().skip(1).findFirst().orElseThrow().split(",")[1];
        CliRun.Result best = cli.ok("evaluate", "--model-table", "multi", "--test-table", "iris_v", "--output-table", "e_best",
                "--mst-key", "best");
        CliRun.Result byKey = cli.ok("evaluate", "--model-table", "multi", "--test-table", "iris_v", "--output-table", "e_key",
                "--mst-key", bestKey);
        assertEquals(byKey.out().replace("e_key", "e_best"), best.out());
        cli.ok("export-model", "--model-table", "multi", "--mst-key", "best", "--out", dir.resolve("export_best").toString());
        assertTrue(Files.readString(dir.resolve("export_best").resolve("manifest.json")).contains("\"mst_key\" : " + bestKey));
    }

    @Test
    void predictWritesRankedClassesOfRawRows() throws IOException {
        List<String> lines = Files.readAllLines(CliFixture.resource("iris.csv"));
        StringBuilder csv = new StringBuilder("id," + lines.get(0) + "\n");
        for (int i = 1; i < lines.size(); i++) {
            csv.append(i).append(',').append(lines.get(i)).append('\n');
        }
        Path file = dir.resolve("iris_ids.csv");
        Files.writeString(file, csv);
        CliRun.Result r = cli.ok("predict", "--model-table", "single", "--test-table", "csv:" + file, "--id-col", "id",
                "--independent-varname", CliFixture.IRIS_X, "--output-table", "p1", "--pred-type", "2");
        assertEquals("wrote 300 rows to p1", r.out().strip());
        String shown = cli.ok("table", "show", "p1", "--format", "csv").out();
        assertTrue(shown.startsWith("id,class_name,class_value,prob,rank\n1,species,"), shown);
        badInput("--pred-type 'best'", "predict", "--model-table", "single", "--test-table", "csv:" + file, "--id-col", "id",
                "--independent-varname", CliFixture.IRIS_X, "--output-table", "p2", "--pred-type", "best");
        badInput("--mst-key is required", "predict", "--model-table", "multi", "--test-table", "csv:" + file, "--id-col", "id",
                "--independent-varname", CliFixture.IRIS_X, "--output-table", "p2");

        // X defaults to the training's, recorded in O_summary: the same rows as with it given
        cli.ok("predict", "--model-table", "single", "--test-table", "csv:" + file, "--id-col", "id", "--output-table", "p3",
                "--pred-type", "2");
        assertEquals(shown, cli.ok("table", "show", "p3", "--format", "csv").out());
        badInput("--test-table '" + file + "' is not a table name but looks like a file path; did you mean csv:" + file + "?",
                "predict", "--model-table", "single", "--test-table", file.toString(), "--id-col", "id", "--output-table", "p4");
        // a semicolon CSV with NA for a missing id is read with the dialect options (and refused for the NULL id)
        Path semi = dir.resolve("iris_semi.csv");
        Files.writeString(semi, csv.toString().replace(',', ';').replaceFirst("\n1;", "\nNA;"));
        badInput("--id-col 'id' line 2 is empty (NULL)", "predict", "--model-table", "single", "--test-table", "csv:" + semi,
                "--id-col", "id", "--output-table", "p5", "--csv-delimiter", ";", "--null-string", "NA");
    }

    @Test
    void exportModelPrintsTheFilesItWrote() {
        Path out = dir.resolve("export");
        CliRun.Result r = cli.ok("export-model", "--model-table", "multi", "--mst-key", "2", "--out", out.toString());
        List<String> files = r.out().lines().toList();
        assertEquals(out.resolve("manifest.json").toString(), files.get(0));
        files.forEach(f -> assertTrue(Files.isRegularFile(Path.of(f)), f));
        badInput("--mst-key 7 is not in model table 'multi'", "export-model", "--model-table", "multi", "--mst-key", "7", "--out",
                dir.resolve("export7").toString());
        CliRun.Result byDefault = cli.ok("export-model", "--model-table", "multi", "--mst-key", "1");
        assertEquals(dir.resolve("store").resolve("model-exports").resolve("multi_mst1").resolve("manifest.json").toString(),
                byDefault.out().lines().findFirst().orElseThrow(), "exports default to a directory under the store");
        assertTrue(cli.ok("table", "list").out().lines().noneMatch(t -> t.contains("export")), "the directory is not a table");
    }

    @Test
    void reportWritesOneHtmlFileAndTheFitWroteTensorBoardRuns() throws IOException {
        Path out = dir.resolve("r.html");
        CliRun.Result r = cli.ok("report", "--model-table", "multi", "--out", out.toString());
        assertEquals(out.toAbsolutePath().toString(), r.out().strip());
        String html = Files.readString(out);
        assertTrue(html.contains("<h2>Leaderboard</h2>") && html.contains("lr=0.001"), "leaderboard");
        assertTrue(Files.isDirectory(dir.resolve("tb").resolve("mst_key_1").resolve("validation")));
        assertTrue(Files.isDirectory(dir.resolve("tb").resolve("mst_key_2").resolve("train")));
        badInput("--model-table 'nothing': table 'nothing' does not exist", "report", "--model-table", "nothing");
    }

    @Test
    void fitMultipleModelReplayReRunsAFinishedFitToTheSameWeights() {
        CliRun.Result r = cli.ok("fit-multiple-model", "--replay", "multi", "--model-output-table", "multi_again",
                "--report-out", dir.resolve("again.html").toString());
        assertTrue(r.out().contains("wrote multi_again, multi_again_info"), r.out());
        String before = cli.ok("table", "show", "multi", "--format", "json").out();
        String after = cli.ok("table", "show", "multi_again", "--format", "json").out();
        List<String> weights = weightDigests(before);
        assertEquals(2, weights.size(), before);
        assertEquals(weights, weightDigests(after));
        badInput("--replay 'multi' takes the tables", "fit-multiple-model", "--replay", "multi", "--model-output-table", "m3",
                "--num-iterations", "2");
        badInput("--source-table is required (or --replay O_DONE)", "fit-multiple-model", "--model-output-table", "m3");
    }

    private static List<String> weightDigests(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"model_weights\"\\s*:\\s*\\{[^}]*\\}").matcher(json);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }
}
