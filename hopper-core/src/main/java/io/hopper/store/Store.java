package io.hopper.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where tables live: a directory ({@link FileStore}) or a PostgreSQL database ({@link PostgresStore}).
 *
 * <p>Every read and write of a table goes through a store. Table names are identifiers
 * ({@link TableNames}). Writes are all-or-nothing: a table appears only when its writer commits.
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
     * Starts a new table; it becomes visible on {@link TableWriter#commit()}.
     *
     * @param table the name; IllegalArgumentException when it exists already
     * @param schema the columns
     * @param partitionColumn null, or an INT column whose values split the table so that
     *                        {@link #scanPartition} reads one part without reading the others
     */
    TableWriter create(String table, Schema schema, String partitionColumn);

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
    void replace(String table, Schema schema, List<Row> rows);

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
    void drop(String table);

    /** A description for messages; never contains a password. */
    String describe();

    @Override
    void close();
}
