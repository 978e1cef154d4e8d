package io.hopper.fit;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a fit stands after a unit finished.
 *
 * @param iteration the current iteration, from 1
 * @param iterations the iterations of the fit
 * @param unitsDone units finished (train and eval, including skipped units of diverged configurations)
 * @param unitsTotal units of the whole fit
 * @param elapsedMillis milliseconds since the fit started training
 * @param latestLosses the latest training loss per mst key, in mst_key order
 */
public record FitProgress(int iteration, int iterations, long unitsDone, long unitsTotal, long elapsedMillis,
                          Map<Integer, Double> latestLosses) {
    /** Validates and copies. */
    public FitProgress {
        if (unitsDone < 0 || unitsDone > unitsTotal || elapsedMillis < 0) {
            throw new IllegalArgumentException("progress: units " + unitsDone + "/" + unitsTotal + ", elapsed " + elapsedMillis
                    + " ms; need 0 <= done <= total and elapsed >= 0");
        }
        latestLosses = java.util.Collections.unmodifiableMap(new TreeMap<>(latestLosses));
    }

    /** The remaining time, extrapolated from the time per unit so far; -1 before the first unit. */
    public long estimatedRemainingMillis() {
        return unitsDone == 0 ? -1 : Math.round((double) elapsedMillis * (unitsTotal - unitsDone) / unitsDone);
    }
}
