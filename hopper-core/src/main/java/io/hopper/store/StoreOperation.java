package io.hopper.store;

import java.util.List;

/**
 * A set of table changes that becomes visible all at once on {@link #commit()}, or not at all: a command's tables
 * (a packed table and its summary, a fit's four output tables, an append, a drop with its companions).
 *
 * <p>{@link Store#begin} locks the tables an operation may change, so one process at a time writes a table;
 * reads inside the operation see the committed tables (an append reads, then replaces, without another writer in
 * between). Closing without commit, or a failure before it, changes nothing. A process killed at any instant
 * leaves every table as before the operation or as after it (docs/store-format.md says how each store does it).
 */
public interface StoreOperation extends AutoCloseable {

    /** Whether the table exists as this operation leaves it: its own creations and drops included. */
    boolean exists(String table);

    /**
     * Starts a new table of this operation; {@link TableWriter#commit()} finishes its rows, and the table appears
     * with the others at {@link #commit()}.
     *
     * @param table a table this operation locked; IllegalArgumentException when it exists already
     * @param schema the columns
     * @param partitionColumn null, or an INT column (see {@link Store#create})
     */
    TableWriter create(String table, Schema schema, String partitionColumn);

    /** Writes a whole new table at once (see {@link #create}). */
    default void write(String table, Schema schema, List<Row> rows) {
        try (TableWriter w = create(table, schema, null)) {
            for (Row r : rows) {
                w.add(r);
            }
            w.commit();
        }
    }

    /** Replaces the rows of a table this operation locked, or creates it. */
    void replace(String table, Schema schema, List<Row> rows);

    /** Drops a table this operation locked; IllegalArgumentException when it does not exist. */
    void drop(String table);

    /** Makes every change visible at once; the operation is finished afterwards. */
    void commit();

    /** Releases the locks; without {@link #commit()}, discards every change. */
    @Override
    void close();
}
