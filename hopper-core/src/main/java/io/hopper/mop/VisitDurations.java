package io.hopper.mop;

import java.util.Map;

/**
 * How long one partition visit (one unit) of each configuration takes, in seconds of virtual time; inputs of the
 * simulator and of the epoch lower bound.
 *
 * @param secondsByMst seconds per unit for each mst key; positive and finite
 */
public record VisitDurations(Map<Integer, Double> secondsByMst) {
    /** Validates and copies. */
    public VisitDurations {
        for (Map.Entry<Integer, Double> e : secondsByMst.entrySet()) {
            double s = e.getValue();
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("visit durations: mst " + e.getKey() + " takes " + s
                        + " s per unit; give a positive finite duration");
            }
        }
        secondsByMst = Map.copyOf(secondsByMst);
    }

    /** Seconds per unit of configuration {@code mstKey}. */
    public double of(int mstKey) {
        Double seconds = secondsByMst.get(mstKey);
        if (seconds == null) {
            throw new IllegalArgumentException("visit durations: no duration for mst " + mstKey
                    + "; give one per configuration");
        }
        return seconds;
    }

    /**
     * Cerebro's lower bound on one iteration (madlib.md section 7): max(sum of the configurations' single-worker
     * epoch times / workers, the longest configuration's epoch time), where a configuration's epoch time is its
     * unit duration times the number of partitions.
     */
    public double iterationLowerBound(Configurations configurations, Placement placement) {
        double sum = 0;
        double longest = 0;
        for (int key : configurations.mstKeys()) {
            double epoch = of(key) * placement.partitions();
            sum += epoch;
            longest = Math.max(longest, epoch);
        }
        return Math.max(sum / placement.workers(), longest);
    }
}
