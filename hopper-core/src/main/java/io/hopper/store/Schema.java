package io.hopper.store;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ordered columns of a table.
 *
 * @param columns the columns, at least one, with distinct names
 */
public record Schema(List<Column> columns) {
    /** Copies the list and checks that names are distinct. */
    public Schema {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        Set<String> seen = new HashSet<>();
        for (Column c : columns) {
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException("column '" + c.name() + "' appears twice in the schema; give each column its own name");
            }
        }
    }

    /** Builds a schema from alternating names and types. */
    public static Schema of(Object... namesAndTypes) {
        if (namesAndTypes.length % 2 != 0) {
            throw new IllegalArgumentException("Schema.of takes name, type pairs");
        }
        Column[] cols = new Column[namesAndTypes.length / 2];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = new Column((String) namesAndTypes[2 * i], (ColumnType) namesAndTypes[2 * i + 1]);
        }
        return new Schema(List.of(cols));
    }

    /** The index of the named column. */
    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column '" + name + "' in " + names() + "; use one of those");
    }

    /** Whether the schema has the named column. */
    public boolean has(String name) {
        return columns.stream().anyMatch(c -> c.name().equals(name));
    }

    /** The column names in order. */
    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** The number of columns. */
    public int size() {
        return columns.size();
    }
}
