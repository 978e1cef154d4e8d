package io.hopper.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.hopper.cli.CliRun.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hopper preprocess-training} end to end on a directory store, including every bad-input rule. */
class PreprocessTrainingCommandTest {
    static final String IRIS_X = "sepal_length,sepal_width,petal_length,petal_width";

    @TempDir
    Path dir;
    private CliRun cli;

    @BeforeEach
    void store() {
        cli = new CliRun(dir.resolve("store").toString());
    }

    /** The arguments of a training run from a source into "out", with more options after. */
    static List<String> train(String source, String y, String x, String... more) {
        List<String> args = new ArrayList<>(List.of("preprocess-training", "--source", source, "--output-table", "out",
                "--dependent-varname", y, "--independent-varname", x, "--partitions", "2"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void packsIrisAndShowsTheSummary() {
        String out = cli.ok("preprocess-training", "--source", "csv:" + data("iris.csv"), "--output-table", "iris_packed",
                "--dependent-varname", "species", "--independent-varname", IRIS_X, "--partitions", "2", "--seed", "7");
        assertEquals("packed 150 rows into 2 buffers of up to 75 rows on 2 partitions: iris_packed (summary iris_packed_summary)",
                out.strip());
        assertEquals(List.of("iris_packed", "iris_packed_summary"), cli.tables());
        String summary = cli.ok("table", "show", "iris_packed_summary", "--format", "csv");
        List<String> lines = summary.strip().lines().toList();
        assertEquals(2, lines.size(), summary);
        assertTrue(lines.get(0).startsWith("source_table,output_table,dependent_varname,independent_varname,dependent_vartype,"
                + "class_values,buffer_size,normalizing_const,num_classes,distribution_rules"), lines.get(0));
        assertTrue(lines.get(1).startsWith("csv:" + data("iris.csv") + ",iris_packed,species,\"" + IRIS_X
                + "\",text,\"{setosa,versicolor,virginica}\",75,1.0,3,all_segments,2,7,,1,{4},150,2"), lines.get(1));
        String packed = cli.ok("table", "show", "iris_packed", "--format", "json");
        assertTrue(packed.contains("\"x_shape\":[75,4]") && packed.contains("\"y_shape\":[75,3]"), packed);
        assertEquals(out, cli.run("preprocess-training", "--source", "csv:" + data("iris.csv"), "--output-table", "again",
                "--dependent-varname", "species", "--independent-varname", IRIS_X, "--partitions", "2", "--seed", "7").out()
                .replace("again", "iris_packed"));
        assertEquals(packed, cli.ok("table", "show", "again", "--format", "json"), "the same seed packs the same bytes");
    }

    @Test
    void packsMnistImagesWithTheirShape() {
        cli.ok(train("idx:" + data("mnist-100-images-idx3-ubyte.gz") + "," + data("mnist-100-labels-idx1-ubyte.gz"), "label", "image",
                "--normalizing-const", "255").toArray(String[]::new));
        String packed = cli.ok("table", "show", "out", "--format", "json");
        assertTrue(packed.contains("\"x_shape\":[50,28,28,1]"), packed);
        assertTrue(cli.ok("table", "show", "out_summary", "--format", "csv").contains(",255.0,10,all_segments,"));
    }

    @Test
    void sqlSourcesNeedAPostgresStore() {
        cli.refused(train("sql:SELECT a, b FROM t", "b", "a"), "hopper: error: sql:SELECT a, b FROM t: sql: sources need a PostgreSQL store"
                + " (--store jdbc:postgresql://...); use csv:, idx: or table: with a directory store");
    }

    @Test
    void everyBadInputIsOneLineWithStatus2AndLeavesNoTable() {
        String iris = "csv:" + data("iris.csv");
        String images = data("mnist-100-images-idx3-ubyte.gz");
        String labels = data("mnist-100-labels-idx1-ubyte.gz");
        cli.refused(train("csv:" + dir.resolve("nope.csv"), "species", IRIS_X), "nope.csv", "not found");
        cli.refused(train("table:missing", "species", IRIS_X), "table:missing", "no table 'missing'");
        cli.refused(train("csv:" + data("broken/empty.csv"), "species", IRIS_X), "empty.csv", "empty");
        cli.refused(train("csv:" + data("broken/header-only.csv"), "species", IRIS_X), "header-only.csv", "no rows");
        cli.refused(train("csv:" + data("broken/no-header.csv"), "species", IRIS_X), "no-header.csv", "no column names");
        cli.refused(train("csv:" + data("adult-200.csv"), "Salary", "age,workclass"),
                "column 'workclass' line 2 is not numeric ('State-gov'); encode it first or leave it out of --independent-varname");
        cli.refused(train("csv:" + data("broken/ragged.csv"), "species", IRIS_X), "ragged.csv", "line 5 has 4 fields");
        cli.refused(train("csv:" + data("broken/ragged-array.csv"), "y", "x"), "ragged-array.csv", "line 4",
                "X has shape [2] but the first row's X has [3]");
        cli.refused(train("csv:" + data("broken/missing-x.csv"), "species", IRIS_X), "missing-x.csv", "column 'sepal_width' line 5");
        cli.refused(train(iris, "species", IRIS_X, "--buffer-size", "0"), "--buffer-size 0 is not positive");
        cli.refused(train(iris, "species", IRIS_X, "--normalizing-const", "0"), "--normalizing-const 0");
        cli.refused(train(iris, "species", IRIS_X, "--normalizing-const", "-255"), "--normalizing-const -255");
        List<String> zeroPartitions = train(iris, "species", IRIS_X);
        zeroPartitions.set(zeroPartitions.indexOf("--partitions") + 1, "0");
        cli.refused(zeroPartitions, "--partitions 0 is not positive");
        cli.refused(train(iris, "species", IRIS_X, "--num-classes", "2"), "--num-classes 2 is below the 3 distinct values");
        cli.refused(train("idx:" + data("broken/bad-magic-images-idx3-ubyte") + "," + labels, "label", "image"), "bad-magic", "0x00000804");
        cli.refused(train("idx:" + images + "," + data("broken/mnist-99-labels-idx1-ubyte.gz"), "label", "image"), "100 images", "99 labels");
        cli.refused(train("idx:" + data("broken/truncated-images-idx3-ubyte.gz") + "," + labels, "label", "image"),
                "truncated-images", "is truncated");
        cli.refused(train("parquet:x.parquet", "y", "x"), "'parquet:x.parquet'", "unknown source kind");
        cli.ok(train(iris, "species", IRIS_X).toArray(String[]::new));
        cli.refused(train(iris, "species", IRIS_X), "--output-table 'out'", "already exists");
        assertEquals(List.of("out", "out_summary"), cli.tables());
    }

    @Test
    void validationSplitPacksBothTablesFromTheCommandLine() {
        String out = cli.ok("preprocess-training", "--source", "csv:" + data("iris.csv"), "--output-table", "tr",
                "--dependent-varname", "species", "--independent-varname", IRIS_X, "--partitions", "3", "--seed", "1",
                "--validation-fraction", "0.2", "--validation-output-table", "va");
        List<String> lines = out.strip().lines().toList();
        assertEquals(2, lines.size(), out);
        assertTrue(lines.get(0).contains(": tr (summary tr_summary)") && lines.get(1).contains(": va (summary va_summary)"), out);
        int train = Integer.parseInt(lines.get(0).split(" ")[1]);
        int val = Integer.parseInt(lines.get(1).split(" ")[1]);
        assertEquals(150, train + val, out);
        assertEquals(List.of("tr", "tr_summary", "va", "va_summary"), cli.tables());
        String summary = cli.ok("table", "show", "va_summary", "--format", "csv");
        assertTrue(summary.contains(",va,species,") && summary.contains(",3,,tr,1,{4}," + val + ","), summary);
        cli.refused(List.of("preprocess-training", "--source", "csv:" + data("iris.csv"), "--output-table", "t2",
                "--dependent-varname", "species", "--independent-varname", IRIS_X, "--validation-fraction", "0.2"),
                "--validation-fraction and --validation-output-table go together");
        cli.refused(List.of("preprocess-training", "--source", "csv:" + data("iris.csv"), "--output-table", "t2",
                "--dependent-varname", "species", "--independent-varname", IRIS_X, "--validation-fraction", "1.5",
                "--validation-output-table", "v2"), "--validation-fraction 1.5 is not between 0 and 1");
    }

    @Test
    void csvDialectOptionsReadSemicolonsQuotesBomCrlfAndNullStrings() throws Exception {
        Path csv = dir.resolve("semi.csv");
        java.nio.file.Files.writeString(csv, "\uFEFFa;b;\"label; quoted\"\r\n1;2;\"x;y\"\r\n3;4;NA\r\n5;6;z\r\n");
        String out = cli.ok(train("csv:" + csv, "label; quoted", "a,b", "--csv-delimiter", ";", "--null-string", "NA").toArray(String[]::new));
        assertTrue(out.startsWith("packed 3 rows"), out);
        String summary = cli.ok("table", "show", "out_summary", "--format", "csv");
        assertTrue(summary.contains("\"{NULL,x;y,z}\""), "NA is a missing value, a class of its own: " + summary);
        cli.ok("table", "drop", "out");
        cli.refused(train("csv:" + csv, "label; quoted", "a,b"), "no column 'a' in the header", "a;b;");
        Path tabs = dir.resolve("tabs.tsv");
        java.nio.file.Files.writeString(tabs, "a\tb\tlabel\n1\t2\tx\n3\t4\ty\n");
        cli.ok("preprocess-training", "--source", "csv:" + tabs, "--output-table", "tabbed", "--dependent-varname", "label",
                "--independent-varname", "a,b", "--csv-delimiter", "\\t");
        cli.refused(train("csv:" + csv, "label", "a,b", "--csv-delimiter", ";;"), "--csv-delimiter ';;'", "one character");
        cli.refused(train("table:raw", "label", "a,b", "--null-string", "NA"), "apply to csv:PATH sources");
        cli.refused(train(data("iris.csv"), "species", IRIS_X), "did you mean csv:" + data("iris.csv") + "?");
    }
}
