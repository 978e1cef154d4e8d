package io.hopper.engine;

import io.hopper.mop.Placement;

import java.util.concurrent.CompletableFuture;

/**
 * Runs units on the workers that hold their partitions; one engine serves one fit.
 *
 * <p>Contract: {@link #submit} routes a task to the worker that owns its partition in {@link #placement()};
 * a worker runs one unit at a time, in the order submitted to it; data never moves between workers. The engine
 * keeps no model state between units that the task does not carry: every unit imports its task's state, so a
 * result never depends on which units a worker ran before. {@link #close()} frees every cached partition and model
 * and stops the workers; call it when the fit ends or fails.
 */
public interface Engine extends AutoCloseable {

    /** Which worker owns which partitions. */
    Placement placement();

    /**
     * Queues a unit on the worker that owns its partition.
     *
     * @return the result, or an exception when the unit failed (bad data, a broken state)
     */
    CompletableFuture<UnitResult> submit(UnitTask task);

    /** How many times a partition was read from the store so far (once per partition and table with caching). */
    long storeReads();

    /** Frees cached partitions and models and stops the workers. */
    @Override
    void close();
}
