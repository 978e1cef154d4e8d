package io.hopper.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HopperCliTest {

    @TempDir
    Path dir;


    private CliRun.Result run(String... args) {
        return new CliRun(dir.resolve("store").toString()).run(args);
    }

    private static String irisJson() throws URISyntaxException {
        return Path.of(HopperCliTest.class.getResource("/iris_mlp.json").toURI()).toString();
    }

    @Test
    void versionPrintsHopperAndJava() {
        CliRun.Result r = run("--version");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("hopper "), r.out());
        assertTrue(r.out().contains("Java "), r.out());
    }

    @Test
    void unknownCommandIsBadInputWithOneLine() {
        CliRun.Result r = run("no-such-command");
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().startsWith("hopper: error: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void archSummaryOfTheIrisMlpCounts193() throws Exception {
        CliRun.Result r = run("arch-summary", "--model-arch", irisJson());
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals("total_params=193 trainable_params=193 non_trainable_params=0", lines.get(lines.size() - 1));
    }

    @Test
    void loadKerasModelPrintsIdsAndTablesListAndShow() throws Exception {
        CliRun.Result first = run("load-keras-model", "--model-arch-table", "arch", "--model-arch", irisJson(), "--name", "iris mlp");
        assertEquals(0, first.status(), first.err());
        assertEquals("1", first.out().strip());
        CliRun.Result second = run("load-keras-model", "--model-arch-table", "arch", "--model-arch", irisJson());
        assertEquals("2", second.out().strip());

        CliRun.Result list = run("table", "list");
        assertEquals(List.of("arch"), list.out().strip().lines().toList());

        CliRun.Result show = run("table", "show", "arch", "--format", "csv");
        assertEquals(0, show.status(), show.err());
        List<String> lines = show.out().strip().lines().toList();
        assertEquals("model_id,model_arch,model_weights,name,description", lines.get(0));

        CliRun.Result fromTable = run("arch-summary", "--model-arch-table", "arch", "--model-id", "2");
        assertTrue(fromTable.out().strip().endsWith("total_params=193 trainable_params=193 non_trainable_params=0"), fromTable.out());
    }

    @Test
    void aKerasFileLoadsItsArchitectureAndSaysItsWeightsAreNotRead() throws Exception {
        // Keras 3's model.save('m.keras'): a zip of metadata.json, config.json (the model.to_json() document) and weights
        Path keras = dir.resolve("m.keras");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(keras))) {
            for (String entry : List.of("metadata.json", "config.json", "model.weights.h5")) {
                zip.putNextEntry(new java.util.zip.ZipEntry(entry));
                zip.write(entry.equals("config.json") ? Files.readAllBytes(Path.of(irisJson())) : "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        CliRun.Result summary = run("arch-summary", "--model-arch", keras.toString());
        assertTrue(summary.out().strip().endsWith("total_params=193 trainable_params=193 non_trainable_params=0"), summary.out());
        CliRun.Result load = run("load-keras-model", "--model-arch-table", "arch", "--model-arch", keras.toString());
        assertEquals(0, load.status(), load.err());
        assertEquals("1", load.out().strip());
        assertTrue(load.err().startsWith("hopper: note: read the architecture of " + keras) && load.err().contains("--model-weights"),
                load.err());
        java.nio.ByteBuffer floats = java.nio.ByteBuffer.allocate(193 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        Path weights = Files.write(dir.resolve("w.bin"), floats.array());
        CliRun.Result withWeights = run("load-keras-model", "--model-arch-table", "arch", "--model-arch", keras.toString(),
                "--model-weights", weights.toString());
        assertEquals("2", withWeights.out().strip());
        assertEquals("", withWeights.err(), "weights given: nothing to note");

        Path h5 = Files.write(dir.resolve("m.h5"), new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
        CliRun.Result refused = run("load-keras-model", "--model-arch-table", "arch", "--model-arch", h5.toString());
        assertEquals(HopperCli.EXIT_BAD_INPUT, refused.status());
        assertEquals(1, refused.err().strip().lines().count(), refused.err());
        assertTrue(refused.err().contains("is an HDF5 file") && refused.err().contains("model.to_json()"), refused.err());
    }

    @Test
    void loadModelSelectionTableWritesTheDeduplicatedCrossProduct() throws Exception {
        run("load-keras-model", "--model-arch-table", "arch", "--model-arch", irisJson());
        CliRun.Result r = run("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst",
                "--model-id-list", "1",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']",
                "--compile-params-list", "optimizer='Adam(learning_rate=0.01)',loss='categorical_crossentropy',metrics=['acc']",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.001)', metrics=['accuracy']",
                "--fit-params-list", "batch_size=16, epochs=1", "--fit-params-list", "batch_size=32, epochs=1");
        assertEquals(0, r.status(), r.err());
        assertEquals("wrote 4 configurations to mst", r.out().strip());
        CliRun.Result show = run("table", "show", "mst", "--format", "csv");
        assertEquals(5, show.out().strip().lines().count(), show.out());
    }

    @Test
    void unknownModelIdIsRefusedAndLeavesNoTable() throws Exception {
        run("load-keras-model", "--model-arch-table", "arch", "--model-arch", irisJson());
        CliRun.Result r = run("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst",
                "--model-id-list", "7", "--compile-params-list", "loss='mse', optimizer='SGD'", "--fit-params-list", "batch_size=8");
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().startsWith("hopper: error: ") && r.err().contains("7"), r.err());
        assertFalse(run("table", "list").out().contains("mst"));
    }

    @Test
    void missingArchitectureFileNamesThePath() {
        CliRun.Result r = run("load-keras-model", "--model-arch-table", "arch", "--model-arch", dir.resolve("nope.json").toString());
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().contains("nope.json") && r.err().contains("does not exist"), r.err());
    }

    @Test
    void badTableNameIsRefused() {
        CliRun.Result r = run("table", "drop", "x;drop");
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().contains("x;drop"), r.err());
    }

    @Test
    void showingAMissingTableSaysHowToListTables() {
        CliRun.Result r = run("table", "show", "ghost");
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().contains("ghost") && r.err().contains("table list"), r.err());
    }

    @Test
    void dropRemovesTheTable() throws Exception {
        run("load-keras-model", "--model-arch-table", "arch", "--model-arch", irisJson());
        CliRun.Result r = run("table", "drop", "arch");
        assertEquals(0, r.status(), r.err());
        assertEquals("dropped arch", r.out().strip());
        assertTrue(run("table", "list").out().isBlank());
        assertTrue(Files.isDirectory(dir.resolve("store")));
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("table", "preprocess-training", "preprocess-validation", "load-keras-model", "arch-summary",
                "load-model-selection-table", "generate-model-configs", "fit-multiple-model", "automl", "evaluate", "predict", "export-model", "report")) {
            CliRun.Result r = run(command, "--help");
            assertEquals(0, r.status(), command + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: hopper " + command), command + ": " + r.out());
        }
    }

    @Test
    void aStackOverflowOrOutOfMemoryAnywhereIsOneLineSayingWhatToChange() {
        java.io.StringWriter text = new java.io.StringWriter();
        java.io.PrintWriter err = new java.io.PrintWriter(text);
        assertEquals(HopperCli.EXIT_FAILURE, HopperCli.fatal(new StackOverflowError(), err, false));
        assertEquals(HopperCli.EXIT_FAILURE, HopperCli.fatal(new OutOfMemoryError("Java heap space"), err, false));
        err.flush();
        List<String> lines = text.toString().lines().toList();
        assertEquals(2, lines.size(), text.toString());
        assertTrue(lines.get(0).startsWith("hopper: error: the input is nested too deeply") && lines.get(0).contains("-Xss"), lines.get(0));
        assertTrue(lines.get(1).startsWith("hopper: error: out of memory (Java heap space, Java heap at most ")
                && lines.get(1).contains("-Xmx"), lines.get(1));
    }

    @Test
    void errorLinesEscapeControlCharactersAndAreCapped() {
        assertEquals("a b \\u001b[31mred", HopperCli.oneLine("a\n  b \u001b[31mred"));
        String cut = HopperCli.oneLine("x".repeat(5000));
        assertEquals(HopperCli.MAX_MESSAGE_CHARS + " (5000 characters)".length() + 3, cut.length());
        assertTrue(cut.endsWith("... (5000 characters)"), cut);
    }

    private static CliRun.Result bare(String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = HopperCli.run(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        return new CliRun.Result(status, out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void globalOptionsWorkBeforeOrAfterTheCommandName() throws Exception {
        String store = dir.resolve("store").toString();
        CliRun.Result load = bare("load-keras-model", "--model-arch-table", "arch", "--model-arch", irisJson(), "--store", store);
        assertEquals(0, load.status(), load.err());
        assertEquals(List.of("arch"), bare("table", "list", "--store", store).out().strip().lines().toList());
        assertEquals(List.of("arch"), bare("table", "--store", store, "list").out().strip().lines().toList());
        assertEquals(List.of("arch"), bare("--store", store, "table", "list").out().strip().lines().toList());
        CliRun.Result debug = bare("table", "show", "ghost", "--store", store, "--debug");
        assertEquals(HopperCli.EXIT_BAD_INPUT, debug.status());
        assertTrue(debug.err().contains("\tat "), "--debug after the command prints the stack trace: " + debug.err());
    }

    @Test
    void misspelledOptionsAndCommandsGetSuggestions() {
        CliRun.Result option = run("fit-multiple-model", "--model-output-table", "o", "--num-iteration", "3");
        assertEquals(HopperCli.EXIT_BAD_INPUT, option.status());
        assertTrue(option.err().contains("'--num-iteration'") && option.err().contains("did you mean '--num-iterations'?"), option.err());
        CliRun.Result beforeRequired = run("fit-multiple-model", "--num-iteration", "3");
        assertTrue(beforeRequired.err().contains("did you mean '--num-iterations'?"),
                "the misspelling is reported rather than the missing required option: " + beforeRequired.err());
        CliRun.Result command = run("fit-multiple-models");
        assertEquals(HopperCli.EXIT_BAD_INPUT, command.status());
        assertTrue(command.err().contains("did you mean 'fit-multiple-model'"), command.err());
        CliRun.Result global = bare("--stor", "x", "table", "list");
        assertTrue(global.err().contains("did you mean '--store'"), global.err());
        assertEquals(1, command.err().lines().count(), command.err());
    }

    @Test
    void helpOfAnUnknownCommandIsAnError() {
        CliRun.Result r = run("fit", "--help");
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status(), r.out());
        assertTrue(r.out().isEmpty(), "no help is printed: " + r.out());
        assertTrue(r.err().startsWith("hopper: error: ") && r.err().contains("'fit'")
                && r.err().contains("did you mean 'fit-multiple-model'"), r.err());
    }
}
