package io.hopper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.hopper.cli.CliRun.data;
import static io.hopper.cli.PreprocessTrainingCommandTest.IRIS_X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hopper preprocess-validation} end to end on a directory store. */
class PreprocessValidationCommandTest {
    @TempDir
    Path dir;
    private CliRun cli;

    @BeforeEach
    void trainingTable() {
        cli = new CliRun(dir.resolve("store").toString());
        cli.ok("preprocess-training", "--source", "csv:" + data("iris.csv"), "--output-table", "iris_train",
                "--dependent-varname", "species", "--independent-varname", IRIS_X, "--partitions", "3", "--normalizing-const", "2");
    }

    private static List<String> validate(String csv, String out, String training) {
        return List.of("preprocess-validation", "--source", "csv:" + data(csv), "--output-table", out,
                "--training-preprocessor-table", training, "--dependent-varname", "species", "--independent-varname", IRIS_X);
    }

    @Test
    void packsWithTheTrainingClassesAndConstant() {
        String out = cli.ok(validate("iris.csv", "iris_val", "iris_train").toArray(String[]::new));
        assertEquals("packed 150 rows into 3 buffers of up to 50 rows on 3 partitions: iris_val (summary iris_val_summary)", out.strip());
        List<String> summary = cli.ok("table", "show", "iris_val_summary", "--format", "csv").strip().lines().toList();
        assertTrue(summary.get(1).contains(",text,\"{setosa,versicolor,virginica}\",50,2.0,3,all_segments,3,,iris_train,1,{4},150,3"),
                summary.get(1));
    }

    @Test
    void refusesUnknownClassesMissingTrainingAndExistingTables() {
        cli.refused(validate("broken/iris-unknown-class.csv", "val", "iris_train"), "iris-unknown-class.csv", "line 4",
                "'versicolour'", "not among the class values [setosa, versicolor, virginica]");
        cli.refused(validate("iris.csv", "val", "nothing"), "'nothing'", "no summary table 'nothing_summary'");
        cli.refused(validate("iris.csv", "iris_train", "iris_train"), "'iris_train'", "already exists");
        cli.refused(List.of("preprocess-validation", "--source", "csv:" + data("iris.csv"), "--output-table", "val",
                "--training-preprocessor-table", "iris_train", "--dependent-varname", "species",
                "--independent-varname", "sepal_length"), "X has shape [1] but training table 'iris_train' has [4]");
    }
}
