package io.hopper.store;

import static io.hopper.store.StoreTestRows.ALL_TYPES;
import static io.hopper.store.StoreTestRows.allTypesRows;
import static io.hopper.store.StoreTestRows.assertRowsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresStore} against a real server: HOPPER_TEST_PG_URL (default the one .ci/start-postgres.sh sets up).
 * Skipped when the server is unreachable, unless CI=true. Every test works in a fresh schema {@code hopper_it}.
 */
class PostgresStoreIT {
    private static final String SCHEMA_NAME = "hopper_it";
    private static final Schema PACKED = Schema.of("buffer_id", ColumnType.INT, "part", ColumnType.INT, "x", ColumnType.BYTES);

    private static String baseUrl;
    private static String url;

    private PostgresStore store;

    @BeforeAll
    static void server() {
        baseUrl = TestPostgres.baseUrl();
        url = TestPostgres.freshSchema(SCHEMA_NAME);
    }

    @BeforeEach
    void freshSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA_NAME + " CASCADE", "CREATE SCHEMA " + SCHEMA_NAME);
        store = new PostgresStore(url);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static Connection connect() throws SQLException {
        return new org.postgresql.Driver().connect(url, new Properties());
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static List<String> column(String query) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    private static List<Row> packedRows() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(Row.of(i, i % 3, new byte[] {(byte) i, (byte) (i * 7)}));
        }
        return rows;
    }

    private static List<Integer> firstInts(List<Row> rows) {
        return rows.stream().map(r -> (Integer) r.get(0)).toList();
    }

    @Test
    void roundTripsEveryColumnTypeAsOrdinarySqlTypes() throws SQLException {
        store.write("all_types", ALL_TYPES, allTypesRows());
        assertRowsEqual(allTypesRows(), store.readAll("all_types"));
        assertEquals(ALL_TYPES, store.schema("all_types"));
        assertEquals(Optional.empty(), store.partitionColumn("all_types"));
        List<String> sqlTypes = column("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = '"
                + SCHEMA_NAME + ".all_types'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> '__hopper_row' ORDER BY attnum");
        assertEquals(ALL_TYPES.columns().stream().map(c -> c.type().sqlType()).toList(), sqlTypes);
        assertEquals(List.of("{1,NULL,3}"), column("SELECT ia FROM all_types WHERE i = 7"), "a SQL user sees the values");
    }

    @Test
    void partitionColumnIsAnIntegerColumnAndScanReadsOnlyItsRows() throws SQLException {
        try (TableWriter w = store.create("packed", PACKED, "part")) {
            packedRows().forEach(w::add);
            w.commit();
        }
        assertEquals(Optional.of("part"), store.partitionColumn("packed"));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), firstInts(store.readAll("packed")));
        List<Row> part1 = new ArrayList<>();
        store.scanPartition("packed", 1, part1::add);
        assertEquals(List.of(1, 4, 7), firstInts(part1));
        assertEquals(List.of("3"), column("SELECT count(*) FROM packed WHERE part = 1"));
        assertEquals(List.of("part"), column("SELECT partition_column FROM hopper_tables WHERE table_name = 'packed'"));

        store.write("plain", PACKED, packedRows());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.scanPartition("plain", 0, r -> { }));
        assertTrue(e.getMessage().contains("has no partition column"), e.getMessage());
    }

    @Test
    void manyRowsStreamInOrder() {
        Schema narrow = Schema.of("i", ColumnType.INT, "d", ColumnType.DOUBLE);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(Row.of(2999 - i, i * 0.5));
        }
        store.write("many", narrow, rows);
        int[] count = {0};
        store.scan("many", r -> {
            assertEquals(2999 - count[0], r.get(0));
            count[0]++;
        });
        assertEquals(3000, count[0]);
    }

    @Test
    void writerClosedWithoutCommitLeavesNoTable() throws SQLException {
        try (TableWriter w = store.create("t", PACKED, "part")) {
            w.add(packedRows().get(0));
        }
        assertFalse(store.exists("t"));
        assertEquals(List.of(), column("SELECT table_name FROM hopper_tables"));
        assertEquals(List.of("hopper_tables"), column("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                + SCHEMA_NAME + "'"));
    }

    @Test
    void exceptionMidWriteLeavesNoTable() {
        assertThrows(IllegalStateException.class, () -> {
            try (TableWriter w = store.create("t", PACKED, null)) {
                for (int i = 0; i < 600; i++) { // more than one batch reaches the server
                    w.add(Row.of(i, 0, null));
                }
                throw new IllegalStateException("boom");
            }
        });
        assertEquals(List.of(), store.listTables());
    }

    @Test
    void wrongValueTypeRefusedAtAdd() {
        try (TableWriter w = store.create("typed", PACKED, null)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.add(Row.of(1, 2, "text")));
            assertEquals("table 'typed' column 'x' is BYTES but got a String; pass a byte[] or null", e.getMessage());
        }
        assertFalse(store.exists("typed"));
    }

    @Test
    void duplicateCreateRefusedAndExistingTableIntact() {
        store.write("t", PACKED, packedRows());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.create("t", PACKED, null));
        assertEquals("table 't' already exists in " + store.describe()
                + "; drop it first with `hopper table drop t` or choose another name", e.getMessage());
        assertRowsEqual(packedRows(), store.readAll("t"));
    }

    @Test
    void injectionLookingNamesRefusedBeforeAnySql() throws SQLException {
        store.write("y", PACKED, packedRows());
        for (String name : List.of("x; drop table y", "y\"; drop table y; --", "../etc", "pg_catalog.pg_class")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.create(name, PACKED, null));
            assertTrue(e.getMessage().startsWith("table name '" + name + "' is not an identifier"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.readAll(name));
            assertThrows(IllegalArgumentException.class, () -> store.drop(name));
            assertThrows(IllegalArgumentException.class, () -> store.exists(name));
        }
        assertThrows(IllegalArgumentException.class, () -> store.create("t", Schema.of("__hopper_row", ColumnType.INT), null));
        assertEquals(List.of("y"), store.listTables());
        assertEquals(10, store.readAll("y").size());
    }

    @Test
    void passwordNeverAppearsInDescribeOrErrors() {
        String secret = "s3cretpw";
        PostgresStore withPassword = new PostgresStore(url + "&password=" + secret); // trust auth ignores it
        assertFalse(withPassword.describe().contains(secret), withPassword.describe());
        assertTrue(withPassword.describe().startsWith("PostgreSQL jdbc:postgresql:"), withPassword.describe());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> withPassword.schema("nope"));
        assertEquals("table 'nope' does not exist in " + withPassword.describe() + "; `hopper table list` shows the tables",
                missing.getMessage());
        assertFalse(missing.getMessage().contains(secret));
        String badDb = baseUrl.replaceFirst("/[A-Za-z0-9_]+(\\?|$)", "/no_such_db_hopper$1");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new PostgresStore(badDb + (badDb.contains("?") ? "&" : "?") + "password=" + secret));
        assertTrue(e.getMessage().startsWith("cannot connect to PostgreSQL"), e.getMessage());
        assertFalse(e.getMessage().contains(secret), e.getMessage());
    }

    @Test
    void replaceSwapsSchemaAndRows() {
        store.write("t", PACKED, packedRows());
        Schema other = Schema.of("name", ColumnType.TEXT);
        store.replace("t", other, List.of(Row.of("a"), Row.of("b")));
        assertEquals(other, store.schema("t"));
        assertEquals(List.of("a", "b"), store.readAll("t").stream().map(r -> r.get(0)).toList());
        store.replace("fresh", other, List.of(Row.of("z")));
        assertEquals(1, store.readAll("fresh").size());
    }

    @Test
    void failedReplaceKeepsTheOldTable() {
        store.write("t", PACKED, packedRows());
        assertThrows(IllegalArgumentException.class, () -> store.replace("t", PACKED, List.of(Row.of(1, 0, null), Row.of("no", 0, null))));
        assertRowsEqual(packedRows(), store.readAll("t"));
    }

    @Test
    void dropRemovesTableAndMetadata() throws SQLException {
        try (TableWriter w = store.create("t", PACKED, "part")) {
            w.commit();
        }
        store.drop("t");
        assertFalse(store.exists("t"));
        assertEquals(List.of(), column("SELECT table_name FROM hopper_tables"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.drop("t"));
        assertTrue(e.getMessage().startsWith("table 't' does not exist in PostgreSQL"), e.getMessage());
    }

    @Test
    void listIsSortedWithoutMetadataTableOrOddNames() throws SQLException {
        for (String name : List.of("zeta", "Alpha", "mid", "_under")) {
            store.write(name, PACKED, List.of());
        }
        sql("CREATE TABLE \"Weird name\" (a integer)");
        assertEquals(List.of("Alpha", "_under", "mid", "zeta"), store.listTables());
    }

    @Test
    void readsTablesWrittenBySqlUsers() throws SQLException {
        sql("CREATE TABLE raw (s smallint, r real, v varchar(10), c char(2), sa smallint[], fa real[], va varchar[],"
                        + " n numeric, na numeric[])",
                "INSERT INTO raw VALUES (3, 0.5, 'abc', 'x', '{1,NULL}', '{1.5}', '{q,NULL}', 2.25, '{0.1,NULL,7}')");
        assertEquals(Schema.of("s", ColumnType.INT, "r", ColumnType.DOUBLE, "v", ColumnType.TEXT, "c", ColumnType.TEXT,
                "sa", ColumnType.INT_ARRAY, "fa", ColumnType.DOUBLE_ARRAY, "va", ColumnType.TEXT_ARRAY,
                "n", ColumnType.DOUBLE, "na", ColumnType.DOUBLE_ARRAY), store.schema("raw"));
        assertRowsEqual(List.of(Row.of(3, 0.5, "abc", "x ", Arrays.asList(1, null), List.of(1.5), Arrays.asList("q", null),
                2.25, Arrays.asList(0.1, null, 7.0))), store.readAll("raw"));
        sql("CREATE TABLE dates (d date)");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.schema("dates"));
        assertTrue(e.getMessage().startsWith("table 'dates' column 'd' has PostgreSQL type date"), e.getMessage());
    }

    private static void madlibIris() throws SQLException {
        sql("CREATE TABLE iris_data (id serial, attributes numeric[], class_text varchar, class_integer integer)",
                "INSERT INTO iris_data (attributes, class_text, class_integer) VALUES ('{5.1,3.5,1.4,0.2}', 'Iris-setosa', 1),"
                        + " ('{7.0,3.2,4.7,1.4}', 'Iris-versicolor', 2), ('{6.3,3.3,6.0,2.5}', NULL, 3)");
    }

    @Test
    void queryStreamsTheRowsOfOneSelect() throws SQLException {
        madlibIris();
        String select = "SELECT id, attributes, class_text, attributes[1] * 2 AS twice FROM iris_data ORDER BY id DESC";
        assertEquals(Schema.of("id", ColumnType.INT, "attributes", ColumnType.DOUBLE_ARRAY, "class_text", ColumnType.TEXT,
                "twice", ColumnType.DOUBLE), store.querySchema(select));
        List<Row> rows = new ArrayList<>();
        store.query(select + ";", rows::add);
        assertRowsEqual(List.of(Row.of(3, List.of(6.3, 3.3, 6.0, 2.5), null, 12.6),
                Row.of(2, List.of(7.0, 3.2, 4.7, 1.4), "Iris-versicolor", 14.0),
                Row.of(1, List.of(5.1, 3.5, 1.4, 0.2), "Iris-setosa", 10.2)), rows);
        long[] sum = {0};
        int[] count = {0};
        store.query("SELECT g AS n FROM generate_series(1, 5000) AS g", r -> {
            count[0]++;
            sum[0] += (Integer) r.get(0);
            assertEquals(count[0], r.get(0), "rows arrive in the query's order");
        });
        assertEquals(5000, count[0]);
        assertEquals(5000L * 5001 / 2, sum[0]);
    }

    @Test
    void queryCanNeverModifyData() throws SQLException {
        madlibIris();
        for (String write : List.of("DELETE FROM iris_data RETURNING id", "UPDATE iris_data SET class_integer = 0 RETURNING id",
                "SELECT nextval('iris_data_id_seq') AS n", "WITH d AS (DELETE FROM iris_data RETURNING id) SELECT id FROM d")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.query(write, r -> { }), write);
            assertTrue(e.getMessage().startsWith("the query '" + write + "' is refused by PostgreSQL")
                    && e.getMessage().contains("read-only transaction"), e.getMessage());
        }
        for (String many : List.of("SELECT 1 AS a; DROP TABLE iris_data", "SELECT 1 AS a; COMMIT; DELETE FROM iris_data")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.querySchema(many), many);
            assertTrue(e.getMessage().endsWith("statements; give exactly one SELECT"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> store.query(many, r -> { }), many);
        }
        assertEquals(List.of("3"), column("SELECT count(*) FROM iris_data WHERE class_integer > 0"));
        assertEquals(List.of("3"), column("SELECT last_value FROM iris_data_id_seq"));
    }

    @Test
    void badQueriesAreOneLineErrorsNamingTheQuery() throws SQLException {
        madlibIris();
        assertQueryRefused("SELEC id FROM iris_data", "is refused by", "syntax error");
        assertQueryRefused("SELECT id FROM no_such_table", "relation \"no_such_table\" does not exist");
        assertQueryRefused("SELECT id + 1 FROM iris_data", "returns a column named '?column?'", "name it with AS");
        assertQueryRefused("SELECT id AS a, class_text AS a FROM iris_data", "returns two columns named 'a'");
        assertQueryRefused("SELECT now() AS t", "column 't' has PostgreSQL type timestamptz");
        assertQueryRefused(";", "holds 0 statements");
    }

    private void assertQueryRefused(String select, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.query(select, r -> { }), select);
        assertTrue(e.getMessage().startsWith("the query '" + select + "'"), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    // ---- connection pool ------------------------------------------------------------------------------------

    private static final String POOL_APP = "hopper_pool_it";

    /** A store whose connections carry an application name, so the server can count them. */
    private static PostgresStore countedStore(int poolSize) {
        return new PostgresStore(url + "&ApplicationName=" + POOL_APP, poolSize);
    }

    /**
     * How many connections of {@link #countedStore} the server has, once at most {@code atMost}: a backend leaves
     * pg_stat_activity shortly after its client closes, so this waits (up to 10 s) for closed ones to go.
     */
    private static int serverConnections(int atMost) throws SQLException, InterruptedException {
        int count = Integer.MAX_VALUE;
        for (int attempt = 0; attempt < 500 && count > atMost; attempt++) {
            if (attempt > 0) {
                Thread.sleep(20);
            }
            count = Integer.parseInt(column("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + POOL_APP + "'").get(0));
        }
        return count;
    }

    private static int backendPid(PostgresStore s) {
        List<Row> rows = new ArrayList<>();
        s.query("SELECT pg_backend_pid() AS pid", rows::add);
        return (Integer) rows.get(0).get(0);
    }

    @Test
    void connectionsAreReusedAndClosedWithTheStore() throws SQLException, InterruptedException {
        PostgresStore pooled = countedStore(2);
        try (PostgresStore unpooled = new PostgresStore(url, 0)) {
            assertEquals(backendPid(pooled), backendPid(pooled), "the second query reuses the first one's connection");
            assertTrue(backendPid(unpooled) != backendPid(unpooled), "pool size 0 opens a connection per operation");
            assertEquals(0, unpooled.idleConnections());
            assertEquals(1, pooled.idleConnections());
            assertEquals(1, serverConnections(1));
            pooled.close();
            assertEquals(0, pooled.idleConnections());
            assertEquals(0, serverConnections(0), "close closes the idle connections");
            assertEquals(List.of(), pooled.listTables(), "a closed store still works, without keeping connections");
            assertEquals(0, serverConnections(0));
        } finally {
            pooled.close();
        }
    }

    @Test
    void manyConcurrentScansShareABoundedPool() throws Exception {
        try (TableWriter w = store.create("packed", PACKED, "part")) {
            packedRows().forEach(w::add);
            w.commit();
        }
        List<List<Integer>> expected = List.of(List.of(0, 3, 6, 9), List.of(1, 4, 7), List.of(2, 5, 8));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        java.util.concurrent.atomic.AtomicBoolean scanning = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        Thread sampler = new Thread(() -> {
            while (scanning.get()) {
                try {
                    most.accumulateAndGet(Integer.parseInt(column("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                            + POOL_APP + "'").get(0)), Math::max);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        try (PostgresStore pooled = countedStore(2)) {
            sampler.start();
            List<Future<?>> scans = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                scans.add(threads.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        int part = (first + i) % 3;
                        List<Row> rows = new ArrayList<>();
                        pooled.scanPartition("packed", part, rows::add);
                        assertEquals(expected.get(part), firstInts(rows));
                    }
                    return null;
                }));
            }
            for (Future<?> f : scans) {
                f.get();
            }
            scanning.set(false);
            sampler.join();
            assertTrue(most.get() >= 1 && most.get() <= 2, "the pool caps the connections open at once at 2: " + most.get());
            assertTrue(pooled.idleConnections() <= 2, "idle connections: " + pooled.idleConnections());
            int open = serverConnections(2);
            assertTrue(open >= 1 && open <= 2, "open connections: " + open);
        } finally {
            threads.shutdown();
        }
        assertEquals(0, serverConnections(0));
    }

    @Test
    void failedOperationsGiveBackTheirConnectionRolledBack() throws SQLException, InterruptedException {
        store.write("t", PACKED, packedRows());
        try (PostgresStore pooled = countedStore(1)) {
            int pid = backendPid(pooled);
            for (int i = 0; i < 20; i++) {
                RuntimeException boom = new RuntimeException("consumer failed");
                assertEquals(boom, assertThrows(RuntimeException.class, () -> pooled.scan("t", r -> {
                    throw boom;
                })));
                assertThrows(IllegalArgumentException.class, () -> pooled.query("SELECT id FROM no_such_table", r -> { }));
                assertThrows(IllegalArgumentException.class, () -> pooled.create("t", PACKED, null));
                try (TableWriter w = pooled.create("half", PACKED, null)) {
                    w.add(packedRows().get(0));
                }
            }
            assertEquals(pid, backendPid(pooled), "the aborted transactions were rolled back and the connection reused");
            assertEquals(1, serverConnections(1));
            assertFalse(pooled.exists("half"), "a writer closed without commit leaves no table");
            assertRowsEqual(packedRows(), pooled.readAll("t"));
        }
    }

    @Test
    void reusedConnectionsReadATableReplacedWithOtherColumnTypes() {
        Schema ints = Schema.of("v", ColumnType.INT);
        Schema texts = Schema.of("v", ColumnType.TEXT);
        for (int round = 0; round < 3; round++) {
            store.replace("t", ints, List.of(Row.of(round)));
            for (int i = 0; i < 6; i++) { // past the driver's threshold for server-side prepared statements
                assertEquals(List.of(round), store.readAll("t").stream().map(r -> r.get(0)).toList());
            }
            store.replace("t", texts, List.of(Row.of("r" + round)));
            assertEquals(List.of("r" + round), store.readAll("t").stream().map(r -> r.get(0)).toList());
        }
    }

    @Test
    void theCatalogueCannotBeDroppedOrWritten() {
        store.write("t", PACKED, List.of());
        assertTrue(store.exists(PostgresStore.META_TABLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.drop(PostgresStore.META_TABLE));
        assertTrue(e.getMessage().startsWith("table 'hopper_tables' is the PostgreSQL store's catalogue"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.replace(PostgresStore.META_TABLE, PACKED, List.of()));
        assertEquals(List.of("t"), store.listTables());
        assertEquals(List.of(), store.readAll("t"), "the catalogue still works");
    }

    @Test
    void anOperationChangesAllItsTablesOrNone() {
        store.write("a", PACKED, List.of(Row.of(1, 0, new byte[] {1})));
        try (StoreOperation op = store.begin(List.of("a", "b"))) {
            op.drop("a");
            op.write("b", PACKED, List.of());
            assertFalse(op.exists("a"));
            assertTrue(op.exists("b"));
            assertFalse(store.exists("b"), "another connection sees nothing before commit");
            assertTrue(store.exists("a"), "and still the old table (a scan of it would wait for the commit)");
        }
        assertEquals(List.of("a"), store.listTables(), "closed without commit: nothing changed");
        try (StoreOperation op = store.begin(List.of("a", "b"))) {
            op.drop("a");
            try (TableWriter w = op.create("b", PACKED, "part")) {
                w.add(Row.of(1, 0, new byte[] {2}));
                // closed without commit: the operation goes on without b
            }
            assertFalse(op.exists("b"));
            op.write("b", PACKED, List.of());
            op.commit();
        }
        assertEquals(List.of("b"), store.listTables());
    }

    @Test
    void aSecondWriterWaitsThenIsRefusedNamingTheFirst() {
        try (PostgresStore impatient = new PostgresStore(url, 1, PostgresStore.DEFAULT_RETRY, java.time.Duration.ofMillis(300));
             StoreOperation first = store.begin(List.of("t"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> impatient.write("t", PACKED, List.of()));
            assertTrue(e.getMessage().startsWith("table 't' in PostgreSQL ") && e.getMessage().contains(" is being written by 'hopper pid "
                    + ProcessHandle.current().pid() + " on host "), e.getMessage());
            assertTrue(e.getMessage().contains("(server process "), e.getMessage());
            first.write("t", PACKED, List.of());
            first.commit();
        }
        assertTrue(store.exists("t"));
    }

    @Test
    void concurrentReadModifyWriteOperationsNeverLoseRows() throws Exception {
        StoreTestRows.assertConcurrentReadModifyWritesKeepEveryRow(store, 4, 5);
    }
}
