package io.hopper.mop;

import java.util.Objects;

/**
 * A unit as it ran: on which worker, from when to when (one row of the {@code <out>_schedule} table).
 *
 * @param unit the unit
 * @param worker the worker that ran it, from 0
 * @param start when it started, in seconds
 * @param end when it ended, in seconds, not before start
 */
public record ExecutedUnit(Unit unit, int worker, double start, double end) {
    /** Validates. */
    public ExecutedUnit {
        Objects.requireNonNull(unit, "unit");
        if (worker < 0) {
            throw new IllegalArgumentException("executed unit " + unit + ": worker=" + worker
                    + " is negative; workers count from 0");
        }
        if (!Double.isFinite(start) || !Double.isFinite(end) || end < start) {
            throw new IllegalArgumentException("executed unit " + unit + ": start=" + start + ", end=" + end
                    + "; give finite times with end >= start");
        }
    }
}
