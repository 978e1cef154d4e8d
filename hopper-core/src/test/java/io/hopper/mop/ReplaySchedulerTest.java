package io.hopper.mop;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplaySchedulerTest {
    /** Each configuration's partitions per iteration in the order it ran them. */
    static Map<Integer, List<List<Integer>>> visitOrders(List<ExecutedUnit> executed, int iterations) {
        Map<Integer, List<List<Integer>>> orders = new TreeMap<>();
        executed.stream().sorted(Comparator.comparingDouble(ExecutedUnit::start)).forEach(x -> {
            List<List<Integer>> perIteration = orders.computeIfAbsent(x.unit().mstKey(), k -> {
                List<List<Integer>> l = new ArrayList<>();
                for (int i = 0; i < iterations; i++) {
                    l.add(new ArrayList<>());
                }
                return l;
            });
            perIteration.get(x.unit().iteration() - 1).add(x.unit().partition());
        });
        return orders;
    }

    /** Random permutations of the partitions for every configuration and iteration. */
    static Map<Integer, List<List<Integer>>> randomOrders(Configurations configurations, int partitions, int iterations, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<Integer, List<List<Integer>>> orders = new TreeMap<>();
        for (int key : configurations.mstKeys()) {
            List<List<Integer>> perIteration = new ArrayList<>();
            for (int i = 0; i < iterations; i++) {
                List<Integer> order = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    order.add(p);
                }
                for (int j = partitions - 1; j > 0; j--) {
                    int k = random.nextInt(j + 1);
                    order.set(j, order.set(k, order.get(j)));
                }
                perIteration.add(order);
            }
            orders.put(key, perIteration);
        }
        return orders;
    }

    @Test
    void keepsEveryInvariantOnEveryShapeWithFailures() {
        int runs = MopFixtures.checkAllShapes((configurations, placement, seed) -> new ReplayScheduler(configurations, placement,
                randomOrders(configurations, placement.partitions(), 2, seed)), 3);
        assertEquals(10 * 21 * 3, runs);
    }

    @Test
    void replaysAnAsynchronousScheduleVisitOrdersUnderOtherTimingsAndPlacements() {
        Configurations configs = MopFixtures.configs(5);
        Simulation original = new ScheduleSimulator(MopFixtures.randomDurations(configs, 3))
                .simulate(new AsyncScheduler(configs, Placement.roundRobin(4, 4), 9), 3);
        Map<Integer, List<List<Integer>>> recorded = visitOrders(original.executed(), 3);
        for (int workers = 1; workers <= 4; workers++) {
            ReplayScheduler replay = new ReplayScheduler(configs, Placement.roundRobin(4, workers), recorded);
            Simulation again = new ScheduleSimulator(MopFixtures.randomDurations(configs, 8)).simulate(replay, 3);
            MopFixtures.assertValid(again, replay, 3);
            assertEquals(recorded, visitOrders(again.executed(), 3), "workers=" + workers);
        }
    }

    @Test
    void incompleteOrInvalidOrdersAreOneLineErrors() {
        Configurations configs = Configurations.of(1, 2);
        Placement placement = Placement.roundRobin(2, 2);
        String missing = assertThrows(IllegalArgumentException.class,
                () -> new ReplayScheduler(configs, placement, Map.of(1, List.of(List.of(0, 1))))).getMessage();
        assertTrue(missing.contains("mst_key 2 has none"), missing);
        String notPermutation = assertThrows(IllegalArgumentException.class, () -> new ReplayScheduler(configs, placement,
                Map.of(1, List.of(List.of(0, 1)), 2, List.of(List.of(0, 0))))).getMessage();
        assertTrue(notPermutation.contains("mst_key 2 iteration 1 visits [0, 0]"), notPermutation);
        String uneven = assertThrows(IllegalArgumentException.class, () -> new ReplayScheduler(configs, placement,
                Map.of(1, List.of(List.of(0, 1)), 2, List.of(List.of(0, 1), List.of(1, 0))))).getMessage();
        assertTrue(uneven.contains("iterations but others have"), uneven);
        ReplayScheduler ok = new ReplayScheduler(configs, placement, Map.of(1, List.of(List.of(0, 1)), 2, List.of(List.of(1, 0))));
        String beyond = assertThrows(IllegalArgumentException.class, () -> ok.start(2)).getMessage();
        assertTrue(beyond.contains("beyond the 1 recorded iterations"), beyond);
    }
}
