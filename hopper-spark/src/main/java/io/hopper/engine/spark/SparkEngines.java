package io.hopper.engine.spark;

import io.hopper.engine.EngineFactory;
import io.hopper.store.PostgresStore;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one class the hopper command loads by name for {@code --engine spark}: opens a {@link SparkEngine} from the
 * command's settings, so nothing else in Hopper refers to Spark.
 */
public final class SparkEngines {
    private SparkEngines() {
    }

    /**
     * Connects to {@code master} (empty under spark-submit, which gives it) and places {@code partitions}
     * partitions on the cluster's executors.
     *
     * @param master the Spark master, or empty to take spark-submit's
     * @param storeLocation the {@code --store} location; a directory is made absolute, since executors run in
     *     their own working directories
     * @param partitions the packed table's partitions
     * @param workers units at once; empty = one per executor slot
     * @param useCaching whether executors keep decoded partitions in memory
     */
    public static SparkEngine open(Optional<String> master, String storeLocation, int partitions, OptionalInt workers,
                                   boolean useCaching) {
        return SparkEngine.start(SparkEngineConfig.of(master, executorStoreLocation(storeLocation), useCaching, workers),
                partitions);
    }

    /**
     * The fit's engine factory for {@code --engine spark}: each fit connects to {@code master} and runs its
     * placement's workers on the cluster's executors, which read the tables from {@code storeLocation} themselves
     * (the factory's {@link io.hopper.store.Store} argument is the driver's and stays unused).
     *
     * @param master the Spark master, or empty to take spark-submit's
     * @param storeLocation the {@code --store} location
     */
    public static EngineFactory factory(Optional<String> master, String storeLocation) {
        return factory(master, storeLocation, PostgresStore.DEFAULT_RETRY);
    }

    /**
     * {@link #factory(Optional, String)} whose executors' stores retry a dropped PostgreSQL connection for up to
     * {@code storeRetry} ({@code --store-retry}), as the driver's does.
     */
    public static EngineFactory factory(Optional<String> master, String storeLocation, java.time.Duration storeRetry) {
        String location = executorStoreLocation(storeLocation);
        return (store, placement, useCaching) -> SparkEngine.start(config(master, location, useCaching, storeRetry), placement);
    }

    /** The config of a fit's engine: the defaults, the executors' store location and its retry. */
    static SparkEngineConfig config(Optional<String> master, String executorLocation, boolean useCaching,
                                    java.time.Duration storeRetry) {
        return SparkEngineConfig.of(master, executorLocation, useCaching, OptionalInt.empty()).withStoreRetry(storeRetry);
    }

    /** The store location as executors must see it: PostgreSQL URLs unchanged, directories absolute. */
    static String executorStoreLocation(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("--store: the location is empty; give a directory every executor can "
                    + "read or a jdbc:postgresql:// URL");
        }
        if (location.startsWith(PostgresStore.URL_PREFIX)) {
            return location;
        }
        return Path.of(location).toAbsolutePath().normalize().toString();
    }
}
