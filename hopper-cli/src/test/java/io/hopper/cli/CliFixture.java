package io.hopper.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A store in a directory with iris packed, its validation table, and a fit of two configurations ("multi") and of one ("single"). */
final class CliFixture {
    static final String IRIS_X = "sepal_length,sepal_width,petal_length,petal_width";


    final Path dir;

    CliFixture(Path dir) {
        this.dir = dir;
        String iris = "csv:" + resource("iris.csv");
        ok("preprocess-training", "--source", iris, "--output-table", "iris", "--dependent-varname", "species",
                "--independent-varname", IRIS_X, "--partitions", "3", "--seed", "1", "--normalizing-const", "2");
        ok("preprocess-validation", "--source", iris, "--output-table", "iris_v", "--training-preprocessor-table", "iris",
                "--dependent-varname", "species", "--independent-varname", IRIS_X);
        ok("load-keras-model", "--model-arch-table", "arch", "--model-arch", resource("iris_mlp.json").toString());
        String adam = "loss='categorical_crossentropy', optimizer='Adam(lr=%s)', metrics=['accuracy']";
        ok("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst", "--model-id-list", "1",
                "--compile-params-list", String.format(adam, "0.01"), "--compile-params-list", String.format(adam, "0.001"),
                "--fit-params-list", "batch_size=16, epochs=1, callbacks=[TensorBoard(log_dir='" + dir.resolve("tb") + "')]");
        ok("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst1", "--model-id-list", "1",
                "--compile-params-list", String.format(adam, "0.01"), "--fit-params-list", "batch_size=16, epochs=1");
        ok("fit-multiple-model", "--source-table", "iris", "--validation-table", "iris_v", "--model-output-table", "multi",
                "--model-selection-table", "mst", "--num-iterations", "3", "--workers", "2");
        ok("fit-multiple-model", "--source-table", "iris", "--model-output-table", "single", "--model-selection-table", "mst1",
                "--num-iterations", "2", "--workers", "2");
    }

    CliRun.Result run(String... args) {
        return new CliRun(dir.resolve("store").toString()).run(args);
    }

    CliRun.Result ok(String... args) {
        CliRun.Result r = run(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
        return r;
    }

    static Path resource(String name) {
        try {
            return Path.of(CliFixture.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
