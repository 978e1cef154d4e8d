package io.hopper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges of input an attacker or a clumsy user reaches, each through the hopper command: a one-line refusal
 * (exit 2) or failure (exit 1) naming the input and the fix, no stack trace, echoed input escaped and capped.
 */
class InputEdgesTest {
    private static final String ADAM = "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)', metrics=['accuracy']";
    private static final String COMPILE_GRID = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.01]}], 'metrics': ['accuracy']}";
    private static final String FIT_GRID = "{'batch_size': [8], 'epochs': [1]}";

    @TempDir
    Path dir;
    private CliRun cli;

    @BeforeEach
    void store() {
        cli = new CliRun(dir.resolve("store").toString());
        cli.irisWithArchitecture();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private Path file(String name, String text) throws IOException {
        return file(name, text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> preprocess(Path csv, String y, String x) {
        return List.of("preprocess-training", "--source", "csv:" + csv, "--output-table", "p", "--dependent-varname", y,
                "--independent-varname", x, "--partitions", "1");
    }

    private static String nested(String open, String close, int depth, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    @Test
    void valuesBeyondFloat32AreRefused() throws IOException {
        Path csv = file("big.csv", "a,b,y\n1,2,x\n1e39,2,z\n");
        cli.refused(preprocess(csv, "y", "a,b"), "big.csv: line 3: X value 1.0E39", "beyond float32's range",
                "--normalizing-const");
        cli.ok(List.of("preprocess-training", "--source", "csv:" + csv, "--output-table", "p", "--dependent-varname", "y",
                "--independent-varname", "a,b", "--partitions", "1", "--normalizing-const", "1e10").toArray(String[]::new));
    }

    @Test
    void labelsThatAreNotUtf8AreRefusedNotMerged() throws IOException {
        byte[] latin1 = "a,y\n1,caf\u00e9\n2,caf\u00e8\n".getBytes(StandardCharsets.ISO_8859_1);
        cli.refused(preprocess(file("latin1.csv", latin1), "y", "a"), "latin1.csv", "is not valid UTF-8", "iconv");
    }

    @Test
    void aDuplicatedHeaderColumnIsRefused() throws IOException {
        cli.refused(preprocess(file("dup.csv", "a,b,a,y\n1,2,3,x\n"), "y", "a,b"), "dup.csv", "names column 'a' twice",
                "(fields 1 and 3)", "rename one");
    }

    @Test
    void deeplyNestedArraysParameterStringsAndKerasJsonAreRefused() throws IOException {
        Path csv = file("deep.csv", "x,y\n\"" + nested("[", "]", 40, "1") + "\",a\n");
        cli.refused(preprocess(csv, "y", "x"), "deep.csv", "nests deeper than 32 levels");

        cli.refused(List.of("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "m",
                "--model-id-list", "1", "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.01)',"
                        + " metrics=" + nested("[", "]", 10_000, "'accuracy'"), "--fit-params-list", "batch_size=8, epochs=1"),
                "compile_params", "brackets nest deeper than 32 levels");

        Path json = file("deep.json", "{\"class_name\": \"Sequential\", \"config\": " + nested("[", "]", 100_000, "") + "}");
        cli.refused(List.of("load-keras-model", "--model-arch-table", "arch", "--model-arch", json.toString()),
                "model_arch: the JSON nests deeper than 64 levels");
    }

    @Test
    void idxDimensionsWhoseProductOverflowsAreRefused() throws IOException {
        Path images = dir.resolve("huge-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(0x803);
            out.writeInt(1);
            out.writeInt(65536);
            out.writeInt(65536);
        }
        Path labels = dir.resolve("labels-idx1-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(labels))) {
            out.writeInt(0x801);
            out.writeInt(1);
            out.writeByte(3);
        }
        cli.refused(List.of("preprocess-training", "--source", "idx:" + images + "," + labels, "--output-table", "p",
                "--dependent-varname", "label", "--independent-varname", "image", "--partitions", "1"),
                "images of 65536x65536 pixels (4294967296)", "1 to 16777216 pixels");
    }

    @Test
    void duplicateKeysInParameterStringsAreRefusedNamingTheKey() {
        cli.refused(List.of("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "m",
                "--model-id-list", "1", "--compile-params-list", ADAM + ", loss='mse'", "--fit-params-list", "batch_size=8, epochs=1"),
                "compile_params: key 'loss' appears twice", "give each key once");
        cli.refused(List.of("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "m",
                "--model-id-list", "1", "--compile-params-list", ADAM, "--fit-params-list", "batch_size=8, epochs=1, batch_size=16"),
                "fit_params: key 'batch_size' appears twice");
        cli.refused(List.of("generate-model-configs", "--model-arch-table", "arch", "--model-selection-table", "m",
                "--model-id-list", "1", "--compile-params-grid", COMPILE_GRID, "--fit-params-grid",
                "{'batch_size': [8], 'batch_size': [16], 'epochs': [1]}"), "appears twice", "give each key once");
    }

    @Test
    void searchSizesAreCapped() {
        cli.refused(List.of("generate-model-configs", "--model-arch-table", "arch", "--model-selection-table", "m",
                "--model-id-list", "1", "--compile-params-grid", COMPILE_GRID, "--fit-params-grid", FIT_GRID,
                "--search-type", "random", "--num-configs", "1000000000"), "num_configs=1000000000", "between 1 and 100000");
        for (String method : List.of("random", "asha")) {
            cli.refused(List.of("automl", "--source-table", "iris", "--model-output-table", "out", "--model-arch-table", "arch",
                    "--model-id-list", "1", "--compile-params-grid", COMPILE_GRID, "--fit-params-grid", FIT_GRID,
                    "--automl-method", method, "--automl-params", "R=9, num_configs=1000000000"),
                    method + ": num_configs=1000000000 must be between 1 and 100000");
        }
        cli.refused(List.of("automl", "--source-table", "iris", "--model-output-table", "out", "--model-arch-table", "arch",
                "--model-id-list", "1", "--compile-params-grid", COMPILE_GRID, "--fit-params-grid", FIT_GRID,
                "--automl-method", "hyperband", "--automl-params", "R=1000000, eta=2"), "hyperband:", "more than 100000");
    }

    @Test
    void aHugeDenseLayerIsRefusedBeforeAnyWeightIsBuilt() throws IOException {
        String json = Files.readString(CliFixture.resource("iris_mlp.json")).replaceFirst("\"units\": 10", "\"units\": 1000000000");
        cli.ok("load-keras-model", "--model-arch-table", "huge", "--model-arch", file("huge.json", json).toString());
        cli.ok("load-model-selection-table", "--model-arch-table", "huge", "--model-selection-table", "m", "--model-id-list", "1",
                "--compile-params-list", ADAM, "--fit-params-list", "batch_size=8, epochs=1");
        long start = System.nanoTime();
        cli.refused(List.of("fit-multiple-model", "--source-table", "iris", "--model-selection-table", "m",
                "--model-output-table", "out", "--num-iterations", "1"), "model_id 1 has", "parameters", "use a smaller architecture");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "refused without initialising 10^10 weights");
    }

    @Test
    void echoedInputIsCappedAndControlCharactersEscaped() throws IOException {
        String huge = "c".repeat(10 << 20);
        cli.refused(preprocess(file("wide.csv", "a," + huge + ",y\n1,2,x\n"), "y", "nope"), "no column 'nope' in the header");
        String err = cli.run(preprocess(dir.resolve("wide.csv"), "y", "nope").toArray(String[]::new)).err();
        assertTrue(err.length() < 2000, "the 10 MB header is not echoed: " + err.length() + " characters");
        assertTrue(err.contains("characters)"), err);

        String red = "\u001b[31mred\u001b[0m";
        String escErr = cli.refused(preprocess(file("esc.csv", "a," + red + ",y\n1,2,x\n"), "y", "nope"), "\\x1b[31mred").err();
        assertFalse(escErr.contains("\u001b"), "no raw escape character reaches the terminal");
    }

    @Test
    void aDirectoryAsArchitectureAndAFileAsStoreAreOneLineErrors() throws IOException {
        cli.refused(List.of("load-keras-model", "--model-arch-table", "arch", "--model-arch", dir.toString()), "is a directory");
        Path notADir = file("store.txt", "x");
        CliRun.Result r = new CliRun(notADir.toString()).run("table", "list");
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("hopper: error: --store: '" + notADir + "' is a file, not a directory"), r.err());
    }

    @Test
    void runningOutOfHeapIsOneLineSayingWhatToChange() throws Exception {
        Path csv = dir.resolve("long-line.csv");
        try (OutputStream out = Files.newOutputStream(csv)) {
            out.write("a,y\n".getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "1".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 48; i++) {
                out.write(chunk);
            }
            out.write(",x\n".getBytes(StandardCharsets.UTF_8));
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
                "-cp", System.getProperty("java.class.path"), HopperCli.class.getName(), "--store", dir.resolve("oom").toString()));
        cmd.addAll(preprocess(csv, "y", "a"));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(HopperCli.EXIT_FAILURE, p.exitValue(), out + err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("hopper: error: out of memory (") && err.contains("-Xmx") && err.contains("make the input smaller"), err);
    }
}
