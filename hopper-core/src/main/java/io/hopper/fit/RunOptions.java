package io.hopper.fit;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How a run trains, shared by fit-multiple-model and automl: the seed of every random draw, the workers, the MOP
 * schedule, partition caching and the memory limit. The engine itself (embedded or Spark) is chosen by the
 * {@link io.hopper.engine.EngineFactory} the run is given.
 *
 * @param seed the seed of every random draw (initial weights, unit seeds, the async schedule)
 * @param workers worker threads; empty = min(partitions, available processors)
 * @param schedule the MOP schedule
 * @param useCaching keep each worker's decoded partitions in memory after the first visit
 * @param memoryLimit bytes the run may use; empty = the machine's physical memory
 */
public record RunOptions(long seed, OptionalInt workers, FitSpec.Schedule schedule, boolean useCaching,
                         OptionalLong memoryLimit) {
    /** The defaults: seed {@value FitSpec#DEFAULT_SEED}, default workers, async, no caching, no limit but the machine's. */
    public static final RunOptions DEFAULTS = new RunOptions(FitSpec.DEFAULT_SEED, OptionalInt.empty(), FitSpec.Schedule.ASYNC,
            false, OptionalLong.empty());

    /** Validates. */
    public RunOptions {
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
        if (workers.isPresent() && workers.getAsInt() < 1) {
            throw new IllegalArgumentException("workers=" + workers.getAsInt() + " is below 1; use at least one worker");
        }
        if (memoryLimit.isPresent() && memoryLimit.getAsLong() < 1) {
            throw new IllegalArgumentException("memory_limit=" + memoryLimit.getAsLong() + " bytes is not positive; give e.g. 8g");
        }
    }

    /** These options with {@code seed}. */
    public RunOptions withSeed(long newSeed) {
        return new RunOptions(newSeed, workers, schedule, useCaching, memoryLimit);
    }

    /** These options with {@code count} workers. */
    public RunOptions withWorkers(int count) {
        return new RunOptions(seed, OptionalInt.of(count), schedule, useCaching, memoryLimit);
    }

    /** These options with {@code newSchedule}. */
    public RunOptions withSchedule(FitSpec.Schedule newSchedule) {
        return new RunOptions(seed, workers, newSchedule, useCaching, memoryLimit);
    }

    /** These options with caching on or off. */
    public RunOptions withCaching(boolean caching) {
        return new RunOptions(seed, workers, schedule, caching, memoryLimit);
    }

    /** These options with a memory limit of {@code bytes}. */
    public RunOptions withMemoryLimit(long bytes) {
        return new RunOptions(seed, workers, schedule, useCaching, OptionalLong.of(bytes));
    }
}
