package io.hopper.model;

import io.hopper.model.params.ModelSelection;
import io.hopper.model.params.MstEntry;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;
import io.hopper.store.TableNames;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The model selection (mst) table of MADlib's load_model_selection_table: mst_key, model_id, compile_params,
 * fit_params, with a {@code <mst>_summary} table naming the architecture table it refers to.
 */
public final class ModelSelectionTable {

    /** The columns, as MADlib names them. */
    public static final Schema SCHEMA = Schema.of(
            "mst_key", ColumnType.INT,
            "model_id", ColumnType.INT,
            "compile_params", ColumnType.TEXT,
            "fit_params", ColumnType.TEXT);

    /** The summary table's columns. */
    public static final Schema SUMMARY_SCHEMA = Schema.of("model_arch_table", ColumnType.TEXT);

    private ModelSelectionTable() {
    }

    /**
     * Writes a new mst table: the cross product of model ids, compile and fit strings, de-duplicated by parsed
     * settings. Refuses an existing table, unknown model ids and invalid strings before writing anything.
     */
    public static List<MstEntry> load(Store store, String archTable, String mstTable, List<Integer> modelIds,
                                      List<String> compileParams, List<String> fitParams) {
        TableNames.requireTable(mstTable);
        String summary = TableNames.requireTable(mstTable + "_summary");
        for (String t : List.of(mstTable, summary)) {
            if (store.exists(t)) {
                throw alreadyExists(store, t);
            }
        }
        List<MstEntry> entries = ModelSelection.load(ModelArchTable.ids(store, archTable), modelIds, compileParams, fitParams);
        List<Row> rows = new ArrayList<>();
        for (MstEntry e : entries) {
            rows.add(Row.of(e.mstKey(), e.modelId(), e.compileParams(), e.fitParams()));
        }
        try (StoreOperation op = store.begin(List.of(mstTable, summary))) {
            for (String t : List.of(mstTable, summary)) {
                if (op.exists(t)) {
                    throw alreadyExists(store, t);
                }
            }
            op.write(mstTable, SCHEMA, rows);
            op.write(summary, SUMMARY_SCHEMA, List.of(Row.of(archTable)));
            op.commit();
        }
        return entries;
    }

    private static IllegalArgumentException alreadyExists(Store store, String table) {
        return new IllegalArgumentException("model selection table '" + table + "' already exists in " + store.describe()
                + "; drop it with `hopper table drop " + table + "` or choose another name");
    }

    /**
     * Adds configurations to an mst table, creating it (and its summary) when absent. The table is locked from the
     * read of its keys to the commit, so concurrent appends never lose rows or reuse an mst_key. Candidates already in the
     * table, by model id and parsed settings, are skipped; the rest are numbered after the table's largest mst_key
     * in the given order. Refuses an existing table that refers to another architecture table.
     *
     * @return the rows added, with their new mst_keys
     */
    public static List<MstEntry> append(Store store, String archTable, String mstTable, List<MstEntry> candidates) {
        TableNames.requireTable(mstTable);
        String summary = TableNames.requireTable(mstTable + "_summary");
        try (StoreOperation op = store.begin(List.of(mstTable, summary))) {
            List<MstEntry> added = append(store, op, archTable, mstTable, summary, candidates);
            op.commit();
            return added;
        }
    }

    /**
     * {@link #append(Store, String, String, List)} inside {@code op}, which locked the mst table and its summary (a
     * search's final write, which commits it with its outputs).
     */
    public static List<MstEntry> append(Store store, StoreOperation op, String archTable, String mstTable, List<MstEntry> candidates) {
        return append(store, op, archTable, mstTable, TableNames.requireTable(mstTable + "_summary"), candidates);
    }

    private static List<MstEntry> append(Store store, StoreOperation op, String archTable, String mstTable, String summary,
                                         List<MstEntry> candidates) {
        List<MstEntry> existing = store.exists(mstTable) ? read(store, mstTable) : List.of();
        if (store.exists(mstTable) && !archTable.equals(archTable(store, mstTable))) {
            throw new IllegalArgumentException("model selection table '" + mstTable + "' refers to architecture table '"
                    + archTable(store, mstTable) + "', not '" + archTable + "'; append only with --model-arch-table "
                    + archTable(store, mstTable) + " or choose a new model selection table");
        }
        Set<MstEntry> present = new HashSet<>();
        int maxKey = 0;
        for (MstEntry e : existing) {
            present.add(sameness(e));
            maxKey = Math.max(maxKey, e.mstKey());
        }
        List<MstEntry> added = new ArrayList<>();
        for (MstEntry c : candidates) {
            if (present.add(sameness(c))) {
                added.add(new MstEntry(maxKey + added.size() + 1, c.modelId(), c.compileParams(), c.fitParams()));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (MstEntry e : existing) {
            rows.add(Row.of(e.mstKey(), e.modelId(), e.compileParams(), e.fitParams()));
        }
        for (MstEntry e : added) {
            rows.add(Row.of(e.mstKey(), e.modelId(), e.compileParams(), e.fitParams()));
        }
        boolean created = !store.exists(mstTable);
        op.replace(mstTable, SCHEMA, rows);
        if (created && !op.exists(summary)) {
            op.write(summary, SUMMARY_SCHEMA, List.of(Row.of(archTable)));
        }
        return List.copyOf(added);
    }

    /** A key for "the same configuration": model id and canonical settings, mst_key ignored. */
    private static MstEntry sameness(MstEntry e) {
        return new MstEntry(1, e.modelId(), e.parsedCompileParams().canonical(), e.parsedFitParams().canonical());
    }

    /** The rows of an mst table in mst_key order. */
    public static List<MstEntry> read(Store store, String mstTable) {
        if (!store.exists(mstTable)) {
            throw new IllegalArgumentException("model selection table '" + mstTable + "' does not exist in " + store.describe()
                    + "; create it with `hopper load-model-selection-table`");
        }
        if (!store.schema(mstTable).equals(SCHEMA)) {
            throw new IllegalArgumentException("table '" + mstTable + "' is not a model selection table (its columns are "
                    + store.schema(mstTable).names() + "); name a table made by load-model-selection-table");
        }
        List<MstEntry> entries = new ArrayList<>();
        for (Row r : store.readAll(mstTable)) {
            entries.add(new MstEntry((Integer) r.get(0), (Integer) r.get(1), (String) r.get(2), (String) r.get(3)));
        }
        entries.sort((a, b) -> Integer.compare(a.mstKey(), b.mstKey()));
        return entries;
    }

    /** The architecture table an mst table refers to, from its summary. */
    public static String archTable(Store store, String mstTable) {
        String summary = mstTable + "_summary";
        if (!store.exists(summary)) {
            throw new IllegalArgumentException("model selection table '" + mstTable + "' has no summary table '" + summary
                    + "'; recreate it with `hopper load-model-selection-table`");
        }
        return (String) store.readAll(summary).get(0).get(0);
    }
}
