package io.hopper.fit;

import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;
import io.hopper.store.TableNames;

import java.util.List;
import java.util.Optional;

/**
 * The tables a fit writes: O, O_info and O_summary in MADlib's layout (reference/madlib.md section 4) with Hopper's
 * additions, and O_schedule. They are written together at the end of a successful fit.
 */
public final class OutputTables {
    /** MADlib's model_type in O_info. */
    public static final String MODEL_TYPE = "madlib_keras";

    /**
     * O: mst_key, model_weights (float32 little-endian in Keras get_weights() order), model_arch (Keras JSON), and
     * Hopper's model_state (the whole exported state, weights and optimizer, for warm start).
     */
    public static final Schema MODEL = Schema.of(
            "mst_key", ColumnType.INT,
            "model_weights", ColumnType.BYTES,
            "model_arch", ColumnType.TEXT,
            "model_state", ColumnType.BYTES);

    /** O_info: MADlib's columns plus Hopper's status ({@code ok}, {@code diverged at iteration N} or {@code stopped early at iteration N}). */
    public static final Schema INFO = Schema.of(
            "mst_key", ColumnType.INT,
            "model_id", ColumnType.INT,
            "compile_params", ColumnType.TEXT,
            "fit_params", ColumnType.TEXT,
            "model_type", ColumnType.TEXT,
            "model_size", ColumnType.DOUBLE,
            "metrics_elapsed_time", ColumnType.DOUBLE_ARRAY,
            "metrics_type", ColumnType.TEXT_ARRAY,
            "loss_type", ColumnType.TEXT,
            "training_metrics_final", ColumnType.DOUBLE,
            "training_loss_final", ColumnType.DOUBLE,
            "training_metrics", ColumnType.DOUBLE_ARRAY,
            "training_loss", ColumnType.DOUBLE_ARRAY,
            "validation_metrics_final", ColumnType.DOUBLE,
            "validation_loss_final", ColumnType.DOUBLE,
            "validation_metrics", ColumnType.DOUBLE_ARRAY,
            "validation_loss", ColumnType.DOUBLE_ARRAY,
            "status", ColumnType.TEXT);

    /**
     * O_info of a fit of a multi-output model: {@link #INFO}'s columns, then the output layers' names and each output's
     * final loss and metric (training and validation), one array element per output in the model's output order.
     */
    public static final Schema INFO_MULTI_OUTPUT = withColumns(INFO,
            "output_names", ColumnType.TEXT_ARRAY,
            "training_loss_per_output_final", ColumnType.DOUBLE_ARRAY,
            "training_metrics_per_output_final", ColumnType.DOUBLE_ARRAY,
            "validation_loss_per_output_final", ColumnType.DOUBLE_ARRAY,
            "validation_metrics_per_output_final", ColumnType.DOUBLE_ARRAY);

    /**
     * O_summary: MADlib's columns plus Hopper's seed, schedule, workers and use_caching, and the rest of the
     * {@link Provenance}: java_version, os, the fingerprints of the packed tables and every configuration's visit
     * order per iteration (JSON).
     */
    public static final Schema SUMMARY = Schema.of(
            "source_table", ColumnType.TEXT,
            "validation_table", ColumnType.TEXT,
            "model", ColumnType.TEXT,
            "model_info", ColumnType.TEXT,
            "dependent_varname", ColumnType.TEXT,
            "independent_varname", ColumnType.TEXT,
            "model_arch_table", ColumnType.TEXT,
            "model_selection_table", ColumnType.TEXT,
            "num_iterations", ColumnType.INT,
            "metrics_compute_frequency", ColumnType.INT,
            "warm_start", ColumnType.BOOLEAN,
            "name", ColumnType.TEXT,
            "description", ColumnType.TEXT,
            "start_training_time", ColumnType.TEXT,
            "end_training_time", ColumnType.TEXT,
            "version", ColumnType.TEXT,
            "num_classes", ColumnType.INT,
            "class_values", ColumnType.TEXT_ARRAY,
            "dependent_vartype", ColumnType.TEXT,
            "normalizing_const", ColumnType.DOUBLE,
            "metrics_iters", ColumnType.INT_ARRAY,
            "seed", ColumnType.BIGINT,
            "schedule", ColumnType.TEXT,
            "workers", ColumnType.INT,
            "use_caching", ColumnType.BOOLEAN,
            "java_version", ColumnType.TEXT,
            "os", ColumnType.TEXT,
            "source_fingerprint", ColumnType.TEXT,
            "validation_fingerprint", ColumnType.TEXT,
            "visit_orders", ColumnType.TEXT);

    /**
     * O_schedule: one row per unit that ran; times in milliseconds since the fit started (a resumed run's clock continues
     * from its checkpoint); executor is {@code local} or the Spark executor id; attempt is the process that ran the
     * unit (1 for the first, 2 for the first {@code --resume}, ...).
     */
    public static final Schema SCHEDULE = Schema.of(
            "mst_key", ColumnType.INT,
            "iteration", ColumnType.INT,
            "partition", ColumnType.INT,
            "worker", ColumnType.INT,
            "phase", ColumnType.TEXT,
            "start_ms", ColumnType.DOUBLE,
            "end_ms", ColumnType.DOUBLE,
            "executor", ColumnType.TEXT,
            "attempt", ColumnType.INT);

    private OutputTables() {
    }

    /** The names of O and its companions, O first. */
    public static List<String> names(String model) {
        return List.of(model, info(model), summary(model), schedule(model));
    }

    /**
     * The tables a run's final write changes in its one operation: O and its companions, O_leaderboard and the
     * checkpoint it drops (the last two when their names are identifiers, at most 63 characters).
     */
    public static List<String> finalTables(String model) {
        List<String> tables = new java.util.ArrayList<>(names(model));
        for (String t : List.of(leaderboard(model), CheckpointTable.name(model))) {
            if (TableNames.isIdentifier(t)) {
                tables.add(t);
            }
        }
        return List.copyOf(tables);
    }

    /** The tables of {@link #finalTables} that {@code store} holds: what a finished run wrote (its checkpoint is gone). */
    public static List<String> written(Store store, String model) {
        return finalTables(model).stream().filter(store::exists).toList();
    }

    /**
     * Writes (or replaces) O_leaderboard inside {@code op}, which locked it ({@link #finalTables}); nothing when its
     * name would be too long.
     */
    public static void writeLeaderboard(StoreOperation op, String model, Leaderboard board) {
        String table = leaderboard(model);
        if (TableNames.isIdentifier(table)) {
            op.replace(table, board.schema(), board.rows());
        }
    }

    /** O_leaderboard's mst_keys by rank, empty when the run wrote none (a run before leaderboards, a name too long). */
    public static Optional<List<Integer>> readLeaderboardOrder(Store store, String model) {
        String table = leaderboard(model);
        if (!TableNames.isIdentifier(table) || !store.exists(table)) {
            return Optional.empty();
        }
        return Optional.of(Leaderboard.readRanking(store, table));
    }

    /** O_info. */
    public static String info(String model) {
        return model + "_info";
    }

    /** O_summary. */
    public static String summary(String model) {
        return model + "_summary";
    }

    /** O_schedule. */
    public static String schedule(String model) {
        return model + "_schedule";
    }

    /** Whether a table with {@code schema} is O (a fit's or a search's). */
    public static boolean isModelTable(Schema schema) {
        return schema.equals(MODEL);
    }

    /** O's rows, typed. */
    public static List<ModelRow> readModels(Store store, String model) {
        Schema s = store.schema(model);
        return store.readAll(model).stream().map(r -> ModelRow.fromRow(r, s)).toList();
    }

    /** O_info's rows, typed (a search's extra columns are left out). */
    public static List<InfoRow> readInfos(Store store, String model) {
        Schema s = store.schema(info(model));
        return store.readAll(info(model)).stream().map(r -> InfoRow.fromRow(r, s)).toList();
    }

    /**
     * O_leaderboard: the configurations ranked, one column per differing setting ({@link Leaderboard}); written with
     * the fit's own tables when the name is an identifier (at most 63 characters), and not among {@link #names}.
     */
    public static String leaderboard(String model) {
        return model + "_leaderboard";
    }

    /**
     * O_summary's row, typed.
     *
     * @throws IllegalArgumentException when O_summary is missing or lacks a fit's columns
     */
    public static SummaryRow readSummary(Store store, String model) {
        String t = summary(model);
        if (!store.exists(t) || !SummaryRow.readable(store.schema(t))) {
            throw new IllegalArgumentException("model table '" + model + "': " + (store.exists(t)
                    ? "'" + t + "' lacks the columns of this Hopper's summary (written by an older Hopper)"
                    : "table '" + t + "' does not exist") + "; give an output table of this Hopper's fit-multiple-model or automl");
        }
        return SummaryRow.fromRow(store.readAll(t).get(0), store.schema(t));
    }

    /** O_schedule's rows, typed; empty when there is no O_schedule. */
    public static List<ScheduleRow> readSchedule(Store store, String model) {
        String t = schedule(model);
        if (!store.exists(t)) {
            return List.of();
        }
        Schema s = store.schema(t);
        return store.readAll(t).stream().map(r -> ScheduleRow.fromRow(r, s)).toList();
    }

    /**
     * The four tables of a fit, typed, as one operation: all appear (or, when {@code replace} is true, all are
     * replaced) at once, or none changes.
     */
    static void write(Store store, String model, List<ModelRow> models, List<InfoRow> infos, SummaryRow summary,
                      List<ScheduleRow> schedule, boolean replace) {
        try (StoreOperation op = store.begin(names(model))) {
            write(op, model, models, infos, summary, schedule, replace);
            op.commit();
        }
    }

    /** The typed {@link #write(Store, String, List, List, SummaryRow, List, boolean)} inside an operation; not committed. */
    static void write(StoreOperation op, String model, List<ModelRow> models, List<InfoRow> infos, SummaryRow summary,
                      List<ScheduleRow> schedule, boolean replace) {
        boolean multiOutput = infos.stream().anyMatch(i -> i.perOutput().isPresent());
        write(op, model, List.of(MODEL, multiOutput ? INFO_MULTI_OUTPUT : INFO, SUMMARY, SCHEDULE), List.of(models.stream().map(ModelRow::toRow).toList(),
                infos.stream().map(i -> i.toRow(multiOutput)).toList(), List.of(summary.toRow()),
                schedule.stream().map(ScheduleRow::toRow).toList()), replace);
    }

    /**
     * Writes O, O_info, O_summary and O_schedule with {@code schemas} (a search's O_info and O_summary have more
     * columns than a fit's) and {@code rows}, in that order of names, as one operation: all or nothing.
     */
    public static void write(Store store, String model, List<Schema> schemas, List<List<Row>> rows, boolean replace) {
        try (StoreOperation op = store.begin(names(model))) {
            write(op, model, schemas, rows, replace);
            op.commit();
        }
    }

    /** {@link #write(Store, String, List, List, boolean)} inside an operation that locked {@link #names}; not committed. */
    public static void write(StoreOperation op, String model, List<Schema> schemas, List<List<Row>> rows, boolean replace) {
        List<String> names = names(model);
        for (int i = 0; i < names.size(); i++) {
            if (replace) {
                op.replace(names.get(i), schemas.get(i), rows.get(i));
            } else {
                op.write(names.get(i), schemas.get(i), rows.get(i));
            }
            if (i < names.size() - 1) {
                FaultPoints.reached("final-write");
            }
        }
    }

    /** Whether a schema is that of a fit's O_info: {@link #INFO} or {@link #INFO_MULTI_OUTPUT}. */
    public static boolean isInfo(Schema schema) {
        return schema.equals(INFO) || schema.equals(INFO_MULTI_OUTPUT);
    }

    private static Schema withColumns(Schema base, Object... namesAndTypes) {
        List<Object> all = new java.util.ArrayList<>();
        base.columns().forEach(c -> {
            all.add(c.name());
            all.add(c.type());
        });
        all.addAll(java.util.Arrays.asList(namesAndTypes));
        return Schema.of(all.toArray());
    }
}
