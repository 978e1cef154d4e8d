package io.hopper.engine;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a unit returned: the model state after it, its loss and metric, and when it ran.
 *
 * <p>The state array is not copied; nobody may modify it.
 *
 * @param worker the worker that ran the unit
 * @param state the state after the unit: the trained state for a train unit, the input state for an eval unit
 * @param loss the mean loss per sample (the training loss of the pass, or the evaluation loss); NaN or infinite
 *     when the model diverged
 * @param metric the mean metric per sample of an eval unit with a metric; empty for train units
 * @param samples the samples the loss is over
 * @param startNanos when the unit started on the worker, on the engine's {@code System.nanoTime()} clock
 * @param endNanos when it ended, not before startNanos
 * @param executor where the unit ran: {@code local} for the embedded engine, the Spark executor id on Spark
 */
public record UnitResult(int worker, byte[] state, double loss, OptionalDouble metric, long samples, long startNanos,
                         long endNanos, String executor) {
    /** The executor of every unit of the embedded engine. */
    public static final String LOCAL = "local";

    /** Validates. */
    public UnitResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(metric, "metric");
        if (worker < 0 || samples < 0 || endNanos < startNanos) {
            throw new IllegalArgumentException("unit result: worker=" + worker + ", samples=" + samples + ", start="
                    + startNanos + ", end=" + endNanos + "; need worker >= 0, samples >= 0 and end >= start");
        }
    }
}
