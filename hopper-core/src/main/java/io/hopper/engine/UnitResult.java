package io.hopper.engine;

import io.hopper.model.runtime.EvalResult;

import java.util.List;
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
 * @param outputLosses an eval unit's loss of each output of the model, in its output order; empty for train units
 *     (and when not reported: a single-output model's only loss is {@code loss})
 * @param outputMetrics an eval unit's metric of each output, empty without a metric or for train units
 */
public record UnitResult(int worker, byte[] state, double loss, OptionalDouble metric, long samples, long startNanos,
                         long endNanos, String executor, List<Double> outputLosses, List<Double> outputMetrics) {
    /** The executor of every unit of the embedded engine. */
    public static final String LOCAL = "local";

    /** Validates. */
    public UnitResult {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(metric, "metric");
        outputLosses = List.copyOf(outputLosses);
        outputMetrics = List.copyOf(outputMetrics);
        if (worker < 0 || samples < 0 || endNanos < startNanos) {
            throw new IllegalArgumentException("unit result: worker=" + worker + ", samples=" + samples + ", start="
                    + startNanos + ", end=" + endNanos + "; need worker >= 0, samples >= 0 and end >= start");
        }
    }

    /** A result without per-output values (a train unit, or a single-output model's eval unit). */
    public UnitResult(int worker, byte[] state, double loss, OptionalDouble metric, long samples, long startNanos, long endNanos,
                      String executor) {
        this(worker, state, loss, metric, samples, startNanos, endNanos, executor, List.of(), List.of());
    }

    /** The eval result of an eval unit: its loss, metric and samples, with each output's values when it reported them. */
    public EvalResult eval() {
        if (outputLosses.isEmpty() || outputMetrics.size() != (metric.isPresent() ? outputLosses.size() : 0)) {
            return new EvalResult(loss, metric, samples);
        }
        return new EvalResult(loss, metric, samples, outputLosses, outputMetrics);
    }
}
