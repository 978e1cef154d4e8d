package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AsyncSchedulerTest {
    private static List<Unit> units(Simulation s) {
        return s.executed().stream().map(ExecutedUnit::unit).toList();
    }

    private static Simulation simulate(long seed, int iterations) {
        Configurations configs = MopFixtures.configs(8);
        return new ScheduleSimulator(MopFixtures.randomDurations(configs, 1))
                .simulate(new AsyncScheduler(configs, Placement.roundRobin(4, 4), seed), iterations);
    }

    @Test
    void keepsEveryInvariantOnEveryShapeWithFailures() {
        int runs = MopFixtures.checkAllShapes(AsyncScheduler::new, 5);
        assertEquals(10 * 21 * 5, runs);
    }

    @Test
    void sameSeedGivesSameSchedule() {
        assertEquals(simulate(42, 3).executed(), simulate(42, 3).executed());
    }

    @Test
    void differentSeedsGiveDifferentSchedules() {
        assertNotEquals(units(simulate(1, 1)), units(simulate(2, 1)));
    }

    @Test
    void iterationsDrawDifferently() {
        List<Unit> all = units(simulate(7, 2));
        List<String> first = all.subList(0, 32).stream().map(u -> u.mstKey() + "/" + u.partition()).toList();
        List<String> second = all.subList(32, 64).stream().map(u -> u.mstKey() + "/" + u.partition()).toList();
        assertNotEquals(first, second);
    }

    @Test
    void drawsUniformlyAmongCandidates() {
        Configurations configs = Configurations.of(1, 2, 3, 4);
        int[] firstPicks = new int[5];
        for (long seed = 0; seed < 4000; seed++) {
            AsyncScheduler s = new AsyncScheduler(configs, Placement.roundRobin(1, 1), seed);
            s.start(1);
            firstPicks[s.next(0).orElseThrow().mstKey()]++;
        }
        for (int key = 1; key <= 4; key++) {
            assertTrue(firstPicks[key] > 850 && firstPicks[key] < 1150, "mst " + key + ": " + firstPicks[key]);
        }
    }

    @Test
    void neverHandsOutABusyConfiguration() {
        AsyncScheduler s = new AsyncScheduler(Configurations.of(5), Placement.roundRobin(2, 2), 3);
        s.start(1);
        Unit first = s.next(0).orElseThrow();
        assertEquals(new Unit(5, 0, 1), first);
        assertEquals(Optional.empty(), s.next(1));
        s.complete(first);
        assertEquals(Optional.of(new Unit(5, 1, 1)), s.next(1));
        assertFalse(s.iterationDone());
        s.complete(new Unit(5, 1, 1));
        assertTrue(s.iterationDone());
        assertEquals(Optional.empty(), s.next(0));
    }

    @Test
    void failedUnitIsHandedOutAgain() {
        AsyncScheduler s = new AsyncScheduler(Configurations.of(5), Placement.roundRobin(1, 1), 3);
        s.start(1);
        Unit u = s.next(0).orElseThrow();
        s.fail(u);
        assertFalse(s.iterationDone());
        assertEquals(u, s.next(0).orElseThrow());
        s.complete(u);
        assertTrue(s.iterationDone());
    }

    @Test
    void rejectsCallsOutOfProtocol() {
        AsyncScheduler s = new AsyncScheduler(Configurations.of(1, 2), Placement.roundRobin(2, 1), 0);
        assertFalse(s.iterationDone());
        var e = assertThrows(IllegalStateException.class, () -> s.next(0));
        assertTrue(e.getMessage().startsWith("next: no iteration started"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> s.complete(new Unit(1, 0, 1)));
        var bad = assertThrows(IllegalArgumentException.class, () -> s.start(0));
        assertTrue(bad.getMessage().contains("iteration=0"), bad.getMessage());

        s.start(1);
        Unit u = s.next(0).orElseThrow();
        e = assertThrows(IllegalStateException.class, () -> s.next(0));
        assertTrue(e.getMessage().contains("worker 0 still runs unit " + u), e.getMessage());
        bad = assertThrows(IllegalArgumentException.class, () -> s.next(1));
        assertTrue(bad.getMessage().contains("worker 1"), bad.getMessage());
        Unit other = new Unit(u.mstKey() == 1 ? 2 : 1, 1, 1);
        e = assertThrows(IllegalStateException.class, () -> s.complete(other));
        assertTrue(e.getMessage().contains("complete: unit " + other + " is not running"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> s.fail(other));
        assertTrue(e.getMessage().startsWith("fail: unit " + other), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> s.complete(new Unit(u.mstKey(), u.partition(), 2)));
        assertTrue(e.getMessage().contains("is not a unit of iteration 1"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> s.complete(new Unit(9, 0, 1)));
        assertTrue(e.getMessage().contains("(mst 9, partition 0, iteration 1)"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> s.start(2));
        assertTrue(e.getMessage().contains("iteration 1 still has 4 units"), e.getMessage());
        s.complete(u);
        e = assertThrows(IllegalStateException.class, () -> s.complete(u));
        assertTrue(e.getMessage().contains("already completed"), e.getMessage());
    }
}
