package io.hopper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GenerateModelConfigsCommandTest {
    private static final String COMPILE = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
            + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.01]}], 'metrics': ['accuracy']}";
    private static final String FIT = "{'batch_size': [8, 32], 'epochs': [1]}";

    @TempDir
    Path dir;

    private CliRun.Result run(String... args) {
        return new CliRun(dir.resolve("store").toString()).run(args);
    }

    private CliRun.Result generate(String... extra) {
        List<String> args = new ArrayList<>(List.of("generate-model-configs", "--model-arch-table", "arch",
                "--model-selection-table", "mst", "--model-id-list", "1"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @BeforeEach
    void loadArchitecture() throws Exception {
        String json = Path.of(getClass().getResource("/iris_mlp.json").toURI()).toString();
        assertEquals(0, run("load-keras-model", "--model-arch-table", "arch", "--model-arch", json).status());
    }

    /** Exit 2, one line on stderr beginning "hopper: error: " that names each input, and no mst table left. */
    private void assertBadInput(CliRun.Result r, String... named) {
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status(), r.err());
        assertTrue(r.err().startsWith("hopper: error: "), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String n : named) {
            assertTrue(r.err().contains(n), "error should name " + n + ": " + r.err());
        }
        assertTrue(run("table", "list").out().lines().noneMatch("mst"::equals));
    }

    @Test
    void gridSearchWritesTheProductAndAppendsOnlyNewConfigurations() {
        CliRun.Result first = generate("--compile-params-grid", COMPILE, "--fit-params-grid", "{'batch_size': [8], 'epochs': [1]}");
        assertEquals(0, first.status(), first.err());
        assertEquals("added 2 configurations to mst (mst_key 1..2)", first.out().strip());
        CliRun.Result second = generate("--compile-params-grid", COMPILE, "--fit-params-grid", FIT);
        assertEquals(0, second.status(), second.err());
        assertEquals("added 2 configurations to mst (mst_key 3..4)", second.out().strip());
        CliRun.Result show = run("table", "show", "mst", "--format", "csv");
        assertEquals(5, show.out().strip().lines().count(), show.out());
    }

    @Test
    void randomSearchIsReproducibleFromTheRandomState() {
        String compile = "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
                + "[{'optimizer': ['Adam'], 'lr': [0.0001, 0.1, 'log']}], 'metrics': ['accuracy']}";
        CliRun.Result r = generate("--compile-params-grid", compile, "--fit-params-grid", FIT,
                "--search-type", "random", "--num-configs", "6", "--random-state", "3");
        assertEquals(0, r.status(), r.err());
        assertEquals("added 6 configurations to mst (mst_key 1..6)", r.out().strip());
        String firstTable = run("table", "show", "mst", "--format", "csv").out();
        run("table", "drop", "mst");
        run("table", "drop", "mst_summary");
        generate("--compile-params-grid", compile, "--fit-params-grid", FIT,
                "--search-type", "random", "--num-configs", "6", "--random-state", "3");
        assertEquals(firstTable, run("table", "show", "mst", "--format", "csv").out());
    }

    @Test
    void distributionInGridSearchIsBadInput() {
        assertBadInput(generate("--compile-params-grid", "{'loss': ['mse'], 'optimizer_params_list': "
                + "[{'optimizer': ['SGD'], 'lr': [0.001, 0.1, 'log']}]}", "--fit-params-grid", FIT), "grid search", "lr");
    }

    @Test
    void randomSearchWithoutNumConfigsIsBadInput() {
        assertBadInput(generate("--compile-params-grid", COMPILE, "--fit-params-grid", FIT, "--search-type", "random"),
                "num_configs", "--num-configs");
    }

    @Test
    void valueNotInAListIsBadInput() {
        assertBadInput(generate("--compile-params-grid", COMPILE, "--fit-params-grid", "{'batch_size': 8}"), "batch_size");
    }

    @Test
    void misspelledKeyIsBadInput() {
        assertBadInput(generate("--compile-params-grid", "{'los': ['mse'], 'optimizer': ['SGD']}", "--fit-params-grid", FIT),
                "los");
    }

    @Test
    void unknownModelIdIsBadInput() {
        assertBadInput(run("generate-model-configs", "--model-arch-table", "arch", "--model-selection-table", "mst",
                "--model-id-list", "1,4", "--compile-params-grid", COMPILE, "--fit-params-grid", FIT), "model id 4");
    }

    @Test
    void unknownSearchTypeIsBadInput() {
        assertBadInput(generate("--compile-params-grid", COMPILE, "--fit-params-grid", FIT, "--search-type", "bayes"),
                "--search-type", "bayes");
    }

    @Test
    void anotherArchitectureTableIsBadInput() throws Exception {
        generate("--compile-params-grid", COMPILE, "--fit-params-grid", FIT);
        String json = Path.of(getClass().getResource("/iris_mlp.json").toURI()).toString();
        run("load-keras-model", "--model-arch-table", "arch2", "--model-arch", json);
        CliRun.Result r = run("generate-model-configs", "--model-arch-table", "arch2", "--model-selection-table", "mst",
                "--model-id-list", "1", "--compile-params-grid", COMPILE, "--fit-params-grid", FIT);
        assertEquals(HopperCli.EXIT_BAD_INPUT, r.status(), r.err());
        assertTrue(r.err().contains("'arch2'") && r.err().contains("'mst'"), r.err());
    }
}
