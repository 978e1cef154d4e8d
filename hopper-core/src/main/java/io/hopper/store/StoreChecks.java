package io.hopper.store;

import java.util.List;

/**
 * The checks and messages every store shares, so that a table behaves and fails the same in a directory and in
 * PostgreSQL.
 */
final class StoreChecks {
    private StoreChecks() {
    }

    /** The error for creating a table that exists. */
    static IllegalArgumentException alreadyExists(String table, Store store) {
        return new IllegalArgumentException("table '" + table + "' already exists in " + store.describe()
                + "; drop it first with `hopper table drop " + table + "` or choose another name");
    }

    /** The error for reading or dropping a table that does not exist. */
    static IllegalArgumentException missing(String table, Store store) {
        return new IllegalArgumentException("table '" + table + "' does not exist in " + store.describe()
                + "; `hopper table list` shows the tables");
    }

    /** The error for a partition scan of a table created without a partition column. */
    static IllegalArgumentException notPartitioned(String table, Store store) {
        return new IllegalArgumentException("table '" + table + "' in " + store.describe()
                + " has no partition column; scan it whole or recreate it with a partition column");
    }

    /**
     * Checks a partition column against the schema and returns its index, or -1 when there is none.
     *
     * @param partitionColumn null, or the name of an INT column of the schema
     */
    static int partitionIndex(String table, Schema schema, String partitionColumn) {
        if (partitionColumn == null) {
            return -1;
        }
        if (!schema.has(partitionColumn)) {
            throw new IllegalArgumentException("partition column '" + partitionColumn + "' is not a column of table '"
                    + table + "' " + schema.names() + "; name one of those columns");
        }
        int index = schema.indexOf(partitionColumn);
        ColumnType type = schema.columns().get(index).type();
        if (type != ColumnType.INT) {
            throw new IllegalArgumentException("partition column '" + partitionColumn + "' of table '" + table
                    + "' is " + type + "; a partition column must be INT");
        }
        return index;
    }

    /** Checks that a row has one value per column, each of its column's Java type (see {@link ColumnType}). */
    static void checkRow(String table, Schema schema, Row row) {
        if (row.size() != schema.size()) {
            throw new IllegalArgumentException("table '" + table + "' has " + schema.size() + " columns "
                    + schema.names() + " but the row has " + row.size() + " values; give one value per column");
        }
        for (int i = 0; i < schema.size(); i++) {
            checkValue(table, schema.columns().get(i), row.get(i));
        }
    }

    /** The partition value of a row, which must not be null. */
    static int partitionValue(String table, Schema schema, int partitionIndex, Row row) {
        Object value = row.get(partitionIndex);
        if (value == null) {
            throw new IllegalArgumentException("table '" + table + "' partition column '"
                    + schema.columns().get(partitionIndex).name() + "' is null in a row; give every row a partition");
        }
        return (Integer) value;
    }

    private static void checkValue(String table, Column column, Object value) {
        if (value == null) {
            return;
        }
        ColumnType type = column.type();
        boolean ok = switch (type) {
            case INT -> value instanceof Integer;
            case BIGINT -> value instanceof Long;
            case DOUBLE -> value instanceof Double;
            case TEXT -> value instanceof String;
            case BOOLEAN -> value instanceof Boolean;
            case BYTES -> value instanceof byte[];
            case INT_ARRAY -> isListOf(value, Integer.class);
            case DOUBLE_ARRAY -> isListOf(value, Double.class);
            case TEXT_ARRAY -> isListOf(value, String.class);
        };
        if (!ok) {
            throw new IllegalArgumentException("table '" + table + "' column '" + column.name() + "' is " + type
                    + " but got " + describeValue(value) + "; pass " + javaType(type) + " or null");
        }
    }

    private static boolean isListOf(Object value, Class<?> element) {
        if (!(value instanceof List<?> list)) {
            return false;
        }
        for (Object e : list) {
            if (e != null && !element.isInstance(e)) {
                return false;
            }
        }
        return true;
    }

    private static String describeValue(Object value) {
        if (value instanceof List<?> list) {
            for (Object e : list) {
                if (e != null) {
                    return "a List holding a " + e.getClass().getSimpleName();
                }
            }
            return "a List";
        }
        return "a " + value.getClass().getSimpleName();
    }

    private static String javaType(ColumnType type) {
        return switch (type) {
            case INT -> "an Integer";
            case BIGINT -> "a Long";
            case DOUBLE -> "a Double";
            case TEXT -> "a String";
            case BOOLEAN -> "a Boolean";
            case BYTES -> "a byte[]";
            case INT_ARRAY -> "a List<Integer>";
            case DOUBLE_ARRAY -> "a List<Double>";
            case TEXT_ARRAY -> "a List<String>";
        };
    }
}
