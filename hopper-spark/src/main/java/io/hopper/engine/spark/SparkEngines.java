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
        String location = executorStoreLocation(storeLocation);
        return (store, placement, useCaching) -> SparkEngine.start(
                SparkEngineConfig.of(master, location, useCaching, OptionalInt.empty()), placement);
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
