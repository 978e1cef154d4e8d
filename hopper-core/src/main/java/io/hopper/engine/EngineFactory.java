package io.hopper.engine;

import io.hopper.mop.Placement;
import io.hopper.store.Store;

/**
 * Starts the engine of one fit; {@code LocalEngine::new} is the embedded one.
 */
@FunctionalInterface
public interface EngineFactory {

    /**
     * Starts an engine whose workers own the partitions of {@code placement}.
     *
     * @param store where the packed tables are
     * @param placement which worker owns which partitions
     * @param useCaching whether workers keep decoded partitions after the first visit
     */
    Engine start(Store store, Placement placement, boolean useCaching);
}
