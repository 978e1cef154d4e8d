package io.hopper.engine;

import io.hopper.mop.Unit;
import io.hopper.store.TableNames;

import java.util.Objects;

/**
 * One unit to run, as plain data: configuration {@code unit.mstKey()} trains on (or is evaluated on) partition
 * {@code unit.partition()} of {@code table}, starting from {@code state}.
 *
 * <p>The state array is not copied (it can be megabytes and travels with every unit): neither the caller nor the
 * engine may modify it.
 *
 * @param unit the configuration, partition and iteration
 * @param phase train or evaluate
 * @param table the packed table whose partition the unit reads
 * @param model the configuration's architecture and settings
 * @param state the model state to start from, as {@code TrainableModel.exportState()} writes it
 * @param unitSeed the seed of the unit's random draws (sample order, dropout); a function of the run's seed, the
 *     mst key, the iteration and the partition, never of the worker
 */
public record UnitTask(Unit unit, Phase phase, String table, ModelSpec model, byte[] state, long unitSeed) {
    /** Validates. */
    public UnitTask {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(phase, "phase");
        TableNames.requireTable(table);
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(state, "state");
    }
}
