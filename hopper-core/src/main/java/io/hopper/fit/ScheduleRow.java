package io.hopper.fit;

import io.hopper.store.Row;
import io.hopper.store.Schema;

import java.util.Objects;

/**
 * One row of O_schedule, typed: a unit that ran; {@link #toRow()} and {@link #fromRow} are O_schedule's one codec.
 *
 * @param mstKey the configuration
 * @param iteration from 1 (a session's: the configuration's epoch)
 * @param partition from 0
 * @param worker from 0
 * @param phase train or eval
 * @param startMs milliseconds since the fit started
 * @param endMs milliseconds since the fit started
 * @param executor {@code local} or the Spark executor id
 * @param attempt the process that ran it: 1 for the first, 2 for the first {@code --resume}, ...
 */
public record ScheduleRow(int mstKey, int iteration, int partition, int worker, String phase, double startMs, double endMs,
                          String executor, int attempt) {
    /** Validates. */
    public ScheduleRow {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(executor, "executor");
    }

    /** The row in {@link OutputTables#SCHEDULE}'s column order. */
    public Row toRow() {
        return Row.of(mstKey, iteration, partition, worker, phase, startMs, endMs, executor, attempt);
    }

    /** A row of a table with {@code schema} (O_schedule's columns, found by name; attempt 1 when it has none). */
    public static ScheduleRow fromRow(Row r, Schema schema) {
        return new ScheduleRow((Integer) r.get(schema.indexOf("mst_key")), (Integer) r.get(schema.indexOf("iteration")),
                (Integer) r.get(schema.indexOf("partition")), (Integer) r.get(schema.indexOf("worker")),
                (String) r.get(schema.indexOf("phase")), (Double) r.get(schema.indexOf("start_ms")),
                (Double) r.get(schema.indexOf("end_ms")), (String) r.get(schema.indexOf("executor")),
                schema.has("attempt") ? (Integer) r.get(schema.indexOf("attempt")) : 1);
    }
}
