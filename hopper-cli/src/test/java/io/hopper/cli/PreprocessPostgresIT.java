package io.hopper.cli;

import io.hopper.store.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static io.hopper.cli.CliRun.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preprocess commands end to end on a PostgreSQL store (HOPPER_TEST_PG_URL, default the server
 * .ci/start-postgres.sh starts): MADlib's iris_data layout made in SQL, table: and sql: sources, the packed rows and
 * the summary checked with plain SQL, and a password in the URL that never shows. Skipped when the server is
 * unreachable, unless CI=true. Works in a fresh schema {@code hopper_cli_it}.
 */
class PreprocessPostgresIT {
    private static final String SCHEMA_NAME = "hopper_cli_it";
    /** The test server trusts local connections, so it ignores this password; Hopper must never print it. */
    private static final String PASSWORD = "secret";

    private static String url;
    private CliRun cli;
    private final List<String> printed = new ArrayList<>();

    @BeforeAll
    static void server() {
        url = TestPostgres.freshSchema(SCHEMA_NAME);
    }

    @BeforeEach
    void madlibIrisData() throws SQLException, IOException {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA_NAME + " CASCADE", "CREATE SCHEMA " + SCHEMA_NAME,
                "CREATE TABLE " + SCHEMA_NAME + ".iris_data (id serial, attributes numeric[], class_text varchar, class_integer integer)");
        List<String> lines = Files.readAllLines(Path.of(data("iris.csv")));
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO iris_data (attributes, class_text, class_integer) VALUES (?::numeric[], ?, ?)")) {
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                ps.setString(1, "{" + String.join(",", List.of(f).subList(0, 4)) + "}");
                ps.setString(2, "Iris-" + f[4]);
                ps.setInt(3, List.of("setosa", "versicolor", "virginica").indexOf(f[4]));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        cli = new CliRun(url + "&password=" + PASSWORD);
    }

    private static Connection connect() throws SQLException {
        return new org.postgresql.Driver().connect(url, new Properties());
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = new org.postgresql.Driver().connect(url.replace("currentSchema=" + SCHEMA_NAME, "currentSchema=public"),
                new Properties()); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** The rows of a query, each row's columns as text joined by '|'. */
    private static List<String> query(String select) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(select)) {
            List<String> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(rs.getString(i));
                }
                rows.add(String.join("|", cols));
            }
            return rows;
        }
    }

    /** Runs a command that must succeed and keeps what it printed. */
    private String ok(String... args) {
        CliRun.Result r = cli.run(args);
        printed.add(r.out() + r.err());
        assertEquals(0, r.status(), () -> String.join(" ", args) + " failed: " + r.err());
        return r.out();
    }

    private void refused(List<String> args, String... parts) {
        printed.add(cli.refused(args, parts).err());
    }

    private static List<String> train(String source, String out, String y, String x) {
        return List.of("preprocess-training", "--source", source, "--output-table", out, "--dependent-varname", y,
                "--independent-varname", x, "--partitions", "2", "--seed", "3");
    }

    @Test
    void packsMadlibsIrisDataFromATableAndAQuery() throws SQLException {
        assertEquals("packed 150 rows into 2 buffers of up to 75 rows on 2 partitions: iris_packed (summary iris_packed_summary)",
                ok(train("table:iris_data", "iris_packed", "class_text", "attributes").toArray(String[]::new)).strip());
        String select = "sql:SELECT attributes[1] AS sepal_length, attributes[3] AS petal_length, class_integer"
                + " FROM iris_data WHERE id % 3 <> 0 ORDER BY id";
        ok(train(select, "iris_sql", "class_integer", "sepal_length,petal_length").toArray(String[]::new));
        ok("preprocess-validation", "--source", "sql:SELECT attributes, class_text FROM iris_data WHERE id % 5 = 0 ORDER BY id",
                "--output-table", "iris_val", "--training-preprocessor-table", "iris_packed", "--dependent-varname", "class_text",
                "--independent-varname", "attributes", "--buffer-size", "7");

        // The packed rows, as a SQL user sees them: x is float32 bytes, 4 * rows * dims of them.
        for (String[] t : new String[][] {{"iris_packed", "150", "4", "3"}, {"iris_sql", "100", "2", "3"}, {"iris_val", "30", "4", "3"}}) {
            int dims = Integer.parseInt(t[2]);
            int classes = Integer.parseInt(t[3]);
            List<String> rows = query("SELECT buffer_id, __dist_key__, octet_length(x), x_shape, octet_length(y), y_shape FROM "
                    + t[0] + " ORDER BY buffer_id");
            int total = 0;
            for (int b = 0; b < rows.size(); b++) {
                String[] f = rows.get(b).split("\\|");
                int n = Integer.parseInt(f[3].substring(1, f[3].indexOf(',')));
                total += n;
                assertEquals(List.of(String.valueOf(b), String.valueOf(b % 2), String.valueOf(4 * n * dims), "{" + n + "," + dims + "}",
                        String.valueOf(2 * n * classes), "{" + n + "," + classes + "}"), List.of(f), t[0]);
            }
            assertEquals(Integer.parseInt(t[1]), total, t[0]);
        }
        // The first float of the first packed iris row is one of the sepal lengths (little-endian float32).
        String first = query("SELECT get_byte(x, 0) | (get_byte(x, 1) << 8) | (get_byte(x, 2) << 16) | (get_byte(x, 3) << 24)"
                + " FROM iris_packed WHERE buffer_id = 0").get(0);
        float sepal = Float.intBitsToFloat(Integer.parseInt(first));
        assertTrue(sepal >= 4.3f && sepal <= 7.9f, "sepal length " + sepal);

        // The summaries are ordinary tables.
        assertEquals(List.of("table:iris_data|iris_packed|class_text|attributes|text|{Iris-setosa,Iris-versicolor,Iris-virginica}"
                        + "|75|1|3|all_segments|2|3|null|{4}|150|2"),
                query("SELECT source_table, output_table, dependent_varname, independent_varname, dependent_vartype, class_values,"
                        + " buffer_size, normalizing_const, num_classes, distribution_rules, partitions, seed, validation_of,"
                        + " sample_shape, total_rows, num_buffers FROM iris_packed_summary"));
        assertEquals(List.of(select + "|{0,1,2}|integer|iris_sql"), query("SELECT source_table, class_values, dependent_vartype,"
                + " output_table FROM iris_sql_summary"));
        assertEquals(List.of("iris_packed|30|6|5|2"), query("SELECT validation_of, total_rows, num_buffers, buffer_size, partitions"
                + " FROM iris_val_summary"));
        assertEquals(List.of("class_values|ARRAY", "num_classes|integer", "source_table|text"), query(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '" + SCHEMA_NAME
                        + "' AND table_name = 'iris_packed_summary' AND column_name IN ('source_table', 'class_values', 'num_classes')"
                        + " ORDER BY column_name"));

        String show = ok("table", "show", "iris_packed_summary", "--format", "csv");
        assertTrue(show.contains("table:iris_data,iris_packed,class_text,attributes,text"), show);
        assertEquals(List.of("iris_data", "iris_packed", "iris_packed_summary", "iris_sql", "iris_sql_summary", "iris_val",
                "iris_val_summary"), cli.tables());
        assertPasswordNeverShown();
    }

    @Test
    void badInputIsOneLineWithStatus2AndLeavesNoTable() throws SQLException {
        ok(train("table:iris_data", "taken", "class_text", "attributes").toArray(String[]::new));
        sql("UPDATE " + SCHEMA_NAME + ".iris_data SET attributes = NULL WHERE id = 7");
        refused(train("table:iris_data", "out", "class_text", "attributes"), "table:iris_data: column 'attributes' row",
                "is NULL or holds a NULL");
        refused(train("table:no_such", "out", "class_text", "attributes"), "table:no_such: no table 'no_such' in PostgreSQL jdbc:postgresql:");
        refused(train("table:iris_data", "taken", "class_text", "attributes"), "'taken' already exists in PostgreSQL jdbc:postgresql:");
        refused(train("sql:SELECT attributes, class_text FROM iris_data WHERE id <> 7; DROP TABLE iris_data", "out", "class_text",
                "attributes"), "holds 2 statements; give exactly one SELECT");
        refused(train("sql:DELETE FROM iris_data RETURNING attributes, class_text", "out", "class_text", "attributes"),
                "the query 'DELETE FROM iris_data RETURNING attributes, class_text' is refused by PostgreSQL", "read-only transaction");
        refused(train("sql:SELECT attributes, class_text FROM iris_dta", "out", "class_text", "attributes"),
                "relation \"iris_dta\" does not exist");
        refused(train("sql:SELECT id, class_text FROM iris_data", "out", "class_text", "attributes"),
                "no column 'attributes' in [id, class_text]");
        refused(train("sql:SELECT attributes, class_text FROM iris_data WHERE id <> 7", "out", "class_text", "attributes")
                .stream().map(a -> a.equals("2") ? "-1" : a).toList(), "--partitions -1 is not positive");
        refused(List.of("preprocess-validation", "--source", "sql:SELECT attributes, 'Iris-x' AS class_text FROM iris_data WHERE id = 1",
                "--output-table", "val", "--training-preprocessor-table", "taken", "--dependent-varname", "class_text",
                "--independent-varname", "attributes"), "class value 'Iris-x'", "not among the class values");
        assertEquals(List.of("150"), query("SELECT count(*) FROM iris_data"));
        assertEquals(List.of("0"), query("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + SCHEMA_NAME
                + "' AND table_name IN ('out', 'out_summary', 'val', 'val_summary')"));
        assertPasswordNeverShown();
    }

    /** Nothing printed and no summary column holds the password. */
    private void assertPasswordNeverShown() throws SQLException {
        assertFalse(printed.isEmpty());
        for (String p : printed) {
            assertFalse(p.contains("password") || p.contains(PASSWORD), p);
        }
        for (String t : query("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + SCHEMA_NAME
                + "' AND table_name LIKE '%\\_summary'")) {
            for (String row : query("SELECT s::text FROM " + t + " s")) {
                assertFalse(row.contains(PASSWORD), row);
            }
        }
    }
}
