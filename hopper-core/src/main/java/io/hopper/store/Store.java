package io.hopper.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where tables live: a directory ({@link FileStore}) or a PostgreSQL database ({@link PostgresStore}).
 *
 * <p>Every read and write of a table goes through a store. Table names are identifiers
 * ({@link TableNames}). Writes are operations ({@link #begin}): all-or-nothing over a set of tables, one writer per
 * table at a time; the single-table writes below are operations of one table.
 */
public interface Store extends AutoCloseable {

    /** The table names, sorted. */
    List<String> listTables();

    /** Whether the table exists. */
    boolean exists(String table);

    /** The schema of an existing table; IllegalArgumentException when it does not exist. */
    Schema schema(String table);

    /** The partition column of a table created with one, if any. */
    Optional<String> partitionColumn(String table);

    /**
     * Starts an operation that may change the given tables, locking them: a table another process (or thread) is
     * writing is waited for a bounded time, then refused with an IllegalStateException naming that process.
     *
     * @param tables every table the operation may create, replace or drop
     */
    StoreOperation begin(Collection<String> tables);

    /**
     * Starts a new table; it becomes visible on {@link TableWriter#commit()}.
     *
     * @param table the name; IllegalArgumentException when it exists already
     * @param schema the columns
     * @param partitionColumn null, or an INT column whose values split the table so that
     *                        {@link #scanPartition} reads one part without reading the others
     */
    default TableWriter create(String table, Schema schema, String partitionColumn) {
        StoreOperation op = begin(List.of(TableNames.requireTable(table)));
        TableWriter writer;
        try {
            writer = op.create(table, schema, partitionColumn);
        } catch (RuntimeException | Error e) {
            op.close();
            throw e;
        }
        return new TableWriter() {
            @Override
            public void add(Row row) {
                writer.add(row);
            }

            @Override
            public void commit() {
                try {
                    writer.commit();
                    op.commit();
                } finally {
                    op.close();
                }
            }

            @Override
            public void close() {
                try {
                    writer.close();
                } finally {
                    op.close();
                }
            }
        };
    }

    /** Writes a whole new table at once. */
    default void write(String table, Schema schema, List<Row> rows) {
        try (TableWriter w = create(table, schema, null)) {
            for (Row r : rows) {
                w.add(r);
            }
            w.commit();
        }
    }

    /** Replaces the rows of an existing table (or creates it) in one step: readers see the old or the new rows. */
    default void replace(String table, Schema schema, List<Row> rows) {
        try (StoreOperation op = begin(List.of(TableNames.requireTable(table)))) {
            op.replace(table, schema, rows);
            op.commit();
        }
    }

    /** Calls the consumer with every row in the order written. */
    void scan(String table, Consumer<Row> consumer);

    /** Calls the consumer with the rows whose partition column equals the partition, in the order written. */
    void scanPartition(String table, int partition, Consumer<Row> consumer);

    /** All rows of a table in the order written. */
    default List<Row> readAll(String table) {
        List<Row> rows = new java.util.ArrayList<>();
        scan(table, rows::add);
        return rows;
    }

    /** Drops the table; IllegalArgumentException when it does not exist. */
    default void drop(String table) {
        try (StoreOperation op = begin(List.of(TableNames.requireTable(table)))) {
            op.drop(table);
            op.commit();
        }
    }

    /** A description for messages; never contains a password. */
    String describe();

    @Override
    void close();
}
