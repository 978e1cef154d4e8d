package io.hopper.bench;

import io.hopper.mop.AsyncScheduler;
import io.hopper.mop.Configurations;
import io.hopper.mop.Placement;
import io.hopper.mop.RotationScheduler;
import io.hopper.mop.ScheduleSimulator;
import io.hopper.mop.Simulation;
import io.hopper.mop.VisitDurations;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

/**
 * Prints makespan / lower bound of one iteration for 8 configurations on 4 partitions and 4 workers, with equal
 * and with unequal unit durations, for the asynchronous scheduler (mean, best and worst over seeds) and for
 * MADlib's rotation; all in virtual time from the simulator.
 */
public final class ScheduleEfficiencyBench {
    private static final int CONFIGS = 8;
    private static final int PARTITIONS = 4;
    private static final int WORKERS = 4;
    private static final int SEEDS = 100;

    private ScheduleEfficiencyBench() {
    }

    /** Runs the benchmark; no arguments. */
    public static void main(String[] args) {
        System.out.printf("%d configurations, %d partitions, %d workers, 1 iteration, %d async seeds%n",
                CONFIGS, PARTITIONS, WORKERS, SEEDS);
        System.out.printf("%-34s %10s %10s %10s %10s%n", "durations (s per unit)", "rotation",
                "async mean", "async min", "async max");
        report("equal: 1 each", mst -> 1.0);
        report("unequal: mst k takes k", mst -> mst);
    }

    private static void report(String label, IntToDoubleFunction secondsOfMst) {
        Configurations configs = Configurations.of(1, 2, 3, 4, 5, 6, 7, 8);
        Placement placement = Placement.roundRobin(PARTITIONS, WORKERS);
        Map<Integer, Double> seconds = new HashMap<>();
        for (int key : configs.mstKeys()) {
            seconds.put(key, secondsOfMst.applyAsDouble(key));
        }
        ScheduleSimulator simulator = new ScheduleSimulator(new VisitDurations(seconds));
        double rotation = simulator.simulate(new RotationScheduler(configs, placement), 1).ratio();
        double sum = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Simulation async = simulator.simulate(new AsyncScheduler(configs, placement, seed), 1);
            sum += async.ratio();
            min = Math.min(min, async.ratio());
            max = Math.max(max, async.ratio());
        }
        System.out.printf("%-34s %10.3f %10.3f %10.3f %10.3f%n", label, rotation, sum / SEEDS, min, max);
    }
}
