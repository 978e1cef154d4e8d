package io.hopper.automl;

import io.hopper.fit.InfoRow;
import io.hopper.fit.OutputTables;
import io.hopper.store.Column;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One row of a search's O_info, typed: a fit's O_info columns followed by the configuration's own metrics
 * iterations, the iterations it trained and where it stopped (Hyperband's bracket s and round i, or ASHA's rung);
 * {@link #toRow()} and {@link #fromRow} are its one codec.
 *
 * @param info the columns a fit writes
 * @param metricsIters the iterations at which it computed metrics
 * @param iterations the iterations it trained
 * @param bracket Hyperband's bracket s
 * @param round Hyperband's last round i reached
 * @param rung ASHA's highest rung reached
 */
public record SearchInfo(InfoRow info, List<Integer> metricsIters, int iterations, OptionalInt bracket, OptionalInt round,
                         OptionalInt rung) {
    /** Validates and copies. */
    public SearchInfo {
        Objects.requireNonNull(info, "info");
        metricsIters = List.copyOf(metricsIters);
        Objects.requireNonNull(bracket, "bracket");
        Objects.requireNonNull(round, "round");
        Objects.requireNonNull(rung, "rung");
    }

    /** O_info of a search by {@code method}: a fit's columns, then the search's. */
    public static Schema schema(AutomlSpec.Method method) {
        List<Column> columns = new ArrayList<>(OutputTables.INFO.columns());
        columns.add(new Column("metrics_iters", ColumnType.INT_ARRAY));
        columns.add(new Column("iterations", ColumnType.INT));
        switch (method) {
            case HYPERBAND -> {
                columns.add(new Column("s", ColumnType.INT));
                columns.add(new Column("i", ColumnType.INT));
            }
            case ASHA -> columns.add(new Column("rung", ColumnType.INT));
            case RANDOM -> { }
        }
        return new Schema(columns);
    }

    /** The row in {@link #schema}'s order for its method. */
    public Row toRow() {
        List<Object> values = info.values();
        values.add(metricsIters);
        values.add(iterations);
        for (OptionalInt v : List.of(bracket, round, rung)) {
            v.ifPresent(values::add);
        }
        return Row.of(values);
    }

    /** A row of a table with {@code schema} (columns found by name; s, i and rung when the table has them). */
    public static SearchInfo fromRow(Row r, Schema schema) {
        @SuppressWarnings("unchecked")
        List<Integer> iters = (List<Integer>) r.get(schema.indexOf("metrics_iters"));
        return new SearchInfo(InfoRow.fromRow(r, schema), iters, (Integer) r.get(schema.indexOf("iterations")),
                intColumn(r, schema, "s"), intColumn(r, schema, "i"), intColumn(r, schema, "rung"));
    }

    private static OptionalInt intColumn(Row r, Schema schema, String column) {
        return schema.has(column) ? OptionalInt.of((Integer) r.get(schema.indexOf(column))) : OptionalInt.empty();
    }
}
