package io.hopper.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.Collections;
import java.util.List;

/**
 * Creates (or, with replace, drops and re-creates) and fills a table inside an operation's transaction, after a
 * savepoint: closing without commit rolls back to it, so the operation goes on without this table.
 */
final class PostgresTableWriter implements TableWriter {
    private static final int BATCH_ROWS = 256;
    private static final long BATCH_BYTES = 8L << 20;

    private final PostgresStore store;
    private final String table;
    private final Schema schema;
    private final int partitionIndex;
    private final Connection connection;
    private final Savepoint savepoint;
    private final PreparedStatement insert;
    private int batchRows;
    private long batchBytes;
    private boolean open = true;

    PostgresTableWriter(PostgresStore store, Connection c, String table, Schema schema, String partitionColumn, boolean replace) {
        TableNames.requireTable(table);
        this.store = store;
        this.table = table;
        this.schema = schema;
        this.connection = c;
        this.partitionIndex = StoreChecks.partitionIndex(table, schema, partitionColumn);
        if (schema.has(PostgresStore.ROW_COLUMN)) {
            throw new IllegalArgumentException("column name '" + PostgresStore.ROW_COLUMN + "' of table '" + table
                    + "' is reserved by the PostgreSQL store; rename the column");
        }
        Savepoint sp = null;
        try {
            if (!replace && PostgresSql.exists(c, table)) {
                throw StoreChecks.alreadyExists(table, store);
            }
            sp = c.setSavepoint();
            if (replace) {
                try (Statement st = c.createStatement()) {
                    st.execute("DROP TABLE IF EXISTS " + PostgresSql.quote(table));
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + PostgresStore.META_TABLE + " WHERE table_name = ?")) {
                    ps.setString(1, table);
                    ps.executeUpdate();
                }
            }
            StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(PostgresSql.quote(table)).append(" (")
                    .append(PostgresSql.quote(PostgresStore.ROW_COLUMN)).append(" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY");
            for (Column col : schema.columns()) {
                ddl.append(", ").append(PostgresSql.quote(col.name())).append(' ').append(col.type().sqlType());
            }
            ddl.append(')');
            try (Statement st = c.createStatement()) {
                st.execute(ddl.toString());
                if (partitionIndex >= 0) {
                    st.execute("CREATE INDEX ON " + PostgresSql.quote(table) + " (" + PostgresSql.quote(partitionColumn) + ", "
                            + PostgresSql.quote(PostgresStore.ROW_COLUMN) + ")");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + PostgresStore.META_TABLE
                    + " (table_name, partition_column, format_version) VALUES (?, ?, 1)")) {
                ps.setString(1, table);
                ps.setString(2, partitionColumn);
                ps.executeUpdate();
            }
            String marks = String.join(", ", Collections.nCopies(schema.size(), "?"));
            this.insert = c.prepareStatement("INSERT INTO " + PostgresSql.quote(table) + " (" + PostgresSql.selectList(schema) + ") VALUES (" + marks + ")");
            this.savepoint = sp;
        } catch (SQLException e) {
            rollbackTo(sp);
            if (!replace && ("42P07".equals(e.getSQLState()) || "23505".equals(e.getSQLState()))) {
                throw StoreChecks.alreadyExists(table, store);
            }
            throw store.failure("create table '" + table + "'", e);
        } catch (RuntimeException e) {
            rollbackTo(sp);
            throw e;
        }
    }

    private void rollbackTo(Savepoint sp) {
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
            throw store.failure("write table '" + table + "'", e);
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
            throw store.failure("write table '" + table + "'", e);
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

    /** The table this writer writes. */
    String table() {
        return table;
    }

    /** Whether rows may still be added (neither committed nor closed). */
    boolean isOpen() {
        return open;
    }

    private void requireOpen() {
        if (!open) {
            throw new IllegalStateException("the writer of table '" + table + "' is closed; start a new writer with create");
        }
    }
}
