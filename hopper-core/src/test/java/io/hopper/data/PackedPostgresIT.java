package io.hopper.data;

import io.hopper.store.FileStore;
import io.hopper.store.PostgresStore;
import io.hopper.store.Row;
import io.hopper.store.Store;
import io.hopper.store.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preprocessors against a real PostgreSQL store (HOPPER_TEST_PG_URL, default the server .ci/start-postgres.sh
 * starts): packed tables and summaries read back, byte-identical to a FileStore's. Skipped when the server is
 * unreachable, unless CI=true. Works in a fresh schema {@code hopper_data_it}.
 */
class PackedPostgresIT {
    private static final String SCHEMA_NAME = "hopper_data_it";

    @TempDir
    Path dir;
    private String url;
    private Store pg;

    @BeforeEach
    void server() throws SQLException {
        url = TestPostgres.freshSchema(SCHEMA_NAME);
        pg = new PostgresStore(url);
    }

    @AfterEach
    void close() {
        if (pg != null) {
            pg.close();
        }
    }

    private void sql(String... statements) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(url, new Properties()); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** MADlib's iris_data layout, created in SQL. */
    private void madlibIris() throws SQLException {
        sql("CREATE TABLE iris_data (id serial, attributes numeric[], class_text varchar, class_integer integer,"
                        + " sepal_length numeric, petal_width real, small smallint[], reals real[])",
                "INSERT INTO iris_data (attributes, class_text, class_integer, sepal_length, petal_width, small, reals) VALUES"
                        + " ('{5.1,3.5,1.4,0.2}', 'Iris-setosa', 1, 5.1, 0.2, '{1,2}', '{0.5,1}'),"
                        + " ('{7.0,3.2,4.7,1.4}', 'Iris-versicolor', 2, 7.0, 1.4, '{3,4}', '{1.5,2}'),"
                        + " ('{6.3,3.3,6.0,2.5}', NULL, 3, 6.3, 2.5, '{5,6}', '{2.5,3}'),"
                        + " ('{4.9,3.0,1.4,0.2}', 'Iris-setosa', 1, 4.9, 0.2, '{7,8}', '{3.5,4}')");
    }

    private PackedSummary pack(String source, String out, String y, String x) {
        return new TrainingPreprocessor(pg).preprocess(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse(source))
                .setOutputTable(out).setDependentVarname(y).setIndependentVarname(x).optPartitions(2).build());
    }

    @Test
    void packsAMadlibStyleTableMadeInSql() throws SQLException {
        madlibIris();
        PackedSummary s = pack("table:iris_data", "iris_data_packed", "class_text", "attributes");
        assertEquals(java.util.Arrays.asList(null, "Iris-setosa", "Iris-versicolor"), s.classValues());
        assertEquals("text", s.dependentVartype());
        assertEquals(List.of(4), s.sampleShape());
        assertEquals(List.of(2, 2), List.of(PackedTables.readPartition(pg, "iris_data_packed", 0).get(0).rows(),
                PackedTables.readPartition(pg, "iris_data_packed", 1).get(0).rows()));
        float[] x = new float[16];
        int[] n = {0};
        PackedTables.scan(pg, "iris_data_packed", b -> {
            System.arraycopy(b.x(), 0, x, n[0], b.x().length);
            n[0] += b.x().length;
        });
        float sum = 0;
        for (float v : x) {
            sum += v;
        }
        assertEquals(5.1f + 3.5f + 1.4f + 0.2f + 7.0f + 3.2f + 4.7f + 1.4f + 6.3f + 3.3f + 6.0f + 2.5f + 4.9f + 3.0f + 1.4f + 0.2f, sum, 1e-4f,
                "numeric[] values arrive as float32");
        assertEquals(List.of(2), pack("table:iris_data", "small_packed", "class_integer", "small").sampleShape());
        assertEquals(List.of(2), pack("table:iris_data", "reals_packed", "class_integer", "reals").sampleShape());
        PackedSummary scalars = pack("table:iris_data", "scalar_packed", "class_integer", "sepal_length,petal_width");
        assertEquals(List.of("1", "2", "3"), scalars.classValues());
        assertEquals("integer", scalars.dependentVartype());
    }

    @Test
    void sqlSourcePacksLikeTheTable() throws SQLException {
        madlibIris();
        pack("table:iris_data", "from_table", "class_text", "attributes");
        PackedSummary s = pack("sql:SELECT attributes, class_text FROM iris_data ORDER BY id", "from_sql", "class_text", "attributes");
        assertEquals("sql:SELECT attributes, class_text FROM iris_data ORDER BY id", s.sourceTable());
        for (int p = 0; p < 2; p++) {
            assertEquals(PackedTables.readPartition(pg, "from_table", p), PackedTables.readPartition(pg, "from_sql", p));
        }
        PackedSummary computed = pack("sql:SELECT attributes[1] AS sl, attributes[4] * 10 AS pw, class_integer % 2 AS odd"
                + " FROM iris_data", "computed", "odd", "sl,pw");
        assertEquals(List.of("0", "1"), computed.classValues());
        assertEquals(4L, computed.totalRows());
    }

    @Test
    void badSqlSourcesAreOneLineAndLeaveNoTable() throws SQLException {
        madlibIris();
        sql("UPDATE iris_data SET attributes = NULL WHERE id = 3");
        List<String> before = pg.listTables();
        for (String[] c : new String[][] { // source, X, a part of the message
                {"sql:SELECT attributes, class_text FROM iris_data ORDER BY id", "attributes", "column 'attributes' row 3 is NULL"},
                {"sql:SELECT sepal_length, class_text FROM nope", "sepal_length", "relation \"nope\" does not exist"},
                {"sql:DELETE FROM iris_data RETURNING sepal_length, class_text", "sepal_length", "read-only transaction"},
                {"sql:SELECT class_text FROM iris_data", "sepal_length", "no column 'sepal_length'"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pack(c[0], "out", "class_text", c[1]), c[0]);
            assertTrue(e.getMessage().contains(c[0].substring("sql:".length())) && e.getMessage().contains(c[2]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(before, pg.listTables(), "no table is left behind");
        }
    }

    @Test
    void packsIntoPostgresLikeIntoFiles() {
        try (Store files = new FileStore(dir)) {
            for (Store s : List.of(pg, files)) {
                new TrainingPreprocessor(s).preprocess(TestData.training("iris.csv", "iris_packed", "species", TestData.IRIS_X)
                        .optBufferSize(20).optSeed(5).build());
                new ValidationPreprocessor(s).preprocess(ValidationPreprocessSpec.builder().setSource(TestData.csv("iris.csv"))
                        .setOutputTable("iris_val").setTrainingPreprocessorTable("iris_packed").setDependentVarname("species")
                        .setIndependentVarname(TestData.IRIS_X).build());
            }
            for (String t : List.of("iris_packed", "iris_val")) {
                assertEquals(PackedTables.readSummary(files, t), PackedTables.readSummary(pg, t));
                for (int p = 0; p < 2; p++) {
                    assertEquals(PackedTables.readPartition(files, t, p), PackedTables.readPartition(pg, t, p));
                }
                List<Row> a = files.readAll(t);
                List<Row> b = pg.readAll(t);
                assertEquals(a.size(), b.size());
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals((byte[]) a.get(i).get(1), (byte[]) b.get(i).get(1));
                }
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainingPreprocessor(pg).preprocess(
                    TestData.training("iris.csv", "iris_packed", "species", TestData.IRIS_X).build()));
            assertTrue(e.getMessage().contains("'iris_packed' already exists"), e.getMessage());
        }
    }
}
