package io.hopper.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link MultiIoCommandsTest}'s flow on a PostgreSQL store (HOPPER_TEST_PG_URL, default the server
 * .ci/start-postgres.sh starts), in a fresh schema {@code hopper_multi_io_it}: the packed tables get MADlib 1.20's
 * x_0.., y_0.. columns there. Skipped when the server is unreachable, unless CI=true.
 */
class MultiIoPostgresIT {
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/hopper?user=postgres";
    private static final String SCHEMA_NAME = "hopper_multi_io_it";

    @TempDir
    Path dir;

    @Test
    void twoInputModelsTrainEvaluatePredictAndExportOnPostgres() throws IOException {
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
        MultiIoCommandsTest.flow(new CliRun(base + (base.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA_NAME), dir);
    }
}
