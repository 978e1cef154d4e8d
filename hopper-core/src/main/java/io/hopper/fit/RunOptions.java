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

    /** A builder whose options are checked when built (so a spec's builder reports them from its build()). */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link RunOptions}; every option is optional, the defaults are {@link #DEFAULTS}. */
    public static final class Builder {
        private long seed = DEFAULTS.seed;
        private Integer workers;
        private FitSpec.Schedule schedule = DEFAULTS.schedule;
        private boolean useCaching;
        private Long memoryLimit;

        /** Optional: the seed. */
        public Builder optSeed(long value) {
            this.seed = value;
            return this;
        }

        /** Optional: worker threads. */
        public Builder optWorkers(int value) {
            this.workers = value;
            return this;
        }

        /** Optional: the schedule. */
        public Builder optSchedule(FitSpec.Schedule value) {
            this.schedule = value;
            return this;
        }

        /** Optional: caching. */
        public Builder optUseCaching(boolean value) {
            this.useCaching = value;
            return this;
        }

        /** Optional: the memory limit in bytes. */
        public Builder optMemoryLimit(long bytes) {
            this.memoryLimit = bytes;
            return this;
        }

        /** Optional: every option from {@code options}. */
        public Builder optAll(RunOptions options) {
            this.seed = options.seed();
            this.workers = options.workers().isPresent() ? options.workers().getAsInt() : null;
            this.schedule = options.schedule();
            this.useCaching = options.useCaching();
            this.memoryLimit = options.memoryLimit().isPresent() ? options.memoryLimit().getAsLong() : null;
            return this;
        }

        /** Builds and validates. */
        public RunOptions build() {
            return new RunOptions(seed, workers == null ? OptionalInt.empty() : OptionalInt.of(workers), schedule, useCaching,
                    memoryLimit == null ? OptionalLong.empty() : OptionalLong.of(memoryLimit));
        }
    }
}
