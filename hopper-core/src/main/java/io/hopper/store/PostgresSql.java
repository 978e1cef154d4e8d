package io.hopper.store;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.NativeQuery;
import org.postgresql.core.Parser;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The SQL of the PostgreSQL store that needs no store state: quoting, the catalogue lookups, the mapping between
 * PostgreSQL types and {@link ColumnType}s, and streaming a query's rows.
 */
final class PostgresSql {
    private static final int FETCH_ROWS_WIDE = 16;
    private static final int FETCH_ROWS_NARROW = 1000;

    private PostgresSql() {
    }

    /** A double-quoted identifier; the name has passed {@link TableNames}, so it holds no quote. */
    static String quote(String identifier) {
        return '"' + TableNames.requireIdentifier("identifier", identifier) + '"';
    }

    /** The quoted column names of a schema, comma-separated. */
    static String selectList(Schema schema) {
        return String.join(", ", schema.names().stream().map(PostgresSql::quote).toList());
    }

    /** Whether a base table of this name is in the connection's current schema. */
    static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.tables"
                + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The partition column {@value PostgresStore#META_TABLE} records for a table, if any. */
    static Optional<String> partitionColumn(Connection c, String table) throws SQLException {
        if (!exists(c, PostgresStore.META_TABLE)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT partition_column FROM " + PostgresStore.META_TABLE + " WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The column type Hopper reads a PostgreSQL type as (numeric is read as DOUBLE; the driver names the integer
     * columns of a query that come from serial columns serial, smallserial or bigserial).
     *
     * @param owner "table 'name'" or "the query '...'", for messages
     */
    static ColumnType typeOf(String owner, String column, String udtName) {
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

    /** Executes a prepared query and hands each row to the consumer, fetching a few rows at a time. */
    static void read(PreparedStatement ps, Schema schema, Consumer<Row> consumer) throws SQLException {
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
    static void beginReadOnly(Connection c, String select) throws SQLException {
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

    /** The columns of a query's result, refused when a name is not an identifier, repeats or has an unread type. */
    static Schema resultSchema(String select, ResultSetMetaData md) throws SQLException {
        if (md == null || md.getColumnCount() == 0) {
            throw new IllegalArgumentException("the query '" + oneLine(select) + "' returns no columns; give a SELECT that returns rows");
        }
        List<Column> columns = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            String name = md.getColumnLabel(i);
            if (!TableNames.isIdentifier(name) || name.equals(PostgresStore.ROW_COLUMN)) {
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

    /** The text with every run of white space as one space. */
    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /** The value of a column of the current row as the column type's Java value (null for SQL NULL). */
    static Object get(ResultSet rs, int index, ColumnType type) throws SQLException {
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

    /** A SQL array as an unmodifiable list of the element type's Java values. */
    static List<Object> array(Array array, ColumnType type) throws SQLException {
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

    /** Creates the metadata table unless it exists, in its own transaction; a concurrent creation is fine. */
    static void createMetaTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + PostgresStore.META_TABLE + " (table_name text PRIMARY KEY,"
                    + " partition_column text, format_version integer NOT NULL,"
                    + " created timestamptz NOT NULL DEFAULT now())");
        } catch (SQLException e) {
            if (!"42P07".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Closes a connection; the server rolls back a transaction left open. */
    static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // nothing more to release
        }
    }
}
