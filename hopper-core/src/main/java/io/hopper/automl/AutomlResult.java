package io.hopper.automl;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What an automl run produced, besides O, O_info and O_summary.
 *
 * @param modelOutputTable O
 * @param method the search method
 * @param trials one per configuration drawn, in mst_key order
 * @param steps the fits of the search in the order they ran (ASHA: one session, all its configurations)
 * @param bestMstKey the configuration ranked first among those trained longest
 * @param totalIterations the iterations trained, summed over configurations (the search's budget)
 * @param seconds wall time of the search (this process's, when resumed)
 * @param resumed what was resumed ("resumed with 40 train units already done, ..."); empty when the search was not
 */
public record AutomlResult(String modelOutputTable, AutomlSpec.Method method, List<Trial> trials, List<Step> steps, int bestMstKey,
                           long totalIterations, double seconds, String resumed) {
    /** A result of a search that was not resumed. */
    public AutomlResult(String modelOutputTable, AutomlSpec.Method method, List<Trial> trials, List<Step> steps, int bestMstKey,
                        long totalIterations, double seconds) {
        this(modelOutputTable, method, trials, steps, bestMstKey, totalIterations, seconds, "");
    }

    /** Copies and validates. */
    public AutomlResult {
        Objects.requireNonNull(resumed, "resumed");
        Objects.requireNonNull(modelOutputTable, "modelOutputTable");
        Objects.requireNonNull(method, "method");
        trials = List.copyOf(trials);
        steps = List.copyOf(steps);
    }

    /** How many fit-multiple-model runs (or sessions) the search made. */
    public int fitCalls() {
        return steps.size();
    }

    /**
     * One fit of the search: configurations that had trained {@code fromIteration} iterations, trained to
     * {@code toIteration}.
     *
     * @param mstKeys the configurations, ascending
     * @param fromIteration the iterations they had trained before
     * @param toIteration the iterations they had trained after
     */
    public record Step(List<Integer> mstKeys, int fromIteration, int toIteration) {
        /** Copies. */
        public Step {
            mstKeys = List.copyOf(mstKeys);
        }
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
