package io.hopper.automl;

import io.hopper.fit.OutputTables;
import io.hopper.fit.SummaryRow;
import io.hopper.store.Column;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The row of a search's O_summary, typed: a fit's summary (data, settings, provenance) followed by the search's
 * columns; {@link #toRow()} and {@link #fromRow} are its one codec.
 *
 * @param fit the columns a fit writes (its seed is random_state)
 * @param method the search method
 * @param automlParams automl_params in full
 * @param rankBy what configurations were ranked by
 * @param bestMstKey the configuration ranked first among those trained longest
 * @param fitCalls how many fit runs or sessions the search made
 * @param totalIterations the iterations trained, summed over configurations
 */
public record SearchSummary(SummaryRow fit, AutomlSpec.Method method, String automlParams, AutomlSpec.RankBy rankBy,
                            int bestMstKey, int fitCalls, long totalIterations) {
    /** O_summary of a search: a fit's columns, then the search's. */
    public static final Schema SCHEMA;

    static {
        List<Column> columns = new ArrayList<>(OutputTables.SUMMARY.columns());
        columns.addAll(Schema.of("automl_method", ColumnType.TEXT, "automl_params", ColumnType.TEXT,
                "random_state", ColumnType.BIGINT, "rank_by", ColumnType.TEXT, "best_mst_key", ColumnType.INT,
                "fit_calls", ColumnType.INT, "total_iterations", ColumnType.BIGINT).columns());
        SCHEMA = new Schema(columns);
    }

    /** Validates. */
    public SearchSummary {
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(automlParams, "automlParams");
        Objects.requireNonNull(rankBy, "rankBy");
    }

    /** The row in {@link #SCHEMA}'s order. */
    public Row toRow() {
        List<Object> values = fit.values();
        values.addAll(List.of(method.label(), automlParams, fit.seed(), rankBy.label(), bestMstKey, fitCalls, totalIterations));
        return Row.of(values);
    }

    /** Whether a table with {@code schema} is a search's O_summary. */
    public static boolean isSearch(Schema schema) {
        return schema.has("automl_method");
    }

    /** The row of a table with {@code schema} (columns found by name). */
    public static SearchSummary fromRow(Row r, Schema s) {
        return new SearchSummary(SummaryRow.fromRow(r, s),
                AutomlSpec.Method.valueOf(((String) r.get(s.indexOf("automl_method"))).toUpperCase(Locale.ROOT)),
                (String) r.get(s.indexOf("automl_params")),
                AutomlSpec.RankBy.valueOf(((String) r.get(s.indexOf("rank_by"))).toUpperCase(Locale.ROOT)),
                (Integer) r.get(s.indexOf("best_mst_key")), (Integer) r.get(s.indexOf("fit_calls")),
                (Long) r.get(s.indexOf("total_iterations")));
    }
}
