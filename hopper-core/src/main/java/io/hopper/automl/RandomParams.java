package io.hopper.automl;

import io.hopper.model.params.ConfigGrid;

import java.util.List;
import java.util.Map;

/**
 * The settings of plain random search, the baseline the early-stopping methods are measured against: num_configs
 * configurations, every one trained the full R iterations.
 *
 * @param maxIterations R: the iterations every configuration trains
 * @param numConfigs how many configurations
 */
public record RandomParams(int maxIterations, int numConfigs) {
    /** The keys of automl_params for random search. */
    static final List<String> KEYS = List.of("R", "num_configs");

    /** Validates. */
    public RandomParams {
        if (maxIterations < 1 || maxIterations > HyperbandSchedule.MAX_R) {
            throw new IllegalArgumentException("random: R=" + maxIterations + " must be between 1 and " + HyperbandSchedule.MAX_R
                    + "; use e.g. R=9");
        }
        if (numConfigs < 1 || numConfigs > ConfigGrid.MAX_CONFIGS) {
            throw new IllegalArgumentException("random: num_configs=" + numConfigs + " must be between 1 and "
                    + ConfigGrid.MAX_CONFIGS + "; use e.g. num_configs=27");
        }
    }

    /** Parses automl_params such as {@code "R=9, num_configs=27"}; both keys are required. */
    public static RandomParams parse(String automlParams) {
        Map<String, Integer> v = AutomlParams.parse("random", automlParams, KEYS);
        for (String key : KEYS) {
            if (!v.containsKey(key)) {
                throw new IllegalArgumentException("random: automl_params has no " + key + "; write e.g. \"R=9, num_configs=27\"");
            }
        }
        return new RandomParams(v.get("R"), v.get("num_configs"));
    }

    /** The automl_params string that gives these settings. */
    public String params() {
        return "R=" + maxIterations + ", num_configs=" + numConfigs;
    }
}
