package io.hopper.fit;

import io.hopper.data.PackedSummary;
import io.hopper.model.params.MstEntry;
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
 * @param planner plans a configuration that is not in the mst table (a search's proposal) as the mst table's were
 */
public record FitPlan(PackedSummary source, Optional<PackedSummary> validation, String archTable, List<ConfigState> configs,
                      Placement placement, MemoryEstimate estimate, List<Integer> metricsIters, Planner planner) {

    /** Plans configurations that come after the plan. */
    public interface Planner {
        /**
         * The configuration {@code entry} with its first state (weights seeded from (seed, mst_key) or the architecture
         * table's model_weights), its architecture checked against the data.
         *
         * @throws IllegalArgumentException when its model id is not in the architecture table or does not fit the data
         */
        ConfigState plan(MstEntry entry);

        /**
         * The model spec of {@code entry} (its architecture's JSON, its compile and fit params).
         *
         * @throws IllegalArgumentException when its model id is not in the architecture table or does not fit the data
         */
        io.hopper.engine.ModelSpec model(MstEntry entry);
    }

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
