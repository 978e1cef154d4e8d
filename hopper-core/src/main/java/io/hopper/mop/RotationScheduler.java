package io.hopper.mop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MADlib's bulk-synchronous MOP schedule: configurations rotate over the partitions in hops, and every hop ends
 * in a barrier.
 *
 * <p>The rule, as in MADlib's {@code madlib_keras_fit_multiple_model} ({@code init_schedule_tbl},
 * {@code rotate_schedule_tbl}, {@code train_multiple_model}), with C configurations and P partitions:
 * <ul>
 *   <li>There are S = max(C, P) slots: slots 0..P-1 are the partitions; when C &gt; P, slots P..S-1 are
 *       parking places (MADlib's "extra dist keys") where a configuration waits without training.</li>
 *   <li>There are S entries: entry i is the i-th configuration in mst order; when C &lt; P, entries C..S-1
 *       are empty (MADlib's NULL msts).</li>
 *   <li>At rotation offset o, entry e sits on slot (e + o) mod S. So in a hop, partition p trains entry
 *       (p - o) mod S, or idles when that entry is empty (C &lt; P: P - C idle partitions per hop), and
 *       configuration e is parked when (e + o) mod S &ge; P (C &gt; P: C - P parked configurations per hop).</li>
 *   <li>An iteration has S hops; hop h (from 0) of iteration k (from 1) uses offset o = (k - 1)(S - 1) + h.
 *       MADlib rotates after every hop but the last of an iteration, so an iteration begins where the previous
 *       one ended. Over the S consecutive offsets of an iteration every entry visits every slot once: every
 *       configuration trains on every partition exactly once.</li>
 *   <li>Barrier: no unit of hop h + 1 is handed out before every unit of hop h completed. A worker that owns
 *       several partitions runs its units of a hop one after another, in ascending partition order.</li>
 * </ul>
 * One deliberate difference: MADlib shuffles the entry list once (Python's {@code random.seed(1)}) before the
 * first hop; Hopper keeps mst order with the empty entries last, so the schedule is a function of the
 * configurations and the partition count alone. The hop structure (hop count, idle partitions, parked
 * configurations, barriers) is MADlib's.
 */
public final class RotationScheduler implements Scheduler {
    private final Configurations configurations;
    private final Placement placement;
    private final int partitions;
    private final int slots;
    private IterationLedger ledger;
    private int hop;

    /** A rotation schedule for {@code configurations} on {@code placement}. */
    public RotationScheduler(Configurations configurations, Placement placement) {
        this.configurations = configurations;
        this.placement = placement;
        this.partitions = placement.partitions();
        this.slots = Math.max(configurations.size(), partitions);
    }

    @Override
    public Configurations configurations() {
        return configurations;
    }

    @Override
    public Placement placement() {
        return placement;
    }

    /** Hops per iteration: max(#configurations, #partitions). */
    public int hopsPerIteration() {
        return slots;
    }

    /** The units of hop {@code hop} (from 0) of iteration {@code iteration} (from 1), by ascending partition. */
    public List<Unit> plannedHop(int iteration, int hop) {
        long offset = offset(iteration, hop);
        List<Unit> units = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int entry = entryOn(p, offset);
            if (entry < configurations.size()) {
                units.add(new Unit(configurations.key(entry), p, iteration));
            }
        }
        return List.copyOf(units);
    }

    /** The mst keys parked (not training) in hop {@code hop} of iteration {@code iteration}, in mst order. */
    public List<Integer> parkedConfigurations(int iteration, int hop) {
        long offset = offset(iteration, hop);
        List<Integer> parked = new ArrayList<>();
        for (int e = 0; e < configurations.size(); e++) {
            if ((e + offset) % slots >= partitions) {
                parked.add(configurations.key(e));
            }
        }
        return List.copyOf(parked);
    }

    /** The hop of the current iteration whose units are being handed out (hopsPerIteration() once done). */
    public int currentHop() {
        IterationLedger.requireStarted(ledger, "currentHop");
        return hop;
    }

    @Override
    public void start(int iteration) {
        IterationLedger.requireFinished(ledger);
        ledger = new IterationLedger(configurations, placement, iteration);
        hop = 0;
    }

    @Override
    public Optional<Unit> next(int idleWorker) {
        IterationLedger current = IterationLedger.requireStarted(ledger, "next");
        current.requireIdle(idleWorker);
        if (hop == slots) {
            return Optional.empty();
        }
        long offset = offset(current.iteration(), hop);
        for (int p : placement.partitionsOf(idleWorker)) {
            int entry = entryOn(p, offset);
            if (entry < configurations.size() && current.isPending(entry, p)) {
                return Optional.of(current.hand(entry, p, idleWorker));
            }
        }
        return Optional.empty();
    }

    @Override
    public void complete(Unit unit) {
        IterationLedger current = IterationLedger.requireStarted(ledger, "complete");
        current.complete(unit);
        while (hop < slots && hopDone(current, offset(current.iteration(), hop))) {
            hop++;
        }
    }

    @Override
    public void fail(Unit unit) {
        IterationLedger.requireStarted(ledger, "fail").fail(unit);
    }

    @Override
    public boolean iterationDone() {
        return ledger != null && ledger.allDone();
    }

    private boolean hopDone(IterationLedger current, long offset) {
        for (int p = 0; p < partitions; p++) {
            int entry = entryOn(p, offset);
            if (entry < configurations.size() && !current.isDone(entry, p)) {
                return false;
            }
        }
        return true;
    }

    private long offset(int iteration, int hop) {
        if (iteration < 1 || hop < 0 || hop >= slots) {
            throw new IllegalArgumentException("rotation: iteration=" + iteration + ", hop=" + hop
                    + " is outside iterations 1.. and hops 0.." + (slots - 1) + "; ask for a hop of the schedule");
        }
        return (long) (iteration - 1) * (slots - 1) + hop;
    }

    /** The entry on slot {@code slot} at rotation offset {@code offset}. */
    private int entryOn(int slot, long offset) {
        return (int) Math.floorMod(slot - offset, (long) slots);
    }
}
