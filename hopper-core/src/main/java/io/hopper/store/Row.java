package io.hopper.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of a table: values in schema order, typed as {@link ColumnType} documents.
 *
 * <p>Not a record because values may be null and {@code byte[]}; the list itself is unmodifiable.
 */
public final class Row {
    private final List<Object> values;

    private Row(List<Object> values) {
        this.values = Collections.unmodifiableList(values);
    }

    /** A row of the given values (null allowed). */
    public static Row of(Object... values) {
        List<Object> list = new ArrayList<>(values.length);
        Collections.addAll(list, values);
        return new Row(list);
    }

    /** A row of the given values (null allowed). */
    public static Row of(List<?> values) {
        return new Row(new ArrayList<>(values));
    }

    /** The values in schema order. */
    public List<Object> values() {
        return values;
    }

    /** The value at a column index. */
    public Object get(int index) {
        return values.get(index);
    }

    /** The number of values. */
    public int size() {
        return values.size();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
