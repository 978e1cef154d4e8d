package io.hopper.engine;

/**
 * A fault-injection hook that engines call before every attempt of a unit: tests make it throw on a chosen unit to
 * exercise {@link UnitRetry}; {@link #NONE} (the default everywhere outside tests) does nothing.
 */
@FunctionalInterface
public interface UnitFault {
    /** No fault. */
    UnitFault NONE = (task, worker, attempt) -> { };

    /**
     * Called on the worker before attempt {@code attempt} (from 1) of {@code task} runs on {@code worker}; throwing
     * makes that attempt fail.
     */
    void beforeAttempt(UnitTask task, int worker, int attempt);
}
