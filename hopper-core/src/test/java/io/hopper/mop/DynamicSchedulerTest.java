package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DynamicSchedulerTest {

    /** What a simulated session did. */
    private record Trace(List<ExecutedUnit> executed, Map<Integer, Integer> epochs, Map<Integer, Integer> targets,
                         int idleWhileAvailable) {
    }

    /**
     * Runs a session in virtual time: random durations, one unit in five fails; at every epoch end a random driver
     * raises the target, pauses, retires, adds configurations and resumes paused ones; whenever nothing runs, it
     * resumes a paused configuration or stops. Counts idle workers for which a unit was available.
     */
    private static Trace simulate(int partitions, int workers, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + partitions * 7L + workers);
        Placement placement = Placement.roundRobin(partitions, workers);
        DynamicScheduler s = new DynamicScheduler(placement, seed);
        Map<Integer, Integer> targets = new TreeMap<>();
        List<Integer> paused = new ArrayList<>();
        int nextKey = 10;
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            targets.put(nextKey, 1 + random.nextInt(2));
            s.add(nextKey++, targets.get(nextKey - 1));
        }
        Unit[] running = new Unit[workers];
        double[] start = new double[workers];
        double[] end = new double[workers];
        List<ExecutedUnit> executed = new ArrayList<>();
        Map<Integer, Integer> epochs = new HashMap<>();
        int idleWhileAvailable = 0;
        double now = 0;
        while (true) {
            for (int w = 0; w < workers; w++) {
                if (running[w] == null) {
                    Optional<Unit> u = s.next(w);
                    if (u.isPresent()) {
                        assertEquals(w, placement.workerOf(u.get().partition()));
                        running[w] = u.get();
                        start[w] = now;
                        end[w] = now + (seed % 2 == 0 ? 1 + random.nextInt(3) : random.nextDouble(0.1, 3));
                    }
                }
            }
            for (int w = 0; w < workers; w++) {
                if (running[w] == null && s.next(w).isPresent()) {
                    idleWhileAvailable++;
                }
            }
            int first = -1;
            for (int w = 0; w < workers; w++) {
                if (running[w] != null && (first < 0 || end[w] < end[first])) {
                    first = w;
                }
            }
            if (first < 0) {
                assertTrue(s.quiet() || !paused.isEmpty(), "nothing runs yet the scheduler is not quiet");
                if (paused.isEmpty()) {
                    break;
                }
                int key = paused.remove(0);
                targets.put(key, targets.get(key) + 1);
                s.extend(key, targets.get(key));
                continue;
            }
            Unit u = running[first];
            running[first] = null;
            now = end[first];
            if (random.nextInt(5) == 0) {
                s.fail(u);
                continue;
            }
            executed.add(new ExecutedUnit(u, first, start[first], end[first]));
            if (!s.complete(u)) {
                continue;
            }
            int key = u.mstKey();
            epochs.put(key, u.iteration());
            assertEquals(u.iteration(), s.epochsDone(key));
            if (u.iteration() < targets.get(key)) {
                s.release(key);
                continue;
            }
            switch (random.nextInt(4)) {
                case 0 -> {
                    targets.put(key, targets.get(key) + 1 + random.nextInt(2));
                    s.extend(key, targets.get(key));
                    s.release(key);
                }
                case 1 -> {
                    s.release(key);
                    paused.add(key);
                }
                case 2 -> {
                    s.retire(key);
                    if (!paused.isEmpty() && random.nextBoolean()) {
                        int resumed = paused.remove(0);
                        targets.put(resumed, targets.get(resumed) + 1);
                        s.extend(resumed, targets.get(resumed));
                    }
                }
                default -> {
                    s.release(key);
                    paused.add(key);
                    if (nextKey < 22) {
                        targets.put(nextKey, 1 + random.nextInt(3));
                        s.add(nextKey++, targets.get(nextKey - 1));
                    }
                }
            }
        }
        return new Trace(executed, epochs, targets, idleWhileAvailable);
    }

    @Test
    void keepsEveryInvariantOnEveryShapeWithFailuresAndNeverIdlesAWorkerWithWork() {
        int runs = 0;
        for (int partitions = 1; partitions <= 6; partitions++) {
            for (int workers = 1; workers <= partitions; workers++) {
                for (long seed = 0; seed < 6; seed++) {
                    Trace t = simulate(partitions, workers, seed);
                    ScheduleInvariants.checkEpochs(t.executed(), partitions);
                    assertEquals(0, t.idleWhileAvailable(), "an idle worker had a unit available");
                    for (Map.Entry<Integer, Integer> e : t.epochs().entrySet()) {
                        assertEquals(t.targets().get(e.getKey()), e.getValue(), "mst " + e.getKey() + " stopped short of its target");
                    }
                    runs++;
                }
            }
        }
        assertEquals(21 * 6, runs);
    }

    @Test
    void sameSeedGivesSameScheduleAndSeedsDiffer() {
        assertEquals(simulate(4, 2, 5).executed(), simulate(4, 2, 5).executed());
        List<Unit> a = simulate(4, 4, 1).executed().stream().map(ExecutedUnit::unit).toList();
        DynamicScheduler s1 = new DynamicScheduler(Placement.roundRobin(4, 1), 1);
        DynamicScheduler s2 = new DynamicScheduler(Placement.roundRobin(4, 1), 2);
        List<Integer> p1 = new ArrayList<>();
        List<Integer> p2 = new ArrayList<>();
        for (DynamicScheduler s : List.of(s1, s2)) {
            s.add(1, 1);
            for (int i = 0; i < 4; i++) {
                Unit u = s.next(0).orElseThrow();
                (s == s1 ? p1 : p2).add(u.partition());
                s.complete(u);
            }
        }
        assertFalse(a.isEmpty());
        assertNotEquals(p1, p2);
    }

    @Test
    void epochEndsHoldTheConfigurationUntilReleased() {
        DynamicScheduler s = new DynamicScheduler(Placement.roundRobin(2, 2), 3);
        s.add(5, 2);
        Unit first = s.next(0).orElseThrow();
        assertEquals(new Unit(5, 0, 1), first);
        assertEquals(Optional.empty(), s.next(1), "a configuration runs on one worker at a time");
        assertFalse(s.complete(first));
        Unit second = s.next(1).orElseThrow();
        assertEquals(new Unit(5, 1, 1), second);
        assertEquals(Optional.empty(), s.next(0), "partition 0 was visited this epoch");
        assertTrue(s.complete(second));
        assertEquals(1, s.epochsDone(5));
        assertEquals(Optional.empty(), s.next(0), "held after its epoch");
        assertFalse(s.quiet());
        s.release(5);
        assertEquals(new Unit(5, 0, 2), s.next(0).orElseThrow());
    }

    @Test
    void pausesAtItsTargetUntilExtendedAndFailedUnitsGoBack() {
        DynamicScheduler s = new DynamicScheduler(Placement.roundRobin(1, 1), 9);
        s.add(7, 1);
        Unit u = s.next(0).orElseThrow();
        s.fail(u);
        Unit again = s.next(0).orElseThrow();
        assertEquals(u, again);
        assertTrue(s.complete(again));
        s.release(7);
        assertEquals(Optional.empty(), s.next(0));
        assertTrue(s.quiet());
        s.extend(7, 2);
        assertEquals(new Unit(7, 0, 2), s.next(0).orElseThrow());
    }

    @Test
    void refusesCallsOutOfProtocol() {
        DynamicScheduler s = new DynamicScheduler(Placement.roundRobin(2, 1), 1);
        s.add(1, 2);
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> s.add(1, 3));
        assertTrue(twice.getMessage().contains("mst 1"), twice.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> s.add(2, 0));
        assertTrue(zero.getMessage().contains("target=0"), zero.getMessage());
        Unit u = s.next(0).orElseThrow();
        assertTrue(assertThrows(IllegalStateException.class, () -> s.next(0)).getMessage().contains("worker 0"));
        assertTrue(assertThrows(IllegalStateException.class, () -> s.retire(1)).getMessage().contains("mst 1"));
        assertTrue(assertThrows(IllegalStateException.class, () -> s.release(1)).getMessage().contains("not held"));
        assertTrue(assertThrows(IllegalStateException.class, () -> s.extend(9, 2)).getMessage().contains("mst 9"));
        s.complete(u);
        assertTrue(assertThrows(IllegalStateException.class, () -> s.complete(u)).getMessage().contains("not running"));
        assertTrue(assertThrows(IllegalStateException.class, () -> s.retire(1)).getMessage().contains("epoch 1"));
        s.complete(s.next(0).orElseThrow());
        IllegalArgumentException lower = assertThrows(IllegalArgumentException.class, () -> s.extend(1, 0));
        assertTrue(lower.getMessage().contains("mst 1"), lower.getMessage());
        s.retire(1);
        assertTrue(s.quiet());
    }

    @Test
    void withRotationEveryConfigurationVisitsItsEpochsPartitionsInTheFixedOrder() {
        for (int workers = 1; workers <= 3; workers++) {
            Placement placement = Placement.roundRobin(3, workers);
            DynamicScheduler s = new DynamicScheduler(placement, 5, true);
            s.add(1, 2);
            s.add(2, 2);
            Map<Integer, List<Integer>> visits = new TreeMap<>();
            Unit[] running = new Unit[workers];
            boolean busy = true;
            while (busy) {
                busy = false;
                for (int w = 0; w < workers; w++) {
                    if (running[w] == null) {
                        running[w] = s.next(w).orElse(null);
                    }
                }
                for (int w = 0; w < workers; w++) {
                    if (running[w] != null) {
                        busy = true;
                        Unit u = running[w];
                        running[w] = null;
                        visits.computeIfAbsent(u.mstKey(), k -> new ArrayList<>()).add(u.partition());
                        if (s.complete(u)) {
                            s.release(u.mstKey());
                        }
                    }
                }
            }
            for (int key : List.of(1, 2)) {
                List<Integer> expected = new ArrayList<>(DynamicScheduler.rotationOrder(key, 1, 3));
                expected.addAll(DynamicScheduler.rotationOrder(key, 2, 3));
                assertEquals(expected, visits.get(key), workers + " workers, mst_key " + key);
            }
        }
        assertEquals(List.of(2, 0, 1), DynamicScheduler.rotationOrder(1, 2, 3));
    }
}
