package io.hopper.engine.spark;

import io.hopper.engine.Phase;
import io.hopper.engine.UnitTask;
import io.hopper.store.TableNames;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.Objects;

/**
 * A unit as it travels to an executor: {@link UnitTask} flattened to serializable values (the parameters as their
 * canonical strings), plus where the executor finds the store and its cache.
 *
 * <p>The state goes inline when small and by broadcast when large: exactly one of {@code inlineState} and
 * {@code broadcastState} is set.
 *
 * @param fitId the engine instance, so executors never mix the caches of two fits
 * @param storeLocation the store as {@code Stores.open} takes it, readable from every executor
 * @param storeRetry how long the executor's store retries a dropped PostgreSQL connection ({@code --store-retry})
 * @param useCaching whether the executor keeps the partition's decoded buffers for later units
 * @param table the packed table
 * @param mstKey the configuration
 * @param partition the partition
 * @param iteration the iteration
 * @param phase train or evaluate
 * @param archJson the Keras JSON
 * @param compileParams the canonical compile_params
 * @param fitParams the canonical fit_params
 * @param unitSeed the unit's seed
 * @param inlineState the state, or null when it goes by broadcast
 * @param broadcastState the state's broadcast, or null when it goes inline
 */
record UnitMessage(String fitId, String storeLocation, java.time.Duration storeRetry, boolean useCaching, String table, int mstKey, int partition,
                   int iteration, Phase phase, String archJson, String compileParams, String fitParams, long unitSeed,
                   byte[] inlineState, Broadcast<byte[]> broadcastState) implements Serializable {
    /** Validates. */
    UnitMessage {
        Objects.requireNonNull(fitId, "fitId");
        Objects.requireNonNull(storeLocation, "storeLocation");
        Objects.requireNonNull(storeRetry, "storeRetry");
        TableNames.requireTable(table);
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(archJson, "archJson");
        Objects.requireNonNull(compileParams, "compileParams");
        Objects.requireNonNull(fitParams, "fitParams");
        if ((inlineState == null) == (broadcastState == null)) {
            throw new IllegalArgumentException("unit message (mst " + mstKey + ", partition " + partition
                    + "): give the state either inline or by broadcast, not both or neither");
        }
    }

    /** The state the unit starts from. */
    byte[] state() {
        return inlineState != null ? inlineState : broadcastState.value();
    }
}
