package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RotationSchedulerTest {
    private static Unit u(int mst, int partition, int iteration) {
        return new Unit(mst, partition, iteration);
    }

    @Test
    void keepsEveryInvariantOnEveryShapeWithFailures() {
        int runs = MopFixtures.checkAllShapes((c, p, seed) -> new RotationScheduler(c, p), 2);
        assertEquals(10 * 21 * 2, runs);
    }

    @Test
    void parksConfigurationsWhenMoreConfigurationsThanPartitions() {
        RotationScheduler s = new RotationScheduler(Configurations.of(10, 13, 16), Placement.roundRobin(2, 2));
        assertEquals(3, s.hopsPerIteration());
        assertEquals(List.of(u(10, 0, 1), u(13, 1, 1)), s.plannedHop(1, 0));
        assertEquals(List.of(16), s.parkedConfigurations(1, 0));
        assertEquals(List.of(u(16, 0, 1), u(10, 1, 1)), s.plannedHop(1, 1));
        assertEquals(List.of(13), s.parkedConfigurations(1, 1));
        assertEquals(List.of(u(13, 0, 1), u(16, 1, 1)), s.plannedHop(1, 2));
        assertEquals(List.of(10), s.parkedConfigurations(1, 2));
        // MADlib does not rotate between iterations: iteration 2 begins where iteration 1 ended.
        assertEquals(List.of(u(13, 0, 2), u(16, 1, 2)), s.plannedHop(2, 0));
        assertEquals(List.of(u(10, 0, 2), u(13, 1, 2)), s.plannedHop(2, 1));
    }

    @Test
    void idlesPartitionsWhenFewerConfigurationsThanPartitions() {
        RotationScheduler s = new RotationScheduler(Configurations.of(10, 13), Placement.roundRobin(3, 3));
        assertEquals(3, s.hopsPerIteration());
        assertEquals(List.of(u(10, 0, 1), u(13, 1, 1)), s.plannedHop(1, 0));
        assertEquals(List.of(u(10, 1, 1), u(13, 2, 1)), s.plannedHop(1, 1));
        assertEquals(List.of(u(13, 0, 1), u(10, 2, 1)), s.plannedHop(1, 2));
        for (int hop = 0; hop < 3; hop++) {
            assertEquals(List.of(), s.parkedConfigurations(1, hop));
        }
    }

    @Test
    void hopStructureMatchesMadlibOnEveryShape() {
        for (int c = 1; c <= 10; c++) {
            for (int p = 1; p <= 6; p++) {
                Configurations configs = MopFixtures.configs(c);
                RotationScheduler s = new RotationScheduler(configs, Placement.roundRobin(p, 1));
                int hops = Math.max(c, p);
                assertEquals(hops, s.hopsPerIteration());
                for (int iteration = 1; iteration <= 3; iteration++) {
                    Set<Unit> seen = new HashSet<>();
                    for (int hop = 0; hop < hops; hop++) {
                        List<Unit> units = s.plannedHop(iteration, hop);
                        List<Integer> parked = s.parkedConfigurations(iteration, hop);
                        String where = "C=" + c + " P=" + p + " iteration " + iteration + " hop " + hop;
                        assertEquals(Math.min(c, p), units.size(), where + ": units (P - C partitions idle)");
                        assertEquals(Math.max(0, c - p), parked.size(), where + ": parked configurations");
                        Set<Integer> msts = new HashSet<>(parked);
                        Set<Integer> partitions = new HashSet<>();
                        for (Unit unit : units) {
                            assertTrue(msts.add(unit.mstKey()), where + ": mst twice or parked and training");
                            assertTrue(partitions.add(unit.partition()), where + ": partition twice");
                            assertTrue(seen.add(unit), where + ": unit twice in the iteration");
                        }
                        assertEquals(new HashSet<>(configs.mstKeys()), msts, where + ": configurations lost");
                    }
                    assertEquals(c * p, seen.size(), "C=" + c + " P=" + p + ": iteration incomplete");
                    if (iteration > 1) {
                        List<Unit> previousLast = s.plannedHop(iteration - 1, hops - 1);
                        List<Unit> first = s.plannedHop(iteration, 0);
                        for (int i = 0; i < first.size(); i++) {
                            assertEquals(previousLast.get(i).mstKey(), first.get(i).mstKey());
                            assertEquals(previousLast.get(i).partition(), first.get(i).partition());
                        }
                    }
                }
            }
        }
    }

    @Test
    void simulatedScheduleFollowsThePlanWithABarrierAfterEveryHop() {
        for (int c = 1; c <= 10; c++) {
            for (int p = 1; p <= 6; p++) {
                for (int w = 1; w <= p; w++) {
                    Configurations configs = MopFixtures.configs(c);
                    RotationScheduler s = new RotationScheduler(configs, Placement.roundRobin(p, w));
                    Simulation sim = new ScheduleSimulator(MopFixtures.randomDurations(configs, c * 7L + p))
                            .simulate(s, 2);
                    Map<Unit, ExecutedUnit> byUnit = new HashMap<>();
                    sim.executed().forEach(x -> byUnit.put(x.unit(), x));
                    for (int iteration = 1; iteration <= 2; iteration++) {
                        double previousEnd = 0;
                        for (int hop = 0; hop < s.hopsPerIteration(); hop++) {
                            double start = Double.MAX_VALUE;
                            double end = 0;
                            for (Unit unit : s.plannedHop(iteration, hop)) {
                                ExecutedUnit x = byUnit.get(unit);
                                start = Math.min(start, x.start());
                                end = Math.max(end, x.end());
                            }
                            assertTrue(start >= previousEnd, "C=" + c + " P=" + p + " W=" + w + " hop " + hop
                                    + " started at " + start + " before the barrier at " + previousEnd);
                            previousEnd = end;
                        }
                    }
                }
            }
        }
    }

    @Test
    void sameInputsGiveSameSchedule() {
        Configurations configs = MopFixtures.configs(7);
        ScheduleSimulator sim = new ScheduleSimulator(MopFixtures.randomDurations(configs, 5));
        assertEquals(sim.simulate(new RotationScheduler(configs, Placement.roundRobin(5, 3)), 3).executed(),
                sim.simulate(new RotationScheduler(configs, Placement.roundRobin(5, 3)), 3).executed());
    }

    @Test
    void barrierHoldsTheNextHopUntilEveryUnitCompleted() {
        RotationScheduler s = new RotationScheduler(Configurations.of(10, 13), Placement.roundRobin(2, 2));
        s.start(1);
        assertEquals(0, s.currentHop());
        assertEquals(Optional.of(u(10, 0, 1)), s.next(0));
        assertEquals(Optional.of(u(13, 1, 1)), s.next(1));
        s.complete(u(10, 0, 1));
        assertEquals(Optional.empty(), s.next(0));
        s.fail(u(13, 1, 1));
        assertEquals(Optional.empty(), s.next(0));
        assertEquals(Optional.of(u(13, 1, 1)), s.next(1));
        s.complete(u(13, 1, 1));
        assertEquals(1, s.currentHop());
        assertEquals(Optional.of(u(13, 0, 1)), s.next(0));
        assertEquals(Optional.of(u(10, 1, 1)), s.next(1));
        s.complete(u(13, 0, 1));
        s.complete(u(10, 1, 1));
        assertEquals(2, s.currentHop());
        assertTrue(s.iterationDone());
        assertEquals(Optional.empty(), s.next(0));
    }

    @Test
    void workerWithSeveralPartitionsRunsItsHopUnitsInPartitionOrder() {
        RotationScheduler s = new RotationScheduler(Configurations.of(10, 13), Placement.roundRobin(2, 1));
        s.start(1);
        assertEquals(Optional.of(u(10, 0, 1)), s.next(0));
        s.complete(u(10, 0, 1));
        assertEquals(Optional.of(u(13, 1, 1)), s.next(0));
    }

    @Test
    void rejectsCallsOutOfProtocolAndHopsOutsideTheSchedule() {
        RotationScheduler s = new RotationScheduler(Configurations.of(10, 13), Placement.roundRobin(2, 2));
        var e = assertThrows(IllegalStateException.class, () -> s.currentHop());
        assertTrue(e.getMessage().startsWith("currentHop: no iteration started"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.next(0));
        s.start(1);
        e = assertThrows(IllegalStateException.class, () -> s.complete(u(13, 0, 1)));
        assertTrue(e.getMessage().contains("is not running"), e.getMessage());
        s.next(0);
        e = assertThrows(IllegalStateException.class, () -> s.start(2));
        assertTrue(e.getMessage().contains("iteration 1 still has 4 units"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> s.plannedHop(1, 2));
        assertTrue(bad.getMessage().contains("hop=2"), bad.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> s.parkedConfigurations(0, 0));
        assertTrue(bad.getMessage().contains("iteration=0"), bad.getMessage());
    }
}
