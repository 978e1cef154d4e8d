package io.hopper.engine.spark;

import io.hopper.store.PostgresStore;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the Spark engine connects and runs: the master, the store executors read, caching, workers and the Spark
 * settings that keep units on the executors that cache their partitions.
 *
 * @param master the Spark master ({@code local[N]}, {@code local-cluster[N,C,MB]}, {@code spark://host:port}, or
 *     {@code yarn}/{@code k8s://...}); empty when spark-submit gives it
 * @param storeLocation the store as {@code --store} names it; every executor must be able to open it (a shared
 *     directory or a PostgreSQL URL)
 * @param useCaching keep each partition's decoded buffers in executor memory after the first unit reads them
 * @param workers how many units may run at once; empty = one per executor slot (capped by the partitions)
 * @param localityWait Spark's {@code spark.locality.wait}: keep it above the longest unit so a unit waits for the
 *     executor that caches its partition rather than reading it again elsewhere
 * @param broadcastThresholdBytes states larger than this travel by broadcast (uncompressed), smaller ones inside
 *     the task
 * @param executorWait how long to wait for the cluster's executors to register
 * @param sparkConf further Spark settings, passed to Spark unchanged (Spark validates them)
 * @param storeRetry how long an executor's PostgreSQL store retries a dropped connection ({@code --store-retry})
 */
public record SparkEngineConfig(Optional<String> master, String storeLocation, boolean useCaching,
                                OptionalInt workers, Duration localityWait, long broadcastThresholdBytes,
                                Duration executorWait, Map<String, String> sparkConf, Duration storeRetry) {
    /** The locality wait when none is given: above any unit Hopper runs. */
    public static final Duration DEFAULT_LOCALITY_WAIT = Duration.ofHours(1);
    /** States above this size (1 MiB) go by broadcast. */
    public static final long DEFAULT_BROADCAST_THRESHOLD = 1L << 20;
    /** How long to wait for executors when none is given. */
    public static final Duration DEFAULT_EXECUTOR_WAIT = Duration.ofMinutes(2);

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|\\d+)(,\\d+)?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[(\\d+),\\s*(\\d+),\\s*(\\d+)]");

    /** Validates and copies. */
    public SparkEngineConfig {
        Objects.requireNonNull(master, "master");
        master.ifPresent(SparkEngineConfig::requireMaster);
        if (storeLocation == null || storeLocation.isBlank()) {
            throw new IllegalArgumentException("--store: the location is empty; give a directory every executor can "
                    + "read or a jdbc:postgresql:// URL");
        }
        Objects.requireNonNull(workers, "workers");
        if (workers.isPresent() && workers.getAsInt() < 1) {
            throw new IllegalArgumentException("--workers=" + workers.getAsInt() + " is below 1; use at least one worker");
        }
        requirePositive("spark.locality.wait", localityWait);
        requirePositive("executor wait", executorWait);
        if (broadcastThresholdBytes < 0) {
            throw new IllegalArgumentException("broadcast threshold=" + broadcastThresholdBytes
                    + " bytes is negative; use 0 to broadcast every state or e.g. 1048576");
        }
        sparkConf = Map.copyOf(sparkConf);
        Objects.requireNonNull(storeRetry, "storeRetry");
        if (storeRetry.isNegative()) {
            throw new IllegalArgumentException("--store-retry " + storeRetry.toSeconds() + " is negative; give 0 (no retry) or more seconds");
        }
    }

    /**
     * A config with the defaults: locality wait 1 h, broadcast above 1 MiB, executors awaited 2 min, no extra conf,
     * the store's default retry.
     */
    public static SparkEngineConfig of(Optional<String> master, String storeLocation, boolean useCaching,
                                       OptionalInt workers) {
        return new SparkEngineConfig(master, storeLocation, useCaching, workers, DEFAULT_LOCALITY_WAIT,
                DEFAULT_BROADCAST_THRESHOLD, DEFAULT_EXECUTOR_WAIT, Map.of(), PostgresStore.DEFAULT_RETRY);
    }

    /** This config with executors' stores retrying for {@code retry} ({@code --store-retry}). */
    public SparkEngineConfig withStoreRetry(Duration retry) {
        return new SparkEngineConfig(master, storeLocation, useCaching, workers, localityWait, broadcastThresholdBytes,
                executorWait, sparkConf, retry);
    }

    /** This config with further Spark settings added. */
    public SparkEngineConfig withSparkConf(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(sparkConf);
        all.putAll(more);
        return new SparkEngineConfig(master, storeLocation, useCaching, workers, localityWait, broadcastThresholdBytes,
                executorWait, all, storeRetry);
    }

    /** Whether the master runs every task inside the driver JVM ({@code local}, {@code local[N]}). */
    static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /** The task slots of a {@code local[N]} master (N, or the processors for {@code local} with *). */
    static int localSlots(String master) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) {
            throw new IllegalArgumentException("--spark-master '" + master + "' is not local[N]");
        }
        if (m.group(2) == null) {
            return 1;
        }
        return m.group(2).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(2));
    }

    /** The executors a master starts by itself: N for {@code local-cluster[N,C,MB]}, else empty. */
    static OptionalInt clusterExecutors(String master) {
        Matcher m = LOCAL_CLUSTER.matcher(master);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static void requireMaster(String master) {
        if (isLocal(master) || LOCAL_CLUSTER.matcher(master).matches() || master.startsWith("spark://")
                || master.equals("yarn") || master.startsWith("k8s://")) {
            return;
        }
        throw new IllegalArgumentException("--spark-master '" + master + "' is not a Spark master; use local[N], "
                + "local-cluster[N,1,MB], spark://host:port, yarn or k8s://...");
    }

    private static void requirePositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + "=" + d + " is not positive; give a positive duration");
        }
    }
}
