package io.hopper.store;

/**
 * Writes the rows of a new table; nothing is visible until {@link #commit()}, and closing without committing
 * leaves no table behind.
 */
public interface TableWriter extends AutoCloseable {

    /** Adds one row; its values must match the schema's types. */
    void add(Row row);

    /** Publishes the table. */
    void commit();

    /** Discards the rows unless committed. */
    @Override
    void close();
}
