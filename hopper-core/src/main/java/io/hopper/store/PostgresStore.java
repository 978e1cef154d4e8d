package io.hopper.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
    /** The most connections {@link #PostgresStore(String)} opens at once: enough for several workers reading at once. */
    public static final int DEFAULT_POOL_SIZE = 8;
    /**
     * How long an operation waits for a connection when all of the pool's are lent or none can be made: short, so that
     * a server that is down fails fast into the store's own retry, which {@code --store-retry} bounds.
     */
    static final long CONNECTION_TIMEOUT_MILLIS = 5_000;
    /** How long an unused connection stays open. */
    static final long IDLE_TIMEOUT_MILLIS = 60_000;
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
            return PostgresSql.exists(c, table);
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
            return PostgresSql.partitionColumn(c, table);
        } catch (SQLException e) {
            throw failure("read the partition column of table '" + table + "'", e);
        }
    }

    /** Begins an operation (retrying while the server is unreachable); what it does later is not retried. */
    @Override
    public StoreOperation begin(Collection<String> tables) {
        return retrying(() -> new PostgresOperation(this, tables), () -> true);
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
            stream(c, cols, "SELECT " + PostgresSql.selectList(cols.schema) + " FROM " + PostgresSql.quote(table)
                    + (cols.ordered ? " ORDER BY " + PostgresSql.quote(ROW_COLUMN) : ""), null, consumer);
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
            PostgresSql.beginReadOnly(c, select);
            try (PreparedStatement ps = c.prepareStatement(select)) {
                return PostgresSql.resultSchema(select, ps.getMetaData());
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
            PostgresSql.beginReadOnly(c, select);
            try (PreparedStatement ps = c.prepareStatement(select)) {
                Schema schema = PostgresSql.resultSchema(select, ps.getMetaData());
                PostgresSql.read(ps, schema, consumer);
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
            String column = PostgresSql.partitionColumn(c, table).orElseThrow(() -> StoreChecks.notPartitioned(table, this));
            stream(c, cols, "SELECT " + PostgresSql.selectList(cols.schema) + " FROM " + PostgresSql.quote(table) + " WHERE " + PostgresSql.quote(column)
                    + " = ?" + (cols.ordered ? " ORDER BY " + PostgresSql.quote(ROW_COLUMN) : ""), partition, consumer);
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

    /**
     * Lends a connection of the pool, or a new one without a pool (pool size 0, the store closed, or none to be had from
     * the pool within its wait).
     */
    private Lease lease() throws SQLException {
        HikariDataSource p = pool;
        if (p != null && !p.isClosed()) {
            try {
                return new Lease(p.getConnection());
            } catch (java.sql.SQLTransientConnectionException e) {
                // the pool had none for the wait: after an outage its own reconnecting may lag behind the server, so
                // ask the server directly; a server still down fails at once here, into the store's retry
            } catch (SQLException e) {
                if (!p.isClosed()) {
                    throw e;
                }
            }
        }
        return new Lease(connect());
    }

    /**
     * Takes a connection back (from a lease or from {@link #borrow}): rolls back an open transaction and restores
     * auto-commit, then closes it, which gives a pooled connection back to the pool (HikariCP evicts one that failed).
     */
    void release(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            // HikariCP evicts a connection whose reset failed with a broken-connection state; closing is all that is left
        }
        PostgresSql.closeQuietly(c);
    }

    /** A connection for an operation, which gives it back with {@link #release}. */
    Connection borrow() throws SQLException {
        return lease().connection;
    }

    /** How long a writer waits for another writer of one of its tables before it is refused. */
    Duration lockWait() {
        return lockWait;
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
                if (!transientFailure(e) || !mayRetry.getAsBoolean()) {
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
                    System.err.println("hopper: " + describe() + " is unreachable (" + PostgresSql.oneLine(String.valueOf(e.getMessage()))
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

    @Override
    public boolean isTransient(RuntimeException failure) {
        return transientFailure(failure);
    }

    /** Whether a failure comes from a dropped connection or a server that is down or restarting. */
    static boolean transientFailure(Throwable e) {
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

    /** A failure of the store: a connection failure says to start the server or fix the URL; others say what failed. */
    IllegalStateException failure(String what, SQLException e) {
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

    /** Refuses a table that is not there, naming the store. */
    void requireExists(Connection c, String table) throws SQLException {
        if (!PostgresSql.exists(c, table)) {
            throw StoreChecks.missing(table, this);
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
                        columns.add(new Column(name, PostgresSql.typeOf("table '" + table + "'", name, rs.getString(2))));
                    }
                }
            }
        }
        if (columns.isEmpty() && !PostgresSql.exists(c, table)) {
            throw StoreChecks.missing(table, this);
        }
        return new TableColumns(new Schema(columns), ordered);
    }

    private void stream(Connection c, TableColumns cols, String sql, Integer partition, Consumer<Row> consumer)
            throws SQLException {
        c.setAutoCommit(false); // the driver streams with a fetch size only inside a transaction
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (partition != null) {
                ps.setInt(1, partition);
            }
            PostgresSql.read(ps, cols.schema, consumer);
        } finally {
            c.rollback();
        }
    }

    /** A query's failure: PostgreSQL refusing the query is bad input, anything else a failure. */
    private RuntimeException queryFailure(String select, SQLException e) {
        String state = String.valueOf(e.getSQLState());
        if (state.startsWith("42") || state.startsWith("22") || state.startsWith("0A") || state.equals("25006")) {
            return new IllegalArgumentException("the query '" + PostgresSql.oneLine(select) + "' is refused by " + describe() + ": "
                    + redact(String.valueOf(e.getMessage())).replaceAll("\\s+", " ").trim()
                    + "; fix the SELECT (it runs in a read-only transaction)");
        }
        return failure("run the query '" + PostgresSql.oneLine(select) + "'", e);
    }

}
