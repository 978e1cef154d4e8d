package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** Shapes, durations and checks shared by the mop tests. */
final class MopFixtures {
    /** Builds a scheduler for a shape and a seed. */
    interface SchedulerFactory {
        Scheduler create(Configurations configurations, Placement placement, long seed);
    }

    private MopFixtures() {
    }

    /** {@code n} configurations with keys 10, 13, 16, ... so that keys and indexes differ. */
    static Configurations configs(int n) {
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = 10 + 3 * i;
        }
        return Configurations.of(keys);
    }

    /** Durations from {@code seed}: small integers (many ties) for even seeds, reals for odd ones. */
    static VisitDurations randomDurations(Configurations configurations, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<Integer, Double> seconds = new HashMap<>();
        for (int key : configurations.mstKeys()) {
            seconds.put(key, seed % 2 == 0 ? random.nextInt(1, 4) : random.nextDouble(0.1, 5.0));
        }
        return new VisitDurations(seconds);
    }

    /**
     * For configurations 1..10 x partitions 1..6 x workers 1..partitions and {@code seeds} seeds each, simulates
     * 2 iterations with random durations and about a fifth of the units failing on their first attempt, and
     * checks every invariant; returns the number of simulations.
     */
    static int checkAllShapes(SchedulerFactory factory, int seeds) {
        int runs = 0;
        for (int c = 1; c <= 10; c++) {
            for (int p = 1; p <= 6; p++) {
                for (int w = 1; w <= p; w++) {
                    for (long seed = 0; seed < seeds; seed++) {
                        Configurations configurations = configs(c);
                        Placement placement = Placement.roundRobin(p, w);
                        Set<Unit> failing = randomUnits(configurations, p, 2, seed);
                        Scheduler scheduler = factory.create(configurations, placement, seed);
                        Simulation s = new ScheduleSimulator(randomDurations(configurations, seed))
                                .simulate(scheduler, 2, failing);
                        assertValid(s, scheduler, 2);
                        assertEquals(failing.size(), s.failedAttempts());
                        runs++;
                    }
                }
            }
        }
        return runs;
    }

    /** Checks the invariants, data locality and the lower bound of a simulation of {@code iterations}. */
    static void assertValid(Simulation s, Scheduler scheduler, int iterations) {
        Placement placement = scheduler.placement();
        ScheduleInvariants.check(s.executed(), scheduler.configurations(), placement.partitions());
        assertEquals(iterations * scheduler.configurations().size() * placement.partitions(), s.executed().size());
        for (ExecutedUnit x : s.executed()) {
            assertEquals(placement.workerOf(x.unit().partition()), x.worker(), "unit ran away from its partition");
        }
        assertTrue(s.ratio() >= 1 - 1e-9, "makespan " + s.makespan() + " below the lower bound " + s.lowerBound());
    }

    /** About a fifth of all units of iterations 1..{@code iterations}, drawn from {@code seed}. */
    private static Set<Unit> randomUnits(Configurations configurations, int partitions, int iterations, long seed) {
        SplittableRandom random = new SplittableRandom(~seed);
        Set<Unit> units = new HashSet<>();
        for (int i = 1; i <= iterations; i++) {
            for (int key : configurations.mstKeys()) {
                for (int p = 0; p < partitions; p++) {
                    if (random.nextInt(5) == 0) {
                        units.add(new Unit(key, p, i));
                    }
                }
            }
        }
        return units;
    }
}
