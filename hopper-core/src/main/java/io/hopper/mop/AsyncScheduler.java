package io.hopper.mop;

import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Cerebro's randomized asynchronous MOP scheduler: whenever a worker is idle it gets a unit drawn uniformly at
 * random among the units still to do this iteration whose configuration is idle (running nowhere) and whose
 * partition is on that worker; there is no barrier inside an iteration.
 *
 * <p>All randomness comes from the seed given here: iteration i draws from a generator seeded with a mix of the
 * seed and i, candidates are listed in a fixed order (the worker's partitions ascending, then mst order), so the
 * same seed and the same sequence of calls give the same schedule.
 */
public final class AsyncScheduler implements Scheduler {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Configurations configurations;
    private final Placement placement;
    private final long seed;
    private final int[] candidates;
    private IterationLedger ledger;
    private SplittableRandom random;

    /**
     * A scheduler for {@code configurations} on {@code placement} drawing from {@code seed}.
     */
    public AsyncScheduler(Configurations configurations, Placement placement, long seed) {
        this.configurations = configurations;
        this.placement = placement;
        this.seed = seed;
        this.candidates = new int[configurations.size() * placement.partitions()];
    }

    @Override
    public Configurations configurations() {
        return configurations;
    }

    @Override
    public Placement placement() {
        return placement;
    }

    @Override
    public void start(int iteration) {
        IterationLedger.requireFinished(ledger);
        ledger = new IterationLedger(configurations, placement, iteration);
        random = new SplittableRandom(seed ^ (GOLDEN_GAMMA * iteration));
    }

    @Override
    public Optional<Unit> next(int idleWorker) {
        IterationLedger current = IterationLedger.requireStarted(ledger, "next");
        current.requireIdle(idleWorker);
        int partitions = placement.partitions();
        int count = 0;
        for (int p : placement.partitionsOf(idleWorker)) {
            for (int c = 0; c < configurations.size(); c++) {
                if (current.isPending(c, p) && !current.isConfigRunning(c)) {
                    candidates[count++] = c * partitions + p;
                }
            }
        }
        if (count == 0) {
            return Optional.empty();
        }
        int pick = candidates[random.nextInt(count)];
        return Optional.of(current.hand(pick / partitions, pick % partitions, idleWorker));
    }

    @Override
    public void complete(Unit unit) {
        IterationLedger.requireStarted(ledger, "complete").complete(unit);
    }

    @Override
    public void fail(Unit unit) {
        IterationLedger.requireStarted(ledger, "fail").fail(unit);
    }

    @Override
    public boolean iterationDone() {
        return ledger != null && ledger.allDone();
    }
}
