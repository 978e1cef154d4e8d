package io.hopper.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

import java.sql.Array;
import java.sql.Connection;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A store in a PostgreSQL database over JDBC: each table is an ordinary PostgreSQL table in the connection's
 * current schema with the {@link ColumnType#sqlType()} column types, so a SQL user can query it.
 *
 * <p>Hopper adds a hidden {@code __hopper_row bigint} identity column that keeps the insertion order (it is not part
 * of the schema) and records each table's partition column in the metadata table {@code hopper_tables}. A partition
 * column is an ordinary integer column with an index, so {@link #scanPartition} reads only its rows. A writer
 * creates and fills its table in one transaction: a failure or a close without commit rolls back and leaves no
 * table. Reads stream with a fetch size. Tables created by SQL users are readable when their columns have
 * integer, smallint, bigint, real, double precision, numeric (read as DOUBLE), text, varchar, char, boolean, bytea
 * or array-of-those types; {@link #query} runs one SELECT read-only and streams its rows the same way.
 *
 * <p>The password comes from the URL, else the environment variable PGPASSWORD, else ~/.pgpass (the driver's
 * own lookup); it never appears in {@link #describe()} or in any message.
 *
 * <p>Writes are operations ({@link #begin}): one connection and one transaction, with a transaction-level advisory
 * lock per table (so one process at a time writes a table, and a second waits a bounded time, then is refused
 * naming the first's {@code application_name}, which Hopper sets to "hopper pid N on host H"). Readers see the last
 * committed version (PostgreSQL's MVCC). {@value #META_TABLE} is never written or dropped through an operation.
 *
 * <p>Connections are reused through a HikariCP pool: each operation (and each writer, until it commits or closes)
 * borrows one connection and gives it back at the end, also when the operation fails; a transaction left open is
 * rolled back first, and a connection that cannot be reset is closed instead. The pool holds at most the pool size
 * of connections (an operation waits up to {@value #CONNECTION_TIMEOUT_MILLIS} ms for one), opens them on demand,
 * closes those idle for {@value #IDLE_TIMEOUT_MILLIS} ms, and runs no validation query when lending: HikariCP checks
 * a connection with {@link Connection#isValid} only when it has been idle for a while. Concurrent operations each
 * borrow their own connection, so one store may be used from several threads; {@link #close()} closes the pool (a
 * store used after close, or made with pool size 0, opens a connection per operation).
 */
public final class PostgresStore implements Store {
    /** The URL prefix this store accepts. */
    public static final String URL_PREFIX = "jdbc:postgresql:";
    /** Hopper's metadata table, one row per table Hopper wrote. */
    public static final String META_TABLE = "hopper_tables";
    /** The hidden column that numbers rows in insertion order; reserved, never part of a schema. */
    public static final String ROW_COLUMN = "__hopper_row";

    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;])password=[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("//([^/:@]*):[^/@]*@");
    private static final int FETCH_ROWS_WIDE = 16;
    private static final int FETCH_ROWS_NARROW = 1000;
    private static final int BATCH_ROWS = 256;
    private static final long BATCH_BYTES = 8L << 20;
    /** The most connections {@link #PostgresStore(String)} opens at once: enough for several workers reading at once. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /** How long an operation waits for a connection when all of the pool's are lent. */
    static final long CONNECTION_TIMEOUT_MILLIS = 30_000;
    /** How long an unused connection stays open. */
    static final long IDLE_TIMEOUT_MILLIS = 60_000;
    /** The first key of Hopper's advisory locks ("Hopr"); the second is hashtext(schema.table). */
    private static final int LOCK_CLASS = 0x486F7072;
    /** The longest part of a server message that goes into an error line. */
    private static final int MESSAGE_CHARS = 300;
    /** How long operations retry when none is given: {@value #DEFAULT_RETRY_SECONDS} s. */
    public static final Duration DEFAULT_RETRY = Duration.ofSeconds(120);
    /** The default retry in seconds, as {@code --store-retry} shows it. */
    public static final long DEFAULT_RETRY_SECONDS = 120;
    private static final long FIRST_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 8000;

    private final String url;
    private final String safeUrl;
    private final Properties properties = new Properties();
    private final org.postgresql.Driver driver = new org.postgresql.Driver();
    private final Duration lockWait;
    /** The pool, or null for pool size 0. */
    private final HikariDataSource pool;
    private final Duration retry;

    /**
     * Connects once to check the URL and the server, with a pool of up to {@link #DEFAULT_POOL_SIZE} connections.
     *
     * @param url {@code jdbc:postgresql://host:port/db?user=u}; IllegalArgumentException for other URLs,
     *            IllegalStateException when the server cannot be reached
     */
    public PostgresStore(String url) {
        this(url, DEFAULT_POOL_SIZE, DEFAULT_RETRY);
    }

    /**
     * Connects once to check the URL and the server, with a pool of up to {@code poolSize} connections.
     *
     * @param url {@code jdbc:postgresql://host:port/db?user=u}; IllegalArgumentException for other URLs,
     *            IllegalStateException when the server cannot be reached
     * @param poolSize the most connections open at once, at least 0 (0: no pool, a connection is opened and closed
     *                 for every operation)
     */
    public PostgresStore(String url, int poolSize) {
        this(url, poolSize, DEFAULT_RETRY);
    }

    /**
     * Connects once to check the URL and the server (no retry: a server that is down at the start is an error at
     * once), with a pool of up to {@code poolSize} connections; later operations retry for up to {@code retry}.
     *
     * @param retry how long an operation retries, with backoff, when the connection drops or the server restarts
     *              (SQLSTATE class 08, 57P01-57P03); zero retries never
     */
    public PostgresStore(String url, int poolSize, Duration retry) {
        this(url, poolSize, retry, FileStore.DEFAULT_LOCK_WAIT);
    }

    /**
     * Connects once to check the URL and the server.
     *
     * @param url {@code jdbc:postgresql://host:port/db?user=u}
     * @param poolSize the most connections open at once, at least 0
     * @param retry how long an operation retries when the connection drops or the server restarts; zero retries never
     * @param lockWait how long a writer waits for another writer of one of its tables before it is refused
     */
    public PostgresStore(String url, int poolSize, Duration retry, Duration lockWait) {
        if (retry == null || retry.isNegative()) {
            throw new IllegalArgumentException("--store-retry " + (retry == null ? "null" : retry.toSeconds() + " s")
                    + " is negative; give 0 (no retry) or more seconds");
        }
        this.retry = retry;
        this.lockWait = lockWait;
        if (poolSize < 0) {
            throw new IllegalArgumentException("PostgreSQL store pool size " + poolSize + " is negative; use 0 (no reuse) or more");
        }
        if (url == null || !url.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("store URL '" + redact(url) + "' does not start with " + URL_PREFIX
                    + "; use jdbc:postgresql://host:port/db?user=u");
        }
        this.url = url;
        this.safeUrl = redact(url);
        String envPassword = System.getenv("PGPASSWORD");
        if (envPassword != null && !PASSWORD_PARAM.matcher(url).find()) {
            properties.setProperty("password", envPassword);
        }
        if (!url.toLowerCase(java.util.Locale.ROOT).contains("applicationname=")) {
            properties.setProperty("ApplicationName", "hopper " + ProcessIdentity.self());
        }
        this.pool = poolSize == 0 ? null : pool(poolSize);
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            c.isValid(10);
        } catch (SQLException e) {
            close();
            throw failure("check the connection", e);
        }
    }

    /** A HikariCP pool on the driver; its first connection is made here, so a bad URL or password fails now. */
    private HikariDataSource pool(int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setDriverClassName(org.postgresql.Driver.class.getName());
        config.setDataSourceProperties(properties);
        config.setMaximumPoolSize(maxConnections);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        config.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        config.setPoolName("hopper-store");
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw failure("check the connection", sql);
            }
            throw new IllegalStateException("cannot connect to " + describe() + ": " + redact(String.valueOf(e.getMessage())), e);
        }
    }

    /** The URL without any password. */
    static String redact(String url) {
        if (url == null) {
            return null;
        }
        String s = USER_INFO_PASSWORD.matcher(url).replaceAll("//$1@");
        s = PASSWORD_PARAM.matcher(s).replaceAll("$1");
        return s.replace("?&", "?").replace("&&", "&").replaceAll("[?&;]+$", "");
    }

    @Override
    public List<String> listTables() {
        return retrying(this::listTablesOnce, () -> true);
    }

    private List<String> listTablesOnce() {
        try (Lease lease = lease(); PreparedStatement ps = lease.connection.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                        + " AND table_type = 'BASE TABLE' AND table_name <> ?")) {
            ps.setString(1, META_TABLE);
            List<String> names = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (TableNames.isIdentifier(rs.getString(1))) {
                        names.add(rs.getString(1));
                    }
                }
            }
            Collections.sort(names);
            return names;
        } catch (SQLException e) {
            throw failure("list the tables", e);
        }
    }

    @Override
    public boolean exists(String table) {
        return retrying(() -> existsOnce(table), () -> true);
    }

    private boolean existsOnce(String table) {
        TableNames.requireTable(table);
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            return exists(c, table);
        } catch (SQLException e) {
            throw failure("look up table '" + table + "'", e);
        }
    }

    @Override
    public Schema schema(String table) {
        return retrying(() -> schemaOnce(table), () -> true);
    }

    private Schema schemaOnce(String table) {
        TableNames.requireTable(table);
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            return columns(c, table).schema;
        } catch (SQLException e) {
            throw failure("read the schema of table '" + table + "'", e);
        }
    }

    @Override
    public Optional<String> partitionColumn(String table) {
        return retrying(() -> partitionColumnOnce(table), () -> true);
    }

    private Optional<String> partitionColumnOnce(String table) {
        TableNames.requireTable(table);
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            requireExists(c, table);
            return partitionColumn(c, table);
        } catch (SQLException e) {
            throw failure("read the partition column of table '" + table + "'", e);
        }
    }

    /** Begins an operation (retrying while the server is unreachable); what it does later is not retried. */
    @Override
    public StoreOperation begin(Collection<String> tables) {
        return retrying(() -> new PgOperation(tables), () -> true);
    }

    /** Writes a whole table as one operation, all again when the connection drops before the commit. */
    @Override
    public void write(String table, Schema schema, List<Row> rows) {
        retrying(() -> {
            Store.super.write(table, schema, rows);
            return null;
        }, () -> true);
    }

    /** Replaces a whole table as one operation, all again when the connection drops before the commit. */
    @Override
    public void replace(String table, Schema schema, List<Row> rows) {
        retrying(() -> {
            Store.super.replace(table, schema, rows);
            return null;
        }, () -> true);
    }

    /** Drops a table as one operation, again when the connection drops before the commit. */
    @Override
    public void drop(String table) {
        retrying(() -> {
            Store.super.drop(table);
            return null;
        }, () -> true);
    }

    /** Streams the rows; retried while the server is unreachable, as long as no row was delivered yet. */
    @Override
    public void scan(String table, Consumer<Row> consumer) {
        long[] delivered = {0};
        retrying(() -> {
            scanOnce(table, r -> {
                delivered[0]++;
                consumer.accept(r);
            });
            return null;
        }, () -> delivered[0] == 0);
    }

    private void scanOnce(String table, Consumer<Row> consumer) {
        TableNames.requireTable(table);
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            TableColumns cols = columns(c, table);
            stream(c, cols, "SELECT " + selectList(cols.schema) + " FROM " + quote(table)
                    + (cols.ordered ? " ORDER BY " + quote(ROW_COLUMN) : ""), null, consumer);
        } catch (SQLException e) {
            throw failure("read table '" + table + "'", e);
        }
    }

    /**
     * The columns a query returns, found without running it (see {@link #query}).
     *
     * @param select one SELECT statement
     * @return the columns, typed as {@link #query} reads them
     * @throws IllegalArgumentException when the text is not one statement, PostgreSQL refuses it, or a column is
     *                                  not an identifier or has a type Hopper does not read
     */
    public Schema querySchema(String select) {
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            beginReadOnly(c, select);
            try (PreparedStatement ps = c.prepareStatement(select)) {
                return resultSchema(select, ps.getMetaData());
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw queryFailure(select, e);
        }
    }

    /**
     * Runs one query in a read-only transaction that is rolled back at the end, so a query can never modify data,
     * and streams its rows with a fetch size. Column types map as for tables ({@link #schema}); numeric and
     * numeric[] read as DOUBLE and DOUBLE_ARRAY.
     *
     * @param select one SELECT statement (a trailing semicolon is allowed; several statements are refused)
     * @param consumer receives every row, in the order the query returns them
     * @throws IllegalArgumentException when the text is not one statement, PostgreSQL refuses it (a syntax error, an
     *                                  unknown table, a write), or a column cannot be read
     */
    public void query(String select, Consumer<Row> consumer) {
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            beginReadOnly(c, select);
            try (PreparedStatement ps = c.prepareStatement(select)) {
                Schema schema = resultSchema(select, ps.getMetaData());
                read(ps, schema, consumer);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw queryFailure(select, e);
        }
    }

    /** Streams the partition's rows; retried like {@link #scan}. */
    @Override
    public void scanPartition(String table, int partition, Consumer<Row> consumer) {
        long[] delivered = {0};
        retrying(() -> {
            scanPartitionOnce(table, partition, r -> {
                delivered[0]++;
                consumer.accept(r);
            });
            return null;
        }, () -> delivered[0] == 0);
    }

    private void scanPartitionOnce(String table, int partition, Consumer<Row> consumer) {
        TableNames.requireTable(table);
        try (Lease lease = lease()) {
            Connection c = lease.connection;
            TableColumns cols = columns(c, table);
            String column = partitionColumn(c, table).orElseThrow(() -> StoreChecks.notPartitioned(table, this));
            stream(c, cols, "SELECT " + selectList(cols.schema) + " FROM " + quote(table) + " WHERE " + quote(column)
                    + " = ?" + (cols.ordered ? " ORDER BY " + quote(ROW_COLUMN) : ""), partition, consumer);
        } catch (SQLException e) {
            throw failure("read partition " + partition + " of table '" + table + "'", e);
        }
    }

    @Override
    public String describe() {
        return "PostgreSQL " + safeUrl;
    }

    /** Closes the pool's connections; connections lent out are closed when they come back. */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** How many idle connections the pool holds now. */
    int idleConnections() {
        return pool == null || pool.isClosed() ? 0 : pool.getHikariPoolMXBean().getIdleConnections();
    }

    // ---- connections ----------------------------------------------------------------------------------------

    /** One connection lent for one operation; closing the lease gives the connection back to the pool. */
    private final class Lease implements AutoCloseable {
        private final Connection connection;

        Lease(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() {
            release(connection);
        }
    }

    /** Lends a connection of the pool, or a new one without a pool (pool size 0, or the store closed). */
    private Lease lease() throws SQLException {
        HikariDataSource p = pool;
        if (p != null && !p.isClosed()) {
            try {
                return new Lease(p.getConnection());
            } catch (SQLException e) {
                if (!p.isClosed()) {
                    throw e;
                }
            }
        }
        return new Lease(connect());
    }

    /**
     * Takes a connection back: rolls back an open transaction and restores auto-commit, then closes it, which gives
     * a pooled connection back to the pool (HikariCP evicts one that failed).
     */
    private void release(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // HikariCP evicts a connection whose reset failed with a broken-connection state; closing is all that is left
        }
        closeQuietly(c);
    }

    private Connection connect() throws SQLException {
        Connection c = driver.connect(url, properties);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver does not accept the URL");
        }
        return c;
    }

    // ---- retries --------------------------------------------------------------------------------------------

    /**
     * Runs {@code operation}, and while it fails because the connection dropped or the server is restarting (and
     * {@code mayRetry} allows: nothing was delivered yet), runs it again after a backoff of 0.25 s doubling up to 8 s,
     * for up to the store's retry time; then the last failure is thrown, saying how long the server was away.
     */
    private <T> T retrying(Supplier<T> operation, BooleanSupplier mayRetry) {
        long start = System.nanoTime();
        long backoff = FIRST_BACKOFF_MILLIS;
        boolean told = false;
        while (true) {
            try {
                return operation.get();
            } catch (RuntimeException e) {
                if (!isTransient(e) || !mayRetry.getAsBoolean()) {
                    throw e;
                }
                long waited = System.nanoTime() - start;
                if (waited + backoff * 1_000_000 > retry.toNanos()) {
                    if (retry.isZero()) {
                        throw e;
                    }
                    throw new StoreUnavailableException(e.getMessage() + " (retried for " + Math.round(waited / 1e9) + " s, --store-retry "
                            + retry.toSeconds() + "); the run's checkpoint, if any, is in place: resume it when the server is back", e);
                }
                if (!told) {
                    told = true;
                    System.err.println("hopper: " + describe() + " is unreachable (" + oneLine(String.valueOf(e.getMessage()))
                            + "); retrying for up to " + retry.toSeconds() + " s (--store-retry)");
                }
                dropIdleConnections();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(2 * backoff, MAX_BACKOFF_MILLIS);
            }
        }
    }

    /** Whether a failure comes from a dropped connection or a server that is down or restarting. */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Evicts the pool's idle connections: after a failure they may all be dead. */
    private void dropIdleConnections() {
        HikariDataSource p = pool;
        if (p != null && !p.isClosed()) {
            p.getHikariPoolMXBean().softEvictConnections();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private IllegalStateException failure(String what, SQLException e) {
        String message = redact(String.valueOf(e.getMessage())).replaceAll("\\s+", " ").trim();
        if (message.length() > MESSAGE_CHARS) {
            message = message.substring(0, MESSAGE_CHARS) + "... (" + message.length() + " characters)";
        }
        if ("08001".equals(e.getSQLState()) || "08004".equals(e.getSQLState()) || "28P01".equals(e.getSQLState())
                || "28000".equals(e.getSQLState()) || "3D000".equals(e.getSQLState())) {
            return new IllegalStateException("cannot connect to " + describe() + " to " + what + ": " + message
                    + "; start the server or fix the URL, user and password", e);
        }
        return new IllegalStateException("cannot " + what + " in " + describe() + ": " + message, e);
    }

    /** A double-quoted identifier; the name has passed {@link TableNames}, so it holds no quote. */
    private static String quote(String identifier) {
        return '"' + TableNames.requireIdentifier("identifier", identifier) + '"';
    }

    private static String selectList(Schema schema) {
        return String.join(", ", schema.names().stream().map(PostgresStore::quote).toList());
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private void requireExists(Connection c, String table) throws SQLException {
        if (!exists(c, table)) {
            throw StoreChecks.missing(table, this);
        }
    }

    private static Optional<String> partitionColumn(Connection c, String table) throws SQLException {
        if (!exists(c, META_TABLE)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT partition_column FROM " + META_TABLE + " WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** A table's schema and whether it has Hopper's row-order column. */
    private record TableColumns(Schema schema, boolean ordered) {
    }

    private TableColumns columns(Connection c, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        boolean ordered = false;
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, udt_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if (name.equals(ROW_COLUMN)) {
                        ordered = true;
                    } else {
                        columns.add(new Column(name, typeOf("table '" + table + "'", name, rs.getString(2))));
                    }
                }
            }
        }
        if (columns.isEmpty() && !exists(c, table)) {
            throw StoreChecks.missing(table, this);
        }
        return new TableColumns(new Schema(columns), ordered);
    }

    /**
     * The column type Hopper reads a PostgreSQL type as (numeric is read as DOUBLE; the driver names the integer
     * columns of a query that come from serial columns serial, smallserial or bigserial).
     *
     * @param owner "table 'name'" or "the query '...'", for messages
     */
    private static ColumnType typeOf(String owner, String column, String udtName) {
        return switch (udtName) {
            case "int2", "int4", "smallserial", "serial" -> ColumnType.INT;
            case "int8", "bigserial" -> ColumnType.BIGINT;
            case "float4", "float8", "numeric" -> ColumnType.DOUBLE;
            case "text", "varchar", "bpchar" -> ColumnType.TEXT;
            case "bool" -> ColumnType.BOOLEAN;
            case "bytea" -> ColumnType.BYTES;
            case "_int2", "_int4" -> ColumnType.INT_ARRAY;
            case "_float4", "_float8", "_numeric" -> ColumnType.DOUBLE_ARRAY;
            case "_text", "_varchar", "_bpchar" -> ColumnType.TEXT_ARRAY;
            default -> throw new IllegalArgumentException(owner + " column '" + column + "' has PostgreSQL type "
                    + udtName + ", which Hopper does not read; cast it to one of integer, bigint, double precision, numeric, text,"
                    + " boolean, bytea or an array of integer, double precision, numeric or text");
        };
    }

    private void stream(Connection c, TableColumns cols, String sql, Integer partition, Consumer<Row> consumer)
            throws SQLException {
        c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (partition != null) {
                ps.setInt(1, partition);
            }
            read(ps, cols.schema, consumer);
        } finally {
            c.rollback();
        }
    }

    /** Executes a prepared query and hands each row to the consumer, fetching a few rows at a time. */
    private static void read(PreparedStatement ps, Schema schema, Consumer<Row> consumer) throws SQLException {
        boolean wide = schema.columns().stream().anyMatch(col -> col.type() != ColumnType.INT && col.type() != ColumnType.BIGINT
                && col.type() != ColumnType.DOUBLE && col.type() != ColumnType.BOOLEAN);
        ps.setFetchSize(wide ? FETCH_ROWS_WIDE : FETCH_ROWS_NARROW);
        try (ResultSet rs = ps.executeQuery()) {
            Object[] values = new Object[schema.size()];
            while (rs.next()) {
                for (int i = 0; i < values.length; i++) {
                    values[i] = get(rs, i + 1, schema.columns().get(i).type());
                }
                consumer.accept(Row.of(values));
            }
        }
    }

    /**
     * Starts a read-only transaction for one statement (the caller rolls it back). The statement count comes from
     * the driver's own parser, which is what decides whether the text is sent as several statements.
     */
    private static void beginReadOnly(Connection c, String select) throws SQLException {
        List<NativeQuery> statements = Parser.parseJdbcSql(select, c.unwrap(BaseConnection.class).getStandardConformingStrings(),
                false, true, false, false);
        if (statements.size() != 1) {
            throw new IllegalArgumentException("the query '" + oneLine(select) + "' holds " + statements.size()
                    + " statements; give exactly one SELECT");
        }
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("SET TRANSACTION READ ONLY");
        }
    }

    private static Schema resultSchema(String select, ResultSetMetaData md) throws SQLException {
        if (md == null || md.getColumnCount() == 0) {
            throw new IllegalArgumentException("the query '" + oneLine(select) + "' returns no columns; give a SELECT that returns rows");
        }
        List<Column> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            if (!TableNames.isIdentifier(name) || name.equals(ROW_COLUMN)) {
                throw new IllegalArgumentException("the query '" + oneLine(select) + "' returns a column named '" + name
                        + "', which is not an identifier Hopper accepts; name it with AS (e.g. SELECT a + b AS total)");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("the query '" + oneLine(select) + "' returns two columns named '" + name
                        + "'; rename one with AS");
            }
            columns.add(new Column(name, typeOf("the query '" + oneLine(select) + "'", name, md.getColumnTypeName(i))));
        }
        return new Schema(columns);
    }

    /** A query's failure: PostgreSQL refusing the query is bad input, anything else a failure. */
    private RuntimeException queryFailure(String select, SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.startsWith("42") || state.startsWith("22") || state.startsWith("0A") || state.equals("25006")) {
            return new IllegalArgumentException("the query '" + oneLine(select) + "' is refused by " + describe() + ": "
                    + redact(String.valueOf(e.getMessage())).replaceAll("\\s+", " ").trim()
                    + "; fix the SELECT (it runs in a read-only transaction)");
        }
        return failure("run the query '" + oneLine(select) + "'", e);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    private static Object get(ResultSet rs, int index, ColumnType type) throws SQLException {
        Object value = switch (type) {
            case INT -> rs.getInt(index);
            case BIGINT -> rs.getLong(index);
            case DOUBLE -> rs.getDouble(index);
            case TEXT -> rs.getString(index);
            case BOOLEAN -> rs.getBoolean(index);
            case BYTES -> rs.getBytes(index);
            case INT_ARRAY, DOUBLE_ARRAY, TEXT_ARRAY -> array(rs.getArray(index), type);
        };
        return rs.wasNull() ? null : value;
    }

    private static List<Object> array(Array array, ColumnType type) throws SQLException {
        if (array == null) {
            return null;
        }
        Object[] elements = (Object[]) array.getArray();
        Object[] converted = new Object[elements.length];
        for (int i = 0; i < elements.length; i++) {
            Object e = elements[i];
            converted[i] = e == null ? null : switch (type) {
                case INT_ARRAY -> ((Number) e).intValue();
                case DOUBLE_ARRAY -> ((Number) e).doubleValue();
                default -> e.toString();
            };
        }
        array.free();
        return Collections.unmodifiableList(Arrays.asList(converted));
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /** One operation: a connection in one transaction holding an advisory lock per table until it ends. */
    private final class PgOperation implements StoreOperation {
        private final TreeSet<String> lockedTables = new TreeSet<>();
        private final Connection connection;
        private final List<PgTableWriter> writers = new ArrayList<>();
        private boolean finished;

        PgOperation(Collection<String> tables) {
            for (String t : tables) {
                lockedTables.add(requireWritable(t));
            }
            Connection c = null;
            try {
                c = lease().connection;
                createMetaTable(c);
                c.setAutoCommit(false);
                for (String t : lockedTables) { // sorted, so two operations never wait for each other in a cycle
                    lock(c, t);
                }
                this.connection = c;
            } catch (SQLException e) {
                releaseIfLent(c);
                throw failure("lock tables " + lockedTables, e);
            } catch (RuntimeException e) {
                releaseIfLent(c);
                throw e;
            }
        }

        private void lock(Connection c, String table) throws SQLException {
            long deadline = System.nanoTime() + lockWait.toNanos();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT pg_try_advisory_xact_lock(?, hashtext(current_schema() || '.' || ?))")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setString(2, table);
                while (true) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            return;
                        }
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("table '" + table + "' in " + describe() + " is being written by "
                                + holder(c, table) + "; waited " + lockWait.toSeconds()
                                + " s: run this again when that process has finished");
                    }
                    FileLocks.sleep();
                }
            }
        }

        /** The session holding a table's lock, as pg_stat_activity shows it. */
        private String holder(Connection c, String table) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.application_name, a.pid, a.client_addr"
                    + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                    + " AND l.classid = ?::int4::oid AND l.objid = hashtext(current_schema() || '.' || ?)::oid AND l.objsubid = 2")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setString(2, table);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        String app = rs.getString(1);
                        return (app == null || app.isBlank() ? "another session" : "'" + app + "'") + " (server process "
                                + rs.getInt(2) + (rs.getString(3) == null ? "" : ", client " + rs.getString(3)) + ")";
                    }
                }
            }
            return "another process";
        }

        @Override
        public boolean exists(String table) {
            requireOpen();
            try {
                return PostgresStore.exists(connection, TableNames.requireTable(table));
            } catch (SQLException e) {
                throw failure("look up table '" + table + "'", e);
            }
        }

        @Override
        public TableWriter create(String table, Schema schema, String partitionColumn) {
            requireLocked(table);
            PgTableWriter w = new PgTableWriter(connection, table, schema, partitionColumn, false);
            writers.add(w);
            return w;
        }

        @Override
        public void replace(String table, Schema schema, List<Row> rows) {
            requireLocked(table);
            try (PgTableWriter w = new PgTableWriter(connection, table, schema, null, true)) {
                writers.add(w);
                for (Row r : rows) {
                    w.add(r);
                }
                w.commit();
            }
        }

        @Override
        public void drop(String table) {
            requireLocked(table);
            try {
                requireExists(connection, table);
                try (Statement st = connection.createStatement()) {
                    st.execute("DROP TABLE " + quote(table));
                }
                try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + META_TABLE + " WHERE table_name = ?")) {
                    ps.setString(1, table);
                    ps.executeUpdate();
                }
            } catch (SQLException e) {
                throw failure("drop table '" + table + "'", e);
            }
        }

        @Override
        public void commit() {
            requireOpen();
            for (PgTableWriter w : writers) {
                if (w.open) {
                    throw new IllegalStateException("the writer of table '" + w.table + "' is still open; commit or close it"
                            + " before the operation commits");
                }
            }
            try {
                CommitPoints.reach(); // 1: everything written, not committed
                connection.commit();
                CommitPoints.reach(); // 2: committed
            } catch (SQLException e) {
                throw failure("commit the changes to " + lockedTables, e);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            if (!finished) {
                finished = true;
                for (PgTableWriter w : writers) {
                    w.close();
                }
                release(connection); // rolls back an uncommitted transaction, which also releases the locks
            }
        }

        private void requireLocked(String table) {
            requireOpen();
            if (!lockedTables.contains(TableNames.requireTable(table))) {
                throw new IllegalStateException("table '" + table + "' is not one of the tables " + lockedTables
                        + " this operation locked; name it in begin");
            }
        }

        private void requireOpen() {
            if (finished) {
                throw new IllegalStateException("the operation on " + lockedTables + " is finished; begin a new one");
            }
        }
    }

    /** A table name an operation may write: an identifier other than the store's own catalogue. */
    private static String requireWritable(String table) {
        TableNames.requireTable(table);
        if (table.equals(META_TABLE)) {
            throw new IllegalArgumentException("table '" + META_TABLE + "' is the PostgreSQL store's catalogue of Hopper's"
                    + " tables; Hopper never writes or drops it (drop the tables it lists instead)");
        }
        return table;
    }

    /**
     * Creates (or, with replace, drops and re-creates) and fills a table inside an operation's transaction, after a
     * savepoint: closing without commit rolls back to it, so the operation goes on without this table.
     */
    private final class PgTableWriter implements TableWriter {
        private final String table;
        private final Schema schema;
        private final int partitionIndex;
        private final Connection connection;
        private final java.sql.Savepoint savepoint;
        private final PreparedStatement insert;
        private int batchRows;
        private long batchBytes;
        private boolean open = true;

        PgTableWriter(Connection c, String table, Schema schema, String partitionColumn, boolean replace) {
            TableNames.requireTable(table);
            this.table = table;
            this.schema = schema;
            this.connection = c;
            this.partitionIndex = StoreChecks.partitionIndex(table, schema, partitionColumn);
            if (schema.has(ROW_COLUMN)) {
                throw new IllegalArgumentException("column name '" + ROW_COLUMN + "' of table '" + table
                        + "' is reserved by the PostgreSQL store; rename the column");
            }
            java.sql.Savepoint sp = null;
            try {
                if (!replace && exists(c, table)) {
                    throw StoreChecks.alreadyExists(table, PostgresStore.this);
                }
                sp = c.setSavepoint();
                if (replace) {
                    try (Statement st = c.createStatement()) {
                        st.execute("DROP TABLE IF EXISTS " + quote(table));
                    }
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + META_TABLE + " WHERE table_name = ?")) {
                        ps.setString(1, table);
                        ps.executeUpdate();
                    }
                }
                StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(quote(table)).append(" (")
                        .append(quote(ROW_COLUMN)).append(" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
                for (Column col : schema.columns()) {
                    ddl.append(", ").append(quote(col.name())).append(' ').append(col.type().sqlType());
                }
                ddl.append(')');
                try (Statement st = c.createStatement()) {
                    st.execute(ddl.toString());
                    if (partitionIndex >= 0) {
                        st.execute("CREATE INDEX ON " + quote(table) + " (" + quote(partitionColumn) + ", "
                                + quote(ROW_COLUMN) + ")");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + META_TABLE
                        + " (table_name, partition_column, format_version) VALUES (?, ?, 1)")) {
                    ps.setString(1, table);
                    ps.setString(2, partitionColumn);
                    ps.executeUpdate();
                }
                String marks = String.join(", ", Collections.nCopies(schema.size(), "?"));
                this.insert = c.prepareStatement("INSERT INTO " + quote(table) + " (" + selectList(schema) + ") VALUES (" + marks + ")");
                this.savepoint = sp;
            } catch (SQLException e) {
                rollbackTo(sp);
                if (!replace && ("42P07".equals(e.getSQLState()) || "23505".equals(e.getSQLState()))) {
                    throw StoreChecks.alreadyExists(table, PostgresStore.this);
                }
                throw failure("create table '" + table + "'", e);
            } catch (RuntimeException e) {
                rollbackTo(sp);
                throw e;
            }
        }

        private void rollbackTo(java.sql.Savepoint sp) {
            if (sp != null) {
                try {
                    connection.rollback(sp);
                } catch (SQLException e) {
                    // the operation's transaction is rolled back when it closes
                }
            }
        }

        @Override
        public void add(Row row) {
            requireOpen();
            StoreChecks.checkRow(table, schema, row);
            if (partitionIndex >= 0) {
                StoreChecks.partitionValue(table, schema, partitionIndex, row);
            }
            try {
                for (int i = 0; i < schema.size(); i++) {
                    batchBytes += set(i + 1, schema.columns().get(i).type(), row.get(i));
                }
                insert.addBatch();
                batchRows++;
                if (batchRows >= BATCH_ROWS || batchBytes >= BATCH_BYTES) {
                    flush();
                }
            } catch (SQLException e) {
                close();
                throw failure("write table '" + table + "'", e);
            }
        }

        /** Binds one value and returns roughly how many bytes it adds to the batch. */
        private long set(int index, ColumnType type, Object value) throws SQLException {
            if (value == null) {
                insert.setNull(index, switch (type) {
                    case INT -> Types.INTEGER;
                    case BIGINT -> Types.BIGINT;
                    case DOUBLE -> Types.DOUBLE;
                    case TEXT -> Types.VARCHAR;
                    case BOOLEAN -> Types.BOOLEAN;
                    case BYTES -> Types.BINARY;
                    case INT_ARRAY, DOUBLE_ARRAY, TEXT_ARRAY -> Types.ARRAY;
                });
                return 1;
            }
            switch (type) {
                case INT -> insert.setInt(index, (Integer) value);
                case BIGINT -> insert.setLong(index, (Long) value);
                case DOUBLE -> insert.setDouble(index, (Double) value);
                case TEXT -> insert.setString(index, (String) value);
                case BOOLEAN -> insert.setBoolean(index, (Boolean) value);
                case BYTES -> insert.setBytes(index, (byte[]) value);
                case INT_ARRAY -> insert.setArray(index, connection.createArrayOf("int4", ((List<?>) value).toArray(new Integer[0])));
                case DOUBLE_ARRAY -> insert.setArray(index, connection.createArrayOf("float8", ((List<?>) value).toArray(new Double[0])));
                case TEXT_ARRAY -> insert.setArray(index, connection.createArrayOf("text", ((List<?>) value).toArray(new String[0])));
            }
            return switch (type) {
                case TEXT -> ((String) value).length();
                case BYTES -> ((byte[]) value).length;
                case INT_ARRAY, DOUBLE_ARRAY, TEXT_ARRAY -> 8L * ((List<?>) value).size();
                default -> 8;
            };
        }

        private void flush() throws SQLException {
            if (batchRows > 0) {
                insert.executeBatch();
                batchRows = 0;
                batchBytes = 0;
            }
        }

        @Override
        public void commit() {
            requireOpen();
            try {
                flush();
                connection.releaseSavepoint(savepoint);
                open = false;
            } catch (SQLException e) {
                throw failure("write table '" + table + "'", e);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                rollbackTo(savepoint);
            }
            try {
                insert.close();
            } catch (SQLException e) {
                // the connection is reset or closed at the end of the operation anyway
            }
        }

        private void requireOpen() {
            if (!open) {
                throw new IllegalStateException("the writer of table '" + table + "' is closed; start a new writer with create");
            }
        }
    }

    /** Creates the metadata table unless it exists, in its own transaction; a concurrent creation is fine. */
    private static void createMetaTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + META_TABLE + " (table_name text PRIMARY KEY,"
                    + " partition_column text, format_version integer NOT NULL,"
                    + " created timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private void releaseIfLent(Connection c) {
        if (c != null) {
            release(c);
        }
    }

    /** Closes a connection; the server rolls back a transaction left open. */
    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing more to release
        }
    }
}
