package io.hopper.store;

import java.util.Objects;

/**
 * A named, typed column of a table.
 *
 * @param name the column name, a valid identifier
 * @param type the column type
 */
public record Column(String name, ColumnType type) {
    /** Validates the name as an identifier. */
    public Column {
        TableNames.requireIdentifier("column name", name);
        Objects.requireNonNull(type, "type");
    }
}
