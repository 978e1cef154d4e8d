package io.hopper.mop;

import java.util.Optional;

/**
 * Decides which unit each idle worker runs next; engines and the simulator drive it one iteration at a time.
 *
 * <p>Protocol: {@code start(iteration)}; then call {@code next(worker)} for every idle worker; report every
 * unit handed out with {@code complete} (it trained) or {@code fail} (it did not; it goes back to the queue and is
 * handed out again later); after every report, call {@code next} again for every idle worker, because a report
 * can free a configuration or end a barrier. The iteration is over when {@code iterationDone()}. A scheduler
 * never preempts: a unit runs until the engine reports it.
 *
 * <p>Every implementation guarantees, per iteration: each (mst, partition) pair completes exactly once; a
 * configuration runs on at most one worker at a time; a worker runs at most one unit at a time; a unit runs only
 * on the worker that owns its partition. Calls out of protocol throw IllegalStateException.
 */
public interface Scheduler {
    /** The configurations scheduled. */
    Configurations configurations();

    /** The placement of partitions on workers. */
    Placement placement();

    /**
     * Begins iteration {@code iteration} (from 1); the previous iteration, if any, must be done.
     *
     * @throws IllegalStateException when the previous iteration still has units to do or running
     */
    void start(int iteration);

    /**
     * The next unit for idle worker {@code idleWorker}, now marked running on it; empty when that worker has
     * nothing to do at the moment (all its units done, their configurations busy elsewhere, or a barrier).
     *
     * @throws IllegalStateException before {@code start}, or when the worker still runs a unit
     */
    Optional<Unit> next(int idleWorker);

    /**
     * Records that {@code unit} trained; it will never be handed out again this iteration.
     *
     * @throws IllegalStateException when the unit is not running (never handed out, already reported, or of
     *     another iteration)
     */
    void complete(Unit unit);

    /**
     * Records that {@code unit} failed; it goes back to the queue and will be handed out again.
     *
     * @throws IllegalStateException when the unit is not running
     */
    void fail(Unit unit);

    /** Whether every unit of the current iteration completed (false before the first {@code start}). */
    boolean iterationDone();
}
