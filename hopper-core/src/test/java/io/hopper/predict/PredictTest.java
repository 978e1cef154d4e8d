package io.hopper.predict;

import io.hopper.data.SourceSpec;
import io.hopper.model.runtime.EvalResult;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictTest {
    @TempDir
    static Path dir;
    static Fitted fitted;
    static SourceSpec csv;
    static Map<String, String> labels = new HashMap<>();

    @BeforeAll
    static void fit() throws IOException {
        fitted = new Fitted(dir);
        List<String> lines = Files.readAllLines(Fitted.resource("data/iris.csv"));
        List<String> out = new ArrayList<>(List.of("id," + lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                out.add("r" + i + "," + lines.get(i));
                labels.put("r" + i, lines.get(i).substring(lines.get(i).lastIndexOf(',') + 1));
            }
        }
        Path file = dir.resolve("iris_ids.csv");
        Files.write(file, out);
        csv = new SourceSpec.Csv(file);
    }

    private static PredictSpec spec(String out, PredType type, OptionalInt key, int workers) {
        return new PredictSpec("multi", csv, "id", Fitted.IRIS_X, out, type, key, workers);
    }

    private static List<Row> rows(String table) {
        return fitted.store.readAll(table);
    }

    @Test
    void probabilitiesMatchTheTrainingRuntimesLossWithTheNormalizingConstantApplied() {
        long written = new Predict(fitted.store).run(spec("p_prob", PredType.PROB, OptionalInt.of(1), 2));
        assertEquals(150 * 3, written);
        EvalResult evaluated = new Evaluate(fitted.store).run(new EvaluateSpec("multi", "iris_v", "e_check", OptionalInt.of(1), 2));
        double loss = 0;
        Map<String, Double> sums = new HashMap<>();
        for (Row r : rows("p_prob")) {
            assertEquals("species", r.get(1));
            sums.merge((String) r.get(0), (Double) r.get(3), Double::sum);
            if (labels.get((String) r.get(0)).equals(r.get(2))) {
                loss -= Math.log((Double) r.get(3));
            }
        }
        sums.values().forEach(s -> assertEquals(1.0, s, 1e-5));
        assertEquals(evaluated.loss(), loss / 150, 1e-5);
    }

    @Test
    void resultsDoNotDependOnTheNumberOfWorkers() {
        new Predict(fitted.store).run(spec("p_w1", PredType.PROB, OptionalInt.of(2), 1));
        new Predict(fitted.store).run(spec("p_w3", PredType.PROB, OptionalInt.of(2), 3));
        assertEquals(rows("p_w1").toString(), rows("p_w3").toString());
    }

    @Test
    void responseTopKAndThresholdKeepTheRankedClasses() {
        new Predict(fitted.store).run(spec("p_resp", PredType.RESPONSE, OptionalInt.of(1), 2));
        new Predict(fitted.store).run(spec("p_top2", PredType.parse("2"), OptionalInt.of(1), 2));
        new Predict(fitted.store).run(spec("p_thr", PredType.parse("0.5"), OptionalInt.of(1), 2));
        new Predict(fitted.store).run(spec("p_all", PredType.PROB, OptionalInt.of(1), 2));
        List<Row> response = rows("p_resp");
        assertEquals(150, response.size());
        response.forEach(r -> assertEquals(1, r.get(4)));
        List<Row> top2 = rows("p_top2");
        assertEquals(300, top2.size());
        List<Row> all = rows("p_all");
        for (int i = 0; i < 150; i++) {
            assertEquals(all.get(3 * i).toString(), response.get(i).toString());
            assertEquals(all.get(3 * i + 1).toString(), top2.get(2 * i + 1).toString());
            assertTrue((Double) all.get(3 * i).get(3) >= (Double) all.get(3 * i + 1).get(3));
        }
        long above = all.stream().filter(r -> (Double) r.get(3) > 0.5).count();
        assertEquals(above, rows("p_thr").size());
        rows("p_thr").forEach(r -> assertTrue((Double) r.get(3) > 0.5));
        long correct = response.stream().filter(r -> labels.get((String) r.get(0)).equals(r.get(2))).count();
        assertTrue(correct > 50, "better than chance: " + correct);
    }

    @Test
    void readsATableWithAnArrayColumnAndIntegerIds() {
        List<Row> raw = new ArrayList<>();
        List<Row> csvRows = new ArrayList<>();
        int id = 0;
        for (String line : Fitted.text("data/iris.csv").lines().skip(1).filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split(",");
            raw.add(Row.of(++id, List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]), Double.parseDouble(f[3]))));
        }
        fitted.store.write("iris_raw", Schema.of("id", ColumnType.INT, "attributes", ColumnType.DOUBLE_ARRAY), raw);
        new Predict(fitted.store).run(new PredictSpec("single", PredictSpec.testSource("iris_raw"), "id", "attributes", "p_table",
                PredType.RESPONSE, OptionalInt.empty(), 2));
        new Predict(fitted.store).run(new PredictSpec("single", csv, "id", Fitted.IRIS_X, "p_csv", PredType.RESPONSE, OptionalInt.empty(), 2));
        List<Row> fromTable = rows("p_table");
        assertEquals(1, fromTable.get(0).get(0), "an INT id column keeps its type");
        assertEquals(ColumnType.INT, fitted.store.schema("p_table").columns().get(0).type());
        assertEquals("r1", rows("p_csv").get(0).get(0));
        csvRows.addAll(rows("p_csv"));
        for (int i = 0; i < 150; i++) {
            assertEquals(csvRows.get(i).get(2), fromTable.get(i).get(2));
            assertEquals((Double) csvRows.get(i).get(3), (Double) fromTable.get(i).get(3), 1e-6);
        }
    }

    @Test
    void everyRuleIsAOneLineErrorNamingTheInput() {
        Predict predict = new Predict(fitted.store);
        String required = assertThrows(IllegalArgumentException.class,
                () -> predict.run(spec("p_x", PredType.PROB, OptionalInt.empty(), 1))).getMessage();
        assertTrue(required.contains("--mst-key is required") && required.contains("[1, 2]"), required);
        String refused = assertThrows(IllegalArgumentException.class, () -> predict.run(new PredictSpec("single", csv, "id", Fitted.IRIS_X,
                "p_x", PredType.PROB, OptionalInt.of(2), 1))).getMessage();
        assertTrue(refused.contains("--mst-key 2 is not in model table 'single'") && refused.contains("leave --mst-key out"), refused);
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> predict.run(spec("p_x", PredType.PROB, OptionalInt.of(9), 1))).getMessage();
        assertTrue(unknown.contains("--mst-key 9 is not in") && unknown.contains("[1, 2]"), unknown);
        String tooMany = assertThrows(IllegalArgumentException.class,
                () -> predict.run(spec("p_x", PredType.parse("4"), OptionalInt.of(1), 1))).getMessage();
        assertTrue(tooMany.contains("--pred-type 4 is more than the 3 classes"), tooMany);
        String shape = assertThrows(IllegalArgumentException.class, () -> predict.run(new PredictSpec("multi", csv, "id",
                "sepal_length,sepal_width,petal_length", "p_x", PredType.PROB, OptionalInt.of(1), 1))).getMessage();
        assertTrue(shape.contains("--independent-varname") && shape.contains("[3]") && shape.contains("[4]"), shape);
        String idInX = assertThrows(IllegalArgumentException.class, () -> predict.run(new PredictSpec("multi", csv, "sepal_length",
                Fitted.IRIS_X, "p_x", PredType.PROB, OptionalInt.of(1), 1))).getMessage();
        assertTrue(idInX.contains("--id-col 'sepal_length' is also in --independent-varname"), idInX);
        String noModel = assertThrows(IllegalArgumentException.class, () -> predict.run(new PredictSpec("iris", csv, "id",
                Fitted.IRIS_X, "p_x", PredType.PROB, OptionalInt.of(1), 1))).getMessage();
        assertTrue(noModel.contains("--model-table 'iris' is not a model table"), noModel);
        String exists = assertThrows(IllegalArgumentException.class,
                () -> predict.run(spec("iris", PredType.PROB, OptionalInt.of(1), 1))).getMessage();
        assertTrue(exists.contains("--output-table 'iris' already exists"), exists);
        String workers = assertThrows(IllegalArgumentException.class, () -> spec("p_x", PredType.PROB, OptionalInt.of(1), 0)).getMessage();
        assertTrue(workers.contains("--workers 0"), workers);
        String testTable = assertThrows(IllegalArgumentException.class, () -> PredictSpec.testSource("no table")).getMessage();
        assertTrue(testTable.contains("--test-table 'no table'"), testTable);
        assertFalse(fitted.store.exists("p_x"));
    }
}
