package io.hopper.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several inputs and outputs from the command line, end to end on a directory store (MultiIoPostgresIT runs the same
 * flow on PostgreSQL): a CSV with two feature groups packed as x_0, x_1 (and two labels as y_0, y_1), MADlib's
 * two-input iris model and a sepal/petal two-input model trained by fit-multiple-model with --use-caching, then
 * evaluate, predict and export-model (keras and onnx) on them; mismatches are one-line errors with exit 2.
 */
class MultiIoCommandsTest {
    static final String SEPAL = "sepal_length,sepal_width";
    static final String PETAL = "petal_length,petal_width";
    static final String ALL = SEPAL + "," + PETAL;

    @TempDir
    Path dir;

    /** iris.csv with an id and a second label of 3 classes, petal_size (small, medium, large by petal length). */
    static Path irisMulti(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(CliFixture.resource("iris.csv"));
        List<String> out = new ArrayList<>();
        out.add("id," + lines.get(0) + ",petal_size");
        for (int i = 1; i < lines.size(); i++) {
            double petal = Double.parseDouble(lines.get(i).split(",")[2]);
            out.add(i + "," + lines.get(i) + "," + (petal < 2.5 ? "small" : petal < 5 ? "medium" : "large"));
        }
        Path csv = dir.resolve("iris_multi.csv");
        Files.write(csv, out);
        return csv;
    }

    @Test
    void twoInputModelsTrainEvaluatePredictAndExportFromACsvWithTwoFeatureGroups() throws IOException {
        flow(new CliRun(dir.resolve("store").toString()), dir);
    }

    /** The whole flow on one store; {@code dir} holds the CSV and the exports. */
    static void flow(CliRun cli, Path dir) throws IOException {
        String csv = "csv:" + irisMulti(dir);
        // two inputs (sepal, petal), one output
        String packed = cli.ok("preprocess-training", "--source", csv, "--output-table", "iris2", "--dependent-varname", "species",
                "--independent-varname", SEPAL, "--independent-varname", PETAL, "--partitions", "2", "--seed", "1",
                "--validation-fraction", "0.2", "--validation-output-table", "iris2_v");
        assertTrue(packed.contains("iris2 (summary iris2_summary)"), packed);
        String summary = cli.ok("table", "show", "iris2_summary");
        assertTrue(summary.contains("\"format_version\":2") && summary.contains("\"x_1_sample_shape\":[2]")
                && summary.contains("\"independent_varname\":[\"" + SEPAL + "\",\"" + PETAL + "\"]"), summary);
        cli.ok("load-keras-model", "--model-arch-table", "arch", "--model-arch", CliFixture.resource("iris_sepal_petal.json").toString());
        cli.ok("load-keras-model", "--model-arch-table", "arch", "--model-arch", CliFixture.resource("madlib_iris_multi_io.json").toString());
        cli.ok("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst1", "--model-id-list", "1",
                "--compile-params-list", "loss='categorical_crossentropy', optimizer='Adam(lr=0.02)', metrics=['accuracy']",
                "--fit-params-list", "batch_size=16, epochs=2");
        cli.ok("fit-multiple-model", "--source-table", "iris2", "--validation-table", "iris2_v", "--model-output-table", "o2",
                "--model-selection-table", "mst1", "--num-iterations", "6", "--use-caching", "--workers", "2", "--seed", "5");
        String info = cli.ok("table", "show", "o2_info");
        assertFalse(info.contains("output_names"), "a single-output fit's O_info is unchanged: " + info);
        assertTrue(cli.ok("table", "show", "o2_summary").contains("\"independent_varname\":\"" + SEPAL + ";" + PETAL + "\""));
        String evaluated = cli.ok("evaluate", "--model-table", "o2", "--test-table", "iris2_v", "--output-table", "o2_eval");
        assertTrue(evaluated.startsWith("loss="), evaluated);
        double accuracy = Double.parseDouble(evaluated.replaceAll("(?s).*metric=([0-9.]+).*", "$1"));
        assertTrue(accuracy > 0.6, "a two-input model learns iris: " + evaluated);
        cli.ok("predict", "--model-table", "o2", "--test-table", csv, "--id-col", "id", "--output-table", "o2_pred", "--pred-type", "1");
        String predicted = cli.ok("table", "show", "o2_pred", "--format", "csv");
        assertEquals(151, predicted.lines().count(), predicted);
        assertTrue(predicted.lines().skip(1).allMatch(l -> l.split(",")[1].equals("species")), predicted);
        cli.ok("predict", "--model-table", "o2", "--test-table", csv, "--id-col", "id", "--output-table", "o2_pred2", "--pred-type", "1",
                "--independent-varname", SEPAL, "--independent-varname", PETAL);
        assertEquals(predicted, cli.ok("table", "show", "o2_pred2", "--format", "csv"), "the training's groups by default");
        cli.refused(List.of("predict", "--model-table", "o2", "--test-table", csv, "--id-col", "id", "--output-table", "o2_bad",
                "--independent-varname", ALL), "1 groups", "has 2 inputs", "one --independent-varname group per input");
        cli.ok("export-model", "--model-table", "o2", "--out", dir.resolve("o2_keras").toString());
        String keras = Files.readString(dir.resolve("o2_keras/manifest.json"));
        assertTrue(keras.contains("\"inputs\"") && keras.contains("\"petal_width\""), keras);
        cli.ok("export-model", "--model-table", "o2", "--out", dir.resolve("o2_onnx").toString(), "--format", "onnx");
        assertTrue(Files.size(dir.resolve("o2_onnx/model.onnx")) > 0);
        // automl on the same table: a random search of two configurations, then predict with its best
        cli.ok("automl", "--source-table", "iris2", "--validation-table", "iris2_v", "--model-output-table", "am2", "--model-arch-table",
                "arch", "--model-id-list", "1", "--compile-params-grid", "{'loss': ['categorical_crossentropy'], 'optimizer_params_list': "
                        + "[{'optimizer': ['Adam'], 'lr': [0.001, 0.1, 'log']}], 'metrics': ['accuracy']}",
                "--fit-params-grid", "{'batch_size': [16], 'epochs': [1]}", "--automl-method", "random", "--automl-params",
                "num_configs=2, R=2", "--use-caching", "--random-state", "3", "-q");
        cli.ok("predict", "--model-table", "am2", "--mst-key", "best", "--test-table", csv, "--id-col", "id", "--output-table", "am2_pred",
                "--pred-type", "1");
        assertEquals(151, cli.ok("table", "show", "am2_pred", "--format", "csv").lines().count());
        // MADlib's model (2 inputs of [4], 2 outputs of 3 classes) does not fit iris2: one line naming both, exit 2
        cli.ok("load-model-selection-table", "--model-arch-table", "arch", "--model-selection-table", "mst2", "--model-id-list", "2",
                "--compile-params-list", "loss=['categorical_crossentropy', 'categorical_crossentropy'], loss_weights=[1.0, 0.5], "
                        + "optimizer='Adam(lr=0.02)', metrics=['accuracy']",
                "--fit-params-list", "batch_size=16, epochs=2");
        cli.refused(List.of("fit-multiple-model", "--source-table", "iris2", "--model-output-table", "bad",
                        "--model-selection-table", "mst2", "--num-iterations", "1"),
                "table 'iris2' packs 2 inputs (x_0: [2], x_1: [2]) and 1 output (y_0: 3 classes)",
                "model_id 2 of 'arch' has 2 inputs ([4], [4]) and 2 outputs ([3], [3])");
        // two inputs and two outputs: MADlib's multi-IO iris model
        cli.ok("preprocess-training", "--source", csv, "--output-table", "iris3", "--dependent-varname", "species",
                "--dependent-varname", "petal_size", "--independent-varname", ALL, "--independent-varname", ALL, "--partitions", "2",
                "--seed", "1", "--validation-fraction", "0.2", "--validation-output-table", "iris3_v");
        cli.ok("fit-multiple-model", "--source-table", "iris3", "--validation-table", "iris3_v", "--model-output-table", "o3",
                "--model-selection-table", "mst2", "--num-iterations", "4", "--use-caching", "--workers", "2", "--seed", "5");
        String info3 = cli.ok("table", "show", "o3_info");
        assertTrue(info3.contains("\"output_names\":[\"dense_4\",\"dense_5\"]") && info3.contains("validation_metrics_per_output_final"),
                info3);
        cli.ok("evaluate", "--model-table", "o3", "--test-table", "iris3_v", "--output-table", "o3_eval");
        String eval3 = cli.ok("table", "show", "o3_eval");
        assertTrue(eval3.contains("\"output_names\":[\"dense_4\",\"dense_5\"]") && eval3.contains("\"output_losses\":["), eval3);
        cli.ok("predict", "--model-table", "o3", "--test-table", csv, "--id-col", "id", "--output-table", "o3_pred", "--pred-type", "1");
        List<String> rows3 = cli.ok("table", "show", "o3_pred", "--format", "csv").lines().skip(1).toList();
        assertEquals(300, rows3.size());
        assertEquals("species", rows3.get(0).split(",")[1]);
        assertEquals("petal_size", rows3.get(1).split(",")[1]);
        assertTrue(List.of("small", "medium", "large").contains(rows3.get(1).split(",")[2]), rows3.get(1));
        cli.ok("export-model", "--model-table", "o3", "--out", dir.resolve("o3_onnx").toString(), "--format", "onnx");
        assertTrue(Files.readString(dir.resolve("o3_onnx/manifest.json")).contains("\"petal_size\""));
        cli.ok("export-model", "--model-table", "o3", "--out", dir.resolve("o3_keras").toString());
        // a validation table must pack the training's groups
        cli.refused(List.of("preprocess-validation", "--source", csv, "--output-table", "iris3_v2", "--training-preprocessor-table", "iris3",
                "--dependent-varname", "species", "--independent-varname", ALL),
                "1 --independent-varname groups and 1 --dependent-varname columns but training table 'iris3' has 2 inputs");
    }
}
