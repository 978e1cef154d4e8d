package io.hopper.mop;

/**
 * The state of every unit of one iteration (to do, running on a worker, done) and the checks that keep the MOP
 * invariants; both schedulers keep their bookkeeping here and only choose which pending unit to hand out.
 */
final class IterationLedger {
    private static final int PENDING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;

    private final Configurations configurations;
    private final Placement placement;
    private final int iteration;
    private final int partitions;
    /** State per unit, indexed [config index * partitions + partition]. */
    private final int[] state;
    /** Running unit per worker, null when idle. */
    private final Unit[] runningOn;
    private final boolean[] configRunning;
    private int remaining;

    IterationLedger(Configurations configurations, Placement placement, int iteration) {
        if (iteration < 1) {
            throw new IllegalArgumentException("start: iteration=" + iteration
                    + " is below 1; iterations count from 1");
        }
        this.configurations = configurations;
        this.placement = placement;
        this.iteration = iteration;
        this.partitions = placement.partitions();
        this.state = new int[configurations.size() * partitions];
        this.runningOn = new Unit[placement.workers()];
        this.configRunning = new boolean[configurations.size()];
        this.remaining = state.length;
    }

    /** Throws unless a new iteration may start after {@code previous} (null before the first iteration). */
    static void requireFinished(IterationLedger previous) {
        if (previous != null && !previous.allDone()) {
            throw new IllegalStateException("start: iteration " + previous.iteration + " still has "
                    + previous.remaining + " units to complete; finish it first");
        }
    }

    /** Returns {@code ledger}, or throws when no iteration was started yet (it is null). */
    static IterationLedger requireStarted(IterationLedger ledger, String call) {
        if (ledger == null) {
            throw new IllegalStateException(call + ": no iteration started; call start(iteration) first");
        }
        return ledger;
    }

    int iteration() {
        return iteration;
    }

    /** Throws unless {@code worker} is a worker of the placement and runs nothing. */
    void requireIdle(int worker) {
        placement.requireWorker(worker);
        if (runningOn[worker] != null) {
            throw new IllegalStateException("next: worker " + worker + " still runs unit " + runningOn[worker]
                    + "; report it with complete or fail first");
        }
    }

    boolean isPending(int configIndex, int partition) {
        return state[configIndex * partitions + partition] == PENDING;
    }

    boolean isDone(int configIndex, int partition) {
        return state[configIndex * partitions + partition] == DONE;
    }

    boolean isConfigRunning(int configIndex) {
        return configRunning[configIndex];
    }

    /** Marks the pending unit (config, partition) running on {@code worker} and returns it. */
    Unit hand(int configIndex, int partition, int worker) {
        requireIdle(worker);
        if (!isPending(configIndex, partition) || configRunning[configIndex]
                || placement.workerOf(partition) != worker) {
            throw new IllegalStateException("scheduler bug: cannot hand (mst " + configurations.key(configIndex)
                    + ", partition " + partition + ") to worker " + worker);
        }
        Unit unit = new Unit(configurations.key(configIndex), partition, iteration);
        state[configIndex * partitions + partition] = RUNNING;
        configRunning[configIndex] = true;
        runningOn[worker] = unit;
        return unit;
    }

    void complete(Unit unit) {
        release(unit, "complete", DONE);
        remaining--;
    }

    void fail(Unit unit) {
        release(unit, "fail", PENDING);
    }

    private void release(Unit unit, String call, int newState) {
        int configIndex = configurations.indexOf(unit.mstKey());
        if (unit.iteration() != iteration || configIndex < 0 || unit.partition() >= partitions) {
            throw new IllegalStateException(call + ": unit " + unit + " is not a unit of iteration " + iteration
                    + " of this schedule; report only units handed out by next");
        }
        int index = configIndex * partitions + unit.partition();
        if (state[index] != RUNNING) {
            throw new IllegalStateException(call + ": unit " + unit + (state[index] == DONE
                    ? " already completed" : " is not running (never handed out or already failed)")
                    + "; report each handed-out unit exactly once");
        }
        state[index] = newState;
        configRunning[configIndex] = false;
        runningOn[placement.workerOf(unit.partition())] = null;
    }

    boolean allDone() {
        return remaining == 0;
    }
}
