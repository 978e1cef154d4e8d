package io.hopper.cli;

import io.hopper.engine.EngineFactory;
import io.hopper.engine.local.LocalEngine;
import io.hopper.fit.FitSpec;
import io.hopper.fit.MemoryEstimate;
import io.hopper.fit.RunOptions;
import picocli.CommandLine.Option;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The run options fit-multiple-model and automl share, as one picocli mixin: the engine and Spark master, workers,
 * schedule, caching and memory limit ({@link RunOptions} with the command's own seed option).
 */
final class RunOptionsMixin {
    /** The engines this build has. */
    enum EngineKind { LOCAL, SPARK }

    /** The Spark engine's entry point in the hopper-spark module. */
    private static final String SPARK_ENGINES = "io.hopper.engine.spark.SparkEngines";

    @Option(names = "--use-caching", description = "Keep each worker's decoded partitions in memory after the first visit.")
    boolean useCaching;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark", description = "Where units run.")
    EngineKind engine;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads (default: min(partitions, cores)).")
    Integer workers;

    @Option(names = "--schedule", defaultValue = "async", paramLabel = "async|rotation",
            description = "async: Cerebro's randomized scheduler; rotation: MADlib's hop-by-hop rotation.")
    FitSpec.Schedule schedule;

    @Option(names = "--memory-limit", paramLabel = "SIZE", description = "Refuse runs needing more, e.g. 8g (default: physical memory).")
    String memoryLimit;

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "The Spark master with --engine spark: local[N], local-cluster[N,1,MB] or spark://host:port (spark-submit gives it).")
    String sparkMaster;

    /**
     * The run options with {@code seed}.
     *
     * @throws IllegalArgumentException for a bad option, or --spark-master without --engine spark
     */
    RunOptions options(long seed) {
        if (engine == EngineKind.LOCAL && sparkMaster != null) {
            throw new IllegalArgumentException("--spark-master is for --engine spark; leave it out with --engine local");
        }
        return new RunOptions(seed, workers == null ? OptionalInt.empty() : OptionalInt.of(workers), schedule, useCaching,
                memoryLimit == null ? OptionalLong.empty() : OptionalLong.of(MemoryEstimate.parseSize("--memory-limit", memoryLimit)));
    }

    /**
     * The engine's factory: the embedded engine, or Spark's, loaded by its one class name so that only
     * {@code --engine spark} needs the hopper-spark module and Spark on the classpath (the hopper command adds them).
     */
    EngineFactory engines(String storeLocation, java.time.Duration storeRetry) {
        if (engine == EngineKind.LOCAL) {
            return LocalEngine::new;
        }
        try {
            return (EngineFactory) Class.forName(SPARK_ENGINES).getMethod("factory", Optional.class, String.class,
                    java.time.Duration.class).invoke(null, Optional.ofNullable(sparkMaster), storeLocation, storeRetry);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("--engine spark: the Spark module is not on the classpath; run the hopper "
                    + "command, which adds it for --engine spark, or add hopper-spark.jar and Spark's jars");
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("--engine spark: " + SPARK_ENGINES + ".factory failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("--engine spark: " + SPARK_ENGINES + " has no usable factory method", e);
        }
    }
}
