package io.hopper.data;

import io.hopper.store.FileStore;
import io.hopper.store.PostgresStore;
import io.hopper.store.Row;
import io.hopper.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The preprocessors against a real PostgreSQL store (HOPPER_TEST_PG_URL, default the server .ci/start-postgres.sh
 * starts): packed tables and summaries read back, byte-identical to a FileStore's. Skipped when the server is
 * unreachable, unless CI=true. Works in a fresh schema {@code hopper_data_it}.
 */
class PackedPostgresIT {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/hopper?user=postgres";
    private static final String SCHEMA_NAME = "hopper_data_it";

    @TempDir
    Path dir;
    private String url;
    private Store pg;

    @BeforeEach
    void server() throws SQLException {
        String env = System.getenv("HOPPER_TEST_PG_URL");
        String base = env == null || env.isBlank() ? DEFAULT_URL : env;
        try (Connection c = new org.postgresql.Driver().connect(base, new Properties()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA_NAME + " CASCADE");
            st.execute("CREATE SCHEMA " + SCHEMA_NAME);
        } catch (SQLException e) {
            String why = "PostgreSQL is unreachable (" + e.getMessage() + "); run .ci/start-postgres.sh and export HOPPER_TEST_PG_URL";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA_NAME;
        pg = new PostgresStore(url);
    }

    @AfterEach
    void close() {
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void packsAMadlibStyleTableMadeInSql() throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(url, new Properties()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE iris_data (id serial, attributes double precision[], class_text varchar)");
            st.execute("INSERT INTO iris_data (attributes, class_text) VALUES ('{5.1,3.5,1.4,0.2}', 'Iris-setosa'),"
                    + " ('{7.0,3.2,4.7,1.4}', 'Iris-versicolor'), ('{6.3,3.3,6.0,2.5}', NULL), ('{4.9,3.0,1.4,0.2}', 'Iris-setosa')");
        }
        PackedSummary s = new TrainingPreprocessor(pg).preprocess(TrainingPreprocessSpec.builder().setSource(SourceSpec.parse("table:iris_data"))
                .setOutputTable("iris_data_packed").setDependentVarname("class_text").setIndependentVarname("attributes")
                .optPartitions(2).build());
        assertEquals(java.util.Arrays.asList(null, "Iris-setosa", "Iris-versicolor"), s.classValues());
        assertEquals("text", s.dependentVartype());
        assertEquals(List.of(4), s.sampleShape());
        assertEquals(List.of(2, 2), List.of(PackedTables.readPartition(pg, "iris_data_packed", 0).get(0).rows(),
                PackedTables.readPartition(pg, "iris_data_packed", 1).get(0).rows()));
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
