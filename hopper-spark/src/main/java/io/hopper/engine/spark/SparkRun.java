package io.hopper.engine.spark;

import io.hopper.engine.Phase;
import io.hopper.mop.Unit;

import java.util.Objects;

/**
 * Where a unit ran on the cluster: the engine's worker (a slot of the placement) and the Spark executor that ran
 * the task, for the schedule table.
 *
 * @param unit the unit
 * @param phase train or evaluate
 * @param worker the placement's worker that owned the unit's partition
 * @param executorId the Spark executor that ran it ({@code driver} in local mode)
 * @param read whether the unit read its partition from the store
 */
public record SparkRun(Unit unit, Phase phase, int worker, String executorId, boolean read) {
    /** Validates. */
    public SparkRun {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(executorId, "executorId");
        if (worker < 0) {
            throw new IllegalArgumentException("spark run " + unit + ": worker=" + worker + " is negative; workers count from 0");
        }
    }
}
