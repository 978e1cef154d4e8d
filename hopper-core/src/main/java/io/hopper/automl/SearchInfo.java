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
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One row of a search's O_info, typed: a fit's O_info columns followed by the configuration's own metrics
 * iterations, the iterations it trained and where it stopped (Hyperband's bracket s and round i, or ASHA's rung), or
 * its lineage (PBT: one entry per exploit in the arrays exploit_iters, exploit_donors, exploit_donor_iters and
 * exploit_changes, the last one "setting from -> to" pairs joined by ", "); {@link #toRow()} and {@link #fromRow} are
 * its one codec.
 *
 * @param info the columns a fit writes
 * @param metricsIters the iterations at which it computed metrics
 * @param iterations the iterations it trained
 * @param bracket Hyperband's bracket s
 * @param round Hyperband's last round i reached
 * @param rung ASHA's highest rung reached
 * @param lineage PBT's exploits of this configuration, in order (empty for other methods, an empty list for a PBT
 *     configuration that never exploited)
 */
public record SearchInfo(InfoRow info, List<Integer> metricsIters, int iterations, OptionalInt bracket, OptionalInt round,
                         OptionalInt rung, Optional<List<Pbt.Exploit>> lineage) {
    /** The lineage columns of PBT's O_info. */
    private static final List<String> LINEAGE = List.of("exploit_iters", "exploit_donors", "exploit_donor_iters", "exploit_changes");

    /** Validates and copies. */
    public SearchInfo {
        Objects.requireNonNull(info, "info");
        metricsIters = List.copyOf(metricsIters);
        lineage = Objects.requireNonNull(lineage, "lineage").map(List::copyOf);
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
            case RANDOM, TPE -> { }
            case PBT -> {
                columns.add(new Column(LINEAGE.get(0), ColumnType.INT_ARRAY));
                columns.add(new Column(LINEAGE.get(1), ColumnType.INT_ARRAY));
                columns.add(new Column(LINEAGE.get(2), ColumnType.INT_ARRAY));
                columns.add(new Column(LINEAGE.get(3), ColumnType.TEXT_ARRAY));
            }
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
        lineage.ifPresent(exploits -> {
            values.add(exploits.stream().map(Pbt.Exploit::iteration).toList());
            values.add(exploits.stream().map(Pbt.Exploit::donorKey).toList());
            values.add(exploits.stream().map(Pbt.Exploit::donorIteration).toList());
            values.add(exploits.stream().map(x -> String.join(", ", x.changes().stream().map(Pbt.Change::toString).toList())).toList());
        });
        return Row.of(values);
    }

    /** A row of a table with {@code schema} (columns found by name; s, i and rung when the table has them). */
    public static SearchInfo fromRow(Row r, Schema schema) {
        @SuppressWarnings("unchecked")
        List<Integer> iters = (List<Integer>) r.get(schema.indexOf("metrics_iters"));
        return new SearchInfo(InfoRow.fromRow(r, schema), iters, (Integer) r.get(schema.indexOf("iterations")),
                intColumn(r, schema, "s"), intColumn(r, schema, "i"), intColumn(r, schema, "rung"), lineage(r, schema));
    }

    /** PBT's lineage columns read back; none for a table without them. */
    @SuppressWarnings("unchecked")
    private static Optional<List<Pbt.Exploit>> lineage(Row r, Schema schema) {
        if (!schema.has(LINEAGE.get(0))) {
            return Optional.empty();
        }
        List<Integer> iters = (List<Integer>) r.get(schema.indexOf(LINEAGE.get(0)));
        List<Integer> donors = (List<Integer>) r.get(schema.indexOf(LINEAGE.get(1)));
        List<Integer> donorIters = (List<Integer>) r.get(schema.indexOf(LINEAGE.get(2)));
        List<String> changes = (List<String>) r.get(schema.indexOf(LINEAGE.get(3)));
        int key = (Integer) r.get(schema.indexOf("mst_key"));
        List<Pbt.Exploit> out = new ArrayList<>();
        for (int i = 0; i < iters.size(); i++) {
            List<Pbt.Change> parsed = new ArrayList<>();
            for (String c : changes.get(i).isEmpty() ? new String[0] : changes.get(i).split(", ")) {
                String[] parts = c.split(" ");
                if (parts.length != 4 || !parts[2].equals("->")) {
                    throw new IllegalStateException("O_info: exploit_changes entry '" + c + "' of mst_key " + key
                            + " is not 'setting from -> to'; the table was not written by automl");
                }
                parsed.add(new Pbt.Change(parts[0], parts[1], parts[3]));
            }
            out.add(new Pbt.Exploit(key, iters.get(i), donors.get(i), donorIters.get(i), parsed));
        }
        return Optional.of(out);
    }

    private static OptionalInt intColumn(Row r, Schema schema, String column) {
        return schema.has(column) ? OptionalInt.of((Integer) r.get(schema.indexOf(column))) : OptionalInt.empty();
    }
}
