package io.hopper.mop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Runs a scheduler in virtual time: an event queue of worker completions, each unit taking its configuration's
 * visit duration; deterministic and wall-clock free.
 *
 * <p>At every event time the simulator first reports all units that end then, in worker order, and then asks
 * the scheduler for a unit for every idle worker, in worker order. Iterations run back to back, each starting
 * when the previous one's last unit ends.
 */
public final class ScheduleSimulator {
    private final VisitDurations durations;

    /** A simulator in which a unit of configuration m takes {@code durations.of(m)} seconds. */
    public ScheduleSimulator(VisitDurations durations) {
        this.durations = durations;
    }

    /** Simulates iterations 1..{@code iterations} with no failure. */
    public Simulation simulate(Scheduler scheduler, int iterations) {
        return simulate(scheduler, iterations, Set.of());
    }

    /**
     * Simulates iterations 1..{@code iterations}; the first attempt of every unit in {@code failFirstAttempt}
     * runs its full duration and is then reported failed, so the scheduler must hand it out again.
     *
     * @throws IllegalStateException when the scheduler stalls: nothing runs, nothing is handed out, and the
     *     iteration is not done
     */
    public Simulation simulate(Scheduler scheduler, int iterations, Set<Unit> failFirstAttempt) {
        if (iterations < 1) {
            throw new IllegalArgumentException("simulate: iterations=" + iterations
                    + " is below 1; simulate at least one");
        }
        double perIteration = durations.iterationLowerBound(scheduler.configurations(), scheduler.placement());
        int workers = scheduler.placement().workers();
        List<ExecutedUnit> executed = new ArrayList<>();
        Set<Unit> failedOnce = new HashSet<>();
        int failed = 0;
        double time = 0;
        for (int iteration = 1; iteration <= iterations; iteration++) {
            scheduler.start(iteration);
            boolean[] busy = new boolean[workers];
            PriorityQueue<Attempt> running = new PriorityQueue<>(
                    Comparator.comparingDouble(Attempt::end).thenComparingInt(Attempt::worker));
            while (true) {
                for (int w = 0; w < workers; w++) {
                    if (busy[w]) {
                        continue;
                    }
                    Optional<Unit> unit = scheduler.next(w);
                    if (unit.isPresent()) {
                        Unit u = unit.get();
                        boolean fails = failFirstAttempt.contains(u) && failedOnce.add(u);
                        running.add(new Attempt(u, w, time, time + durations.of(u.mstKey()), fails));
                        busy[w] = true;
                    }
                }
                if (running.isEmpty()) {
                    if (scheduler.iterationDone()) {
                        break;
                    }
                    throw new IllegalStateException("simulate: scheduler stalled in iteration " + iteration
                            + " at t=" + time + ": no unit running, none handed out, iteration not done");
                }
                time = running.peek().end();
                while (!running.isEmpty() && running.peek().end() == time) {
                    Attempt a = running.poll();
                    busy[a.worker()] = false;
                    if (a.fails()) {
                        scheduler.fail(a.unit());
                        failed++;
                    } else {
                        scheduler.complete(a.unit());
                        executed.add(new ExecutedUnit(a.unit(), a.worker(), a.start(), a.end()));
                    }
                }
            }
        }
        return new Simulation(executed, failed, time, perIteration * iterations);
    }

    /** A unit running on a worker in virtual time, and whether this attempt will fail. */
    private record Attempt(Unit unit, int worker, double start, double end, boolean fails) {
    }
}
