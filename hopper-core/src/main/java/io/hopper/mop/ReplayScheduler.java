package io.hopper.mop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Replays recorded visit orders: in iteration i configuration c trains on its partitions exactly in the order a
 * finished fit recorded for (c, i). An idle worker gets the first configuration (in mst order) that is idle and
 * whose next partition in its recorded order is on that worker.
 *
 * <p>A configuration's result depends only on the order of its own visits (each unit imports the configuration's
 * state, and a unit's random draws come from (seed, mst, iteration, partition)), so a replay gives the recorded
 * weights whatever the timing and the placement. It cannot stall: while units remain, some configuration is
 * running (and will finish) or is idle with its next partition on some worker.
 */
public final class ReplayScheduler implements Scheduler {
    private final Configurations configurations;
    private final Placement placement;
    /** Visit order per configuration index, per iteration (from 1 at index 0). */
    private final List<List<List<Integer>>> orders;
    private IterationLedger ledger;

    /**
     * A scheduler that replays {@code visitOrders}.
     *
     * @param visitOrders by mst key: for each iteration (the first at index 0) a permutation of the partitions
     * @throws IllegalArgumentException when a configuration has no orders, the iterations differ in number, or an
     *     order is not a permutation of the partitions
     */
    public ReplayScheduler(Configurations configurations, Placement placement, Map<Integer, List<List<Integer>>> visitOrders) {
        this.configurations = configurations;
        this.placement = placement;
        this.orders = new ArrayList<>();
        Set<Integer> all = new HashSet<>();
        for (int p = 0; p < placement.partitions(); p++) {
            all.add(p);
        }
        Integer iterations = null;
        Map<Integer, List<List<Integer>>> copy = new HashMap<>(visitOrders);
        for (int c = 0; c < configurations.size(); c++) {
            int key = configurations.key(c);
            List<List<Integer>> perIteration = copy.get(key);
            if (perIteration == null) {
                throw new IllegalArgumentException("visit orders: mst_key " + key + " has none; replay a record that names every configuration");
            }
            if (iterations != null && perIteration.size() != iterations) {
                throw new IllegalArgumentException("visit orders: mst_key " + key + " has " + perIteration.size() + " iterations but others have "
                        + iterations + "; replay a complete record");
            }
            iterations = perIteration.size();
            for (int i = 0; i < perIteration.size(); i++) {
                List<Integer> order = perIteration.get(i);
                if (order.size() != all.size() || !new HashSet<>(order).equals(all)) {
                    throw new IllegalArgumentException("visit orders: mst_key " + key + " iteration " + (i + 1) + " visits " + order
                            + ", not each of the " + all.size() + " partitions once; replay a record of a fit on this data");
                }
            }
            orders.add(List.copyOf(perIteration.stream().map(List::copyOf).toList()));
        }
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
        if (!orders.isEmpty() && iteration > orders.get(0).size()) {
            throw new IllegalArgumentException("start: iteration " + iteration + " is beyond the " + orders.get(0).size()
                    + " recorded iterations; replay at most that many");
        }
        ledger = new IterationLedger(configurations, placement, iteration);
    }

    @Override
    public Optional<Unit> next(int idleWorker) {
        IterationLedger current = IterationLedger.requireStarted(ledger, "next");
        current.requireIdle(idleWorker);
        for (int c = 0; c < configurations.size(); c++) {
            if (current.isConfigRunning(c)) {
                continue;
            }
            for (int p : orders.get(c).get(current.iteration() - 1)) {
                if (current.isDone(c, p)) {
                    continue;
                }
                if (current.isPending(c, p) && placement.workerOf(p) == idleWorker) {
                    return Optional.of(current.hand(c, p, idleWorker));
                }
                break;
            }
        }
        return Optional.empty();
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
