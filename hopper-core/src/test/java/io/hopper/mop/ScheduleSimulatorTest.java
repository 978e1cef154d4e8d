package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleSimulatorTest {
    private static final Configurations EIGHT = Configurations.of(1, 2, 3, 4, 5, 6, 7, 8);
    private static final Placement FOUR_BY_FOUR = Placement.roundRobin(4, 4);

    /** Unit durations where mst k takes k seconds, or 1 second each when {@code equal}. */
    private static VisitDurations eight(boolean equal) {
        Map<Integer, Double> seconds = new HashMap<>();
        for (int key : EIGHT.mstKeys()) {
            seconds.put(key, equal ? 1.0 : key);
        }
        return new VisitDurations(seconds);
    }

    @Test
    void oneConfigurationRunsItsPartitionsOneAfterAnother() {
        Simulation s = new ScheduleSimulator(new VisitDurations(Map.of(1, 2.0)))
                .simulate(new AsyncScheduler(Configurations.of(1), Placement.roundRobin(2, 2), 0), 1);
        assertEquals(4.0, s.makespan());
        assertEquals(4.0, s.lowerBound());
        assertEquals(0.0, s.executed().get(0).start());
        assertEquals(2.0, s.executed().get(1).start());
    }

    @Test
    void iterationsRunBackToBack() {
        Scheduler rotation = new RotationScheduler(Configurations.of(1, 2), Placement.roundRobin(2, 2));
        Simulation s = new ScheduleSimulator(new VisitDurations(Map.of(1, 1.0, 2, 1.0))).simulate(rotation, 3);
        assertEquals(12, s.executed().size());
        assertEquals(6.0, s.makespan());
        assertEquals(6.0, s.lowerBound());
        assertEquals(1.0, s.ratio());
        MopFixtures.assertValid(s, rotation, 3);
    }

    @Test
    void failedAttemptTakesItsTimeAndIsRedone() {
        Unit unit = new Unit(1, 0, 1);
        Simulation s = new ScheduleSimulator(new VisitDurations(Map.of(1, 1.0)))
                .simulate(new AsyncScheduler(Configurations.of(1), Placement.roundRobin(1, 1), 0), 1, Set.of(unit));
        assertEquals(1, s.failedAttempts());
        assertEquals(List.of(new ExecutedUnit(unit, 0, 1.0, 2.0)), s.executed());
        assertEquals(2.0, s.makespan());
    }

    @Test
    void detectsAStalledScheduler() {
        Scheduler stalled = new Scheduler() {
            @Override
            public Configurations configurations() {
                return Configurations.of(1);
            }

            @Override
            public Placement placement() {
                return Placement.roundRobin(1, 1);
            }

            @Override
            public void start(int iteration) {
            }

            @Override
            public Optional<Unit> next(int idleWorker) {
                return Optional.empty();
            }

            @Override
            public void complete(Unit unit) {
            }

            @Override
            public void fail(Unit unit) {
            }

            @Override
            public boolean iterationDone() {
                return false;
            }
        };
        var e = assertThrows(IllegalStateException.class,
                () -> new ScheduleSimulator(new VisitDurations(Map.of(1, 1.0))).simulate(stalled, 1));
        assertTrue(e.getMessage().contains("stalled in iteration 1"), e.getMessage());
    }

    @Test
    void rejectsBadArguments() {
        ScheduleSimulator sim = new ScheduleSimulator(new VisitDurations(Map.of(1, 1.0)));
        var e = assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new AsyncScheduler(Configurations.of(1, 2), Placement.roundRobin(1, 1), 0), 1));
        assertTrue(e.getMessage().contains("no duration for mst 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> sim.simulate(new AsyncScheduler(Configurations.of(1), Placement.roundRobin(1, 1), 0), 0));
        assertTrue(e.getMessage().contains("iterations=0"), e.getMessage());
    }

    @Test
    void rotationMakespanIsTheSumOfItsLongestUnitPerHop() {
        VisitDurations durations = eight(false);
        RotationScheduler rotation = new RotationScheduler(EIGHT, FOUR_BY_FOUR);
        double expected = 0;
        for (int hop = 0; hop < rotation.hopsPerIteration(); hop++) {
            expected += rotation.plannedHop(1, hop).stream()
                    .mapToDouble(u -> durations.of(u.mstKey())).max().orElseThrow();
        }
        assertEquals(expected, new ScheduleSimulator(durations).simulate(rotation, 1).makespan(), 1e-9);
    }

    @Test
    void rotationIsOptimalOnEqualDurations() {
        Simulation s = new ScheduleSimulator(eight(true)).simulate(new RotationScheduler(EIGHT, FOUR_BY_FOUR), 1);
        assertEquals(1.0, s.ratio(), 1e-12);
    }

    @Test
    void asyncIsNotWorseThanRotationOnUnequalDurations() {
        ScheduleSimulator sim = new ScheduleSimulator(eight(false));
        double rotation = sim.simulate(new RotationScheduler(EIGHT, FOUR_BY_FOUR), 1).ratio();
        double sum = 0;
        for (long seed = 0; seed < 100; seed++) {
            double async = sim.simulate(new AsyncScheduler(EIGHT, FOUR_BY_FOUR, seed), 1).ratio();
            assertTrue(async <= rotation, "seed " + seed + ": async " + async + " > rotation " + rotation);
            sum += async;
        }
        assertTrue(sum / 100 < rotation - 0.2, "mean async " + sum / 100 + " vs rotation " + rotation);
    }
}
