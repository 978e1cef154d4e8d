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
    void predictByomWithWeightsLoadedFromAFitMatchesPredict() throws IOException {
        Path weights = dir.resolve("single.f32");
        try (io.hopper.api.Hopper h = io.hopper.api.Hopper.open(dir.resolve("store").toString())) {
            float[] w = io.hopper.predict.ChosenModel.read(h.store(), "single", java.util.OptionalInt.empty()).kerasWeights();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * w.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(w);
            Files.write(weights, b.array());
        }
        cli.ok("load-keras-model", "--model-arch-table", "byom", "--model-arch", CliFixture.resource("iris_mlp.json").toString());
        cli.ok("load-keras-model", "--model-arch-table", "byom", "--model-arch", CliFixture.resource("iris_mlp.json").toString(),
                "--model-weights", weights.toString());
        String iris = "csv:" + CliFixture.resource("iris.csv");
        cli.ok("predict", "--model-table", "single", "--test-table", iris, "--id-col", "species", "--independent-varname", CliFixture.IRIS_X,
                "--output-table", "pb1", "--pred-type", "prob");
        CliRun.Result r = cli.ok("predict-byom", "--model-arch-table", "byom", "--model-id", "2", "--test-table", iris, "--id-col", "species",
                "--independent-varname", CliFixture.IRIS_X, "--output-table", "pb2", "--class-values", "setosa,versicolor,virginica",
                "--normalizing-const", "2");
        assertEquals("wrote 450 rows to pb2", r.out().strip());
        String predicted = cli.ok("table", "show", "pb1", "--format", "csv").out();
        String byom = cli.ok("table", "show", "pb2", "--format", "csv").out();
        assertTrue(byom.contains(",dependent_var,setosa,"), byom);
        assertEquals(predicted.replace(",species,", ",dependent_var,"), byom);
        badInput("model_id 1 of 'byom' has no weights", "predict-byom", "--model-arch-table", "byom", "--model-id", "1", "--test-table", iris,
                "--id-col", "species", "--independent-varname", CliFixture.IRIS_X, "--output-table", "pb3");
        badInput("--class-values has 2 values but model_id 2 of 'byom' has 3 outputs", "predict-byom", "--model-arch-table", "byom",
                "--model-id", "2", "--test-table", iris, "--id-col", "species", "--independent-varname", CliFixture.IRIS_X,
                "--output-table", "pb3", "--class-values", "a,b");
        String indexes = cli.ok("predict-byom", "--model-arch-table", "byom", "--model-id", "2", "--test-table", iris, "--id-col", "species",
                "--independent-varname", CliFixture.IRIS_X, "--output-table", "pb4", "--pred-type", "response").out();
        assertEquals("wrote 150 rows to pb4", indexes.strip());
        assertTrue(cli.ok("table", "show", "pb4", "--format", "csv").out().lines().skip(1).allMatch(l -> l.matches("[^,]+,dependent_var,[012],.*,1")));
        // the rows options are predict's: a semicolon CSV is read with --csv-delimiter, giving the same rows
        Path semi = dir.resolve("iris_semi_byom.csv");
        Files.writeString(semi, Files.readString(CliFixture.resource("iris.csv")).replace(',', ';'));
        cli.ok("predict-byom", "--model-arch-table", "byom", "--model-id", "2", "--test-table", "csv:" + semi, "--id-col", "species",
                "--independent-varname", CliFixture.IRIS_X, "--output-table", "pb5", "--class-values", "setosa,versicolor,virginica",
                "--normalizing-const", "2", "--csv-delimiter", ";");
        assertEquals(byom, cli.ok("table", "show", "pb5", "--format", "csv").out());
    }

    @Test
    void deleteKerasModelRemovesOneArchitectureAndDropsTheTableWithTheLast() {
        cli.ok("load-keras-model", "--model-arch-table", "del", "--model-arch", CliFixture.resource("iris_mlp.json").toString());
        cli.ok("load-keras-model", "--model-arch-table", "del", "--model-arch", CliFixture.resource("iris_mlp.json").toString());
        assertEquals("deleted model_id 1 from del", cli.ok("delete-keras-model", "--model-arch-table", "del", "--model-id", "1").out().strip());
        badInput("model_id 1 is not in architecture table 'del' (it has [2])", "delete-keras-model", "--model-arch-table", "del", "--model-id", "1");
        assertTrue(cli.ok("delete-keras-model", "--model-arch-table", "del", "--model-id", "2").out().contains("the table is dropped"));
        assertTrue(cli.ok("table", "list").out().lines().noneMatch("del"::equals));
        badInput("architecture table 'del' does not exist", "delete-keras-model", "--model-arch-table", "del", "--model-id", "2");
    }

    @Test
    void hyperbandSchedulePrintsMadlibsBracketTable() {
        String table = cli.ok("hyperband-schedule", "--R", "9", "--eta", "3", "--skip-last", "0", "--output-table", "hb").out();
        assertEquals("s,i,n_i,r_i\n2,0,9,1\n2,1,3,3\n2,2,1,9\n1,0,3,3\n1,1,1,9\n0,0,3,9\n", table);
        assertEquals(table, cli.ok("table", "show", "hb", "--format", "csv").out());
        assertEquals("s,i,n_i,r_i\n2,0,9,1\n2,1,3,3\n1,0,3,3\n", cli.ok("hyperband-schedule", "--R", "9", "--skip-last", "1").out());
        badInput("skip_last=3 must be between 0 and s_max=2", "hyperband-schedule", "--R", "9", "--skip-last", "3");
        badInput("--output-table 'hb' already exists", "hyperband-schedule", "--output-table", "hb");
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
        Path onnx = dir.resolve("onnx");
        CliRun.Result o = cli.ok("export-model", "--model-table", "multi", "--mst-key", "2", "--out", onnx.toString(), "--format", "onnx");
        assertEquals(List.of(onnx.resolve("manifest.json").toString(), onnx.resolve("model.onnx").toString()), o.out().lines().toList());
        assertTrue(Files.isRegularFile(onnx.resolve("model.onnx")));
        badInput("--format 'tflite' is not an export format; use keras or onnx", "export-model", "--model-table", "multi", "--mst-key", "2",
                "--out", dir.resolve("tflite").toString(), "--format", "tflite");
        assertTrue(Files.notExists(dir.resolve("tflite")));
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
