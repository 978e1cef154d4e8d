package io.hopper.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** An operation of the PostgreSQL store: a connection in one transaction holding an advisory lock per table until it ends. */
final class PostgresOperation extends LockingOperation {
    /** The first key of Hopper's advisory locks ("Hopr"); the second is hashtext(schema.table). */
    private static final int LOCK_CLASS = 0x486F7072;

    private final PostgresStore store;
    private final Connection connection;
    private final List<PostgresTableWriter> writers = new ArrayList<>();

    PostgresOperation(PostgresStore store, Collection<String> tables) {
        super(tables, PostgresOperation::requireWritable);
        this.store = store;
        Connection c = null;
        try {
            c = store.borrow();
            PostgresSql.createMetaTable(c);
            c.setAutoCommit(false);
            for (String t : lockedTables()) { // sorted, so two operations never wait for each other in a cycle
                lock(c, t);
            }
            this.connection = c;
        } catch (SQLException e) {
            releaseIfLent(c);
            throw store.failure("lock tables " + lockedTables(), e);
        } catch (RuntimeException e) {
            releaseIfLent(c);
            throw e;
        }
    }

    private void lock(Connection c, String table) throws SQLException {
        long deadline = System.nanoTime() + store.lockWait().toNanos();
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
                    throw new IllegalStateException("table '" + table + "' in " + store.describe() + " is being written by "
                            + holder(c, table) + "; waited " + store.lockWait().toSeconds()
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
            return PostgresSql.exists(connection, TableNames.requireTable(table));
        } catch (SQLException e) {
            throw store.failure("look up table '" + table + "'", e);
        }
    }

    @Override
    public TableWriter create(String table, Schema schema, String partitionColumn) {
        requireLocked(table);
        PostgresTableWriter w = new PostgresTableWriter(store, connection, table, schema, partitionColumn, false);
        writers.add(w);
        return w;
    }

    @Override
    public void replace(String table, Schema schema, List<Row> rows) {
        requireLocked(table);
        try (PostgresTableWriter w = new PostgresTableWriter(store, connection, table, schema, null, true)) {
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
            store.requireExists(connection, table);
            try (Statement st = connection.createStatement()) {
                st.execute("DROP TABLE " + PostgresSql.quote(table));
            }
            try (PreparedStatement ps = connection.prepareStatement("DELETE FROM " + PostgresStore.META_TABLE + " WHERE table_name = ?")) {
                ps.setString(1, table);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw store.failure("drop table '" + table + "'", e);
        }
    }

    @Override
    public void commit() {
        requireOpen();
        for (PostgresTableWriter w : writers) {
            requireWriterClosed(w.table(), w.isOpen());
        }
        try {
            CommitPoints.reach(); // 1: everything written, not committed
            connection.commit();
            CommitPoints.reach(); // 2: committed
        } catch (SQLException e) {
            throw store.failure("commit the changes to " + lockedTables(), e);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        if (!finished()) {
            finish();
            for (PostgresTableWriter w : writers) {
                w.close();
            }
            store.release(connection); // rolls back an uncommitted transaction, which also releases the locks
        }
    }

    /** A table name an operation may write: an identifier other than the store's own catalogue. */
    private static String requireWritable(String table) {
        TableNames.requireTable(table);
        if (table.equals(PostgresStore.META_TABLE)) {
            throw new IllegalArgumentException("table '" + PostgresStore.META_TABLE + "' is the PostgreSQL store's catalogue of Hopper's"
                    + " tables; Hopper never writes or drops it (drop the tables it lists instead)");
        }
        return table;
    }

    private void releaseIfLent(Connection c) {
        if (c != null) {
            store.release(c);
        }
    }
}
