package io.hopper.store;

/**
 * The type of a table column, shared by every store so that a table means the same in a directory and in PostgreSQL.
 *
 * <p>Java values per type: INT {@link Integer}, BIGINT {@link Long}, DOUBLE {@link Double}, TEXT {@link String},
 * BOOLEAN {@link Boolean}, BYTES {@code byte[]}, INT_ARRAY {@code List<Integer>}, DOUBLE_ARRAY
 * {@code List<Double>}, TEXT_ARRAY {@code List<String>} (array elements may be null). Any value may be null.
 */
public enum ColumnType {
    INT("integer"),
    BIGINT("bigint"),
    DOUBLE("double precision"),
    TEXT("text"),
    BOOLEAN("boolean"),
    BYTES("bytea"),
    INT_ARRAY("integer[]"),
    DOUBLE_ARRAY("double precision[]"),
    TEXT_ARRAY("text[]");

    private final String sqlType;

    ColumnType(String sqlType) {
        this.sqlType = sqlType;
    }

    /** The PostgreSQL type that holds this column. */
    public String sqlType() {
        return sqlType;
    }
}
