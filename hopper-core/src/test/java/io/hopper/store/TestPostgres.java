package io.hopper.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the integration tests of every module (shared through hopper-core's test-jar): the URL in
 * {@code HOPPER_TEST_PG_URL}, or the one {@code .ci/start-postgres.sh} starts, and a fresh schema per test class.
 */
public final class TestPostgres {
    /** The server {@code .ci/start-postgres.sh} starts when {@code HOPPER_TEST_PG_URL} is not set. */
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/hopper?user=postgres";

    private TestPostgres() {
    }

    /** {@code HOPPER_TEST_PG_URL}, or {@link #DEFAULT_URL}. */
    public static String baseUrl() {
        String env = System.getenv("HOPPER_TEST_PG_URL");
        return env == null || env.isBlank() ? DEFAULT_URL : env;
    }

    /**
     * Drops and re-creates {@code schema} on the test server and returns a URL whose tables live in it. When the
     * server is unreachable the test is skipped, or fails under {@code CI=true}, saying how to start one.
     */
    public static String freshSchema(String schema) {
        String base = baseUrl();
        try (Connection c = new org.postgresql.Driver().connect(base, new Properties()); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            String why = "PostgreSQL at " + base.replaceAll("\\?.*", "") + " is unreachable (" + e.getMessage()
                    + "); run .ci/start-postgres.sh and export HOPPER_TEST_PG_URL to the URL it prints";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }
}
