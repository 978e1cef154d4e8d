package io.hopper.api;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What an automl run produced, besides O, O_info and O_summary.
 *
 * @param modelOutputTable O
 * @param method the search method
 * @param trials one per configuration drawn, in mst_key order
 * @param bestMstKey the configuration ranked first among those trained longest
 * @param fitCalls how many fit-multiple-model runs the search made
 * @param totalIterations the iterations trained, summed over configurations (the search's budget)
 * @param seconds wall time of the search
 */
public record AutomlResult(String modelOutputTable, AutomlSpec.Method method, List<Trial> trials, int bestMstKey,
                           int fitCalls, long totalIterations, double seconds) {
    /** Copies and validates. */
    public AutomlResult {
        Objects.requireNonNull(modelOutputTable, "modelOutputTable");
        Objects.requireNonNull(method, "method");
        trials = List.copyOf(trials);
    }

    /**
     * Where one configuration stopped.
     *
     * @param mstKey the configuration
     * @param bracket Hyperband's bracket s, empty for other methods
     * @param round Hyperband's last round i reached, empty for other methods
     * @param rung ASHA's highest rung reached, empty for other methods
     * @param iterations the iterations it trained in all
     * @param score the value it was last ranked by (NaN when it diverged)
     */
    public record Trial(int mstKey, OptionalInt bracket, OptionalInt round, OptionalInt rung, int iterations, double score) {
        /** Validates. */
        public Trial {
            Objects.requireNonNull(bracket, "bracket");
            Objects.requireNonNull(round, "round");
            Objects.requireNonNull(rung, "rung");
        }

        /** Where it stopped, e.g. {@code s=1 i=0}, {@code rung 2} or {@code full}. */
        public String stage() {
            if (bracket.isPresent()) {
                return "s=" + bracket.getAsInt() + " i=" + round.getAsInt();
            }
            return rung.isPresent() ? "rung " + rung.getAsInt() : "full";
        }
    }
}
