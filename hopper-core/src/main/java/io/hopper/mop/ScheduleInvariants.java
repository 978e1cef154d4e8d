package io.hopper.mop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Checks an executed schedule (simulated, or read back from an {@code <out>_schedule} table) against the MOP
 * invariants, and names the first one it breaks.
 */
public final class ScheduleInvariants {
    private ScheduleInvariants() {
    }

    /**
     * Throws an IllegalStateException naming the violated invariant unless, for the given configurations and
     * {@code partitions} partitions:
     * <ul>
     *   <li>completeness: the iterations form a range and in each of them every (mst, partition) pair ran
     *       exactly once (one uninterrupted interval: no preemption), and no other unit ran;</li>
     *   <li>iteration order: every unit of iteration i ended before any unit of iteration i + 1 started;</li>
     *   <li>configuration isolation: no two units of one configuration overlap in time;</li>
     *   <li>worker isolation: no two units on one worker overlap in time.</li>
     * </ul>
     * Intervals that only touch (one ends when the other starts) do not overlap.
     */
    public static void check(List<ExecutedUnit> executed, Configurations configurations, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("check: partitions=" + partitions
                    + " is below 1; give the partition count");
        }
        Map<Integer, List<ExecutedUnit>> byIteration = group(executed, e -> e.unit().iteration());
        checkCompleteness(byIteration, configurations, partitions);
        checkIterationOrder(byIteration);
        checkIsolation("configuration isolation", "mst", group(executed, e -> e.unit().mstKey()));
        checkIsolation("worker isolation", "worker", group(executed, ExecutedUnit::worker));
    }

    /**
     * Throws an IllegalStateException naming the violated invariant unless a schedule of {@link DynamicScheduler}
     * (configurations with their own epochs, the unit's iteration being its configuration's epoch) on
     * {@code partitions} partitions keeps, per configuration: its epochs are 1..n and in each every partition ran
     * exactly once, every unit of epoch e ended before any unit of epoch e + 1 started; and configuration and worker
     * isolation as in {@link #check}.
     */
    public static void checkEpochs(List<ExecutedUnit> executed, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("checkEpochs: partitions=" + partitions
                    + " is below 1; give the partition count");
        }
        for (Map.Entry<Integer, List<ExecutedUnit>> config : group(executed, e -> e.unit().mstKey()).entrySet()) {
            Map<Integer, List<ExecutedUnit>> byEpoch = group(config.getValue(), e -> e.unit().iteration());
            int expected = 1;
            for (Map.Entry<Integer, List<ExecutedUnit>> epoch : byEpoch.entrySet()) {
                if (epoch.getKey() != expected++) {
                    throw new IllegalStateException("completeness: mst " + config.getKey() + " ran epoch " + epoch.getKey()
                            + " without epoch " + (expected - 1));
                }
                int[] count = new int[partitions];
                for (ExecutedUnit x : epoch.getValue()) {
                    if (x.unit().partition() >= partitions) {
                        throw new IllegalStateException("completeness: unit " + x.unit() + " is outside partitions 0.."
                                + (partitions - 1));
                    }
                    count[x.unit().partition()]++;
                }
                for (int p = 0; p < partitions; p++) {
                    if (count[p] != 1) {
                        throw new IllegalStateException("completeness: mst " + config.getKey() + " epoch " + epoch.getKey()
                                + " ran partition " + p + " " + count[p] + " times instead of exactly once");
                    }
                }
            }
            checkIterationOrder(byEpoch);
        }
        checkIsolation("configuration isolation", "mst", group(executed, e -> e.unit().mstKey()));
        checkIsolation("worker isolation", "worker", group(executed, ExecutedUnit::worker));
    }

    private static void checkCompleteness(Map<Integer, List<ExecutedUnit>> byIteration,
                                          Configurations configurations, int partitions) {
        int expected = byIteration.isEmpty() ? 0 : byIteration.keySet().iterator().next();
        for (Map.Entry<Integer, List<ExecutedUnit>> e : byIteration.entrySet()) {
            if (e.getKey() != expected) {
                throw new IllegalStateException("completeness: iteration " + expected + " has no unit, yet iteration "
                        + e.getKey() + " ran");
            }
            expected++;
            int[] count = new int[configurations.size() * partitions];
            for (ExecutedUnit x : e.getValue()) {
                int c = configurations.indexOf(x.unit().mstKey());
                if (c < 0 || x.unit().partition() >= partitions) {
                    throw new IllegalStateException("completeness: unit " + x.unit()
                            + " is not in the schedule of mst keys " + configurations.mstKeys()
                            + " on partitions 0.." + (partitions - 1));
                }
                count[c * partitions + x.unit().partition()]++;
            }
            for (int i = 0; i < count.length; i++) {
                if (count[i] != 1) {
                    throw new IllegalStateException("completeness: iteration " + e.getKey() + " ran (mst "
                            + configurations.key(i / partitions) + ", partition " + i % partitions + ") "
                            + count[i] + " times instead of exactly once");
                }
            }
        }
    }

    private static void checkIterationOrder(Map<Integer, List<ExecutedUnit>> byIteration) {
        double previousEnd = Double.NEGATIVE_INFINITY;
        int previous = 0;
        for (Map.Entry<Integer, List<ExecutedUnit>> e : byIteration.entrySet()) {
            double start = e.getValue().stream().mapToDouble(ExecutedUnit::start).min().orElseThrow();
            if (start < previousEnd) {
                throw new IllegalStateException("iteration order: iteration " + e.getKey() + " started at " + start
                        + " before iteration " + previous + " ended at " + previousEnd);
            }
            previousEnd = e.getValue().stream().mapToDouble(ExecutedUnit::end).max().orElseThrow();
            previous = e.getKey();
        }
    }

    private static void checkIsolation(String invariant, String what, Map<Integer, List<ExecutedUnit>> groups) {
        for (Map.Entry<Integer, List<ExecutedUnit>> e : groups.entrySet()) {
            List<ExecutedUnit> sorted = new ArrayList<>(e.getValue());
            sorted.sort(Comparator.comparingDouble(ExecutedUnit::start));
            ExecutedUnit latest = null;
            for (ExecutedUnit x : sorted) {
                if (latest != null && x.start() < latest.end()) {
                    throw new IllegalStateException(invariant + ": " + what + " " + e.getKey() + " ran " + latest.unit()
                            + " on worker " + latest.worker() + " during [" + latest.start() + ", " + latest.end()
                            + "] and " + x.unit() + " on worker " + x.worker() + " from " + x.start());
                }
                if (latest == null || x.end() > latest.end()) {
                    latest = x;
                }
            }
        }
    }

    private static Map<Integer, List<ExecutedUnit>> group(List<ExecutedUnit> executed,
                                                         ToIntFunction<ExecutedUnit> key) {
        Map<Integer, List<ExecutedUnit>> groups = new TreeMap<>();
        for (ExecutedUnit x : executed) {
            groups.computeIfAbsent(key.applyAsInt(x), k -> new ArrayList<>()).add(x);
        }
        return groups;
    }
}
