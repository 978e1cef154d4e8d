package io.hopper.engine.spark;

import java.io.Serializable;
import java.util.Objects;

/**
 * What an executor sends back for one unit.
 *
 * @param state the state after a train unit; null after an eval unit (its state did not change)
 * @param loss the mean loss per sample
 * @param metric the mean metric per sample of an eval unit, NaN when there is none
 * @param hasMetric whether {@code metric} is set
 * @param samples the samples the loss is over
 * @param executorId the Spark executor that ran the unit ({@code driver} in local mode)
 * @param host the executor's host as its block manager registered it
 * @param read whether the unit read its partition from the store (false when the executor's cache had it)
 * @param outputLosses an eval unit's loss of each output of the model (empty for a train unit)
 * @param outputMetrics an eval unit's metric of each output (empty for a train unit or without a metric)
 */
record UnitReply(byte[] state, double loss, double metric, boolean hasMetric, long samples, String executorId,
                 String host, boolean read, double[] outputLosses, double[] outputMetrics) implements Serializable {
    /** Validates. */
    UnitReply {
        Objects.requireNonNull(executorId, "executorId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(outputLosses, "outputLosses");
        Objects.requireNonNull(outputMetrics, "outputMetrics");
        if (samples < 0) {
            throw new IllegalArgumentException("unit reply: samples=" + samples + " is negative; count samples from 0");
        }
    }

    /** A reply without per-output values (a train unit, or a single-output model's eval unit). */
    UnitReply(byte[] state, double loss, double metric, boolean hasMetric, long samples, String executorId, String host, boolean read) {
        this(state, loss, metric, hasMetric, samples, executorId, host, read, new double[0], new double[0]);
    }
}
