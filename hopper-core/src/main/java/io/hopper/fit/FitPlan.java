package io.hopper.fit;

import io.hopper.data.PackedSummary;
import io.hopper.mop.Placement;

import java.util.List;
import java.util.Optional;

/**
 * A fit's inputs, validated and read before training ({@link FitPlanner}): the packed tables' summaries, every
 * configuration with its first state, the placement, the memory estimate and the metrics iterations.
 *
 * @param source the packed training table's summary
 * @param validation the packed validation table's summary, if any
 * @param archTable the architecture table of the mst table
 * @param configs every configuration of the mst table, in its order
 * @param placement which worker owns which partitions
 * @param estimate the memory estimate (checked)
 * @param metricsIters the iterations at which a fixed-iteration fit computes metrics
 */
public record FitPlan(PackedSummary source, Optional<PackedSummary> validation, String archTable, List<ConfigState> configs,
                      Placement placement, MemoryEstimate estimate, List<Integer> metricsIters) {
    /** Copies the lists (the configurations themselves are the loop's to change). */
    public FitPlan {
        configs = List.copyOf(configs);
        metricsIters = List.copyOf(metricsIters);
    }

    /** Whether there is a validation table. */
    public boolean validated() {
        return validation.isPresent();
    }
}
