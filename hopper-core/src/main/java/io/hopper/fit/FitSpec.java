package io.hopper.fit;

import io.hopper.store.TableNames;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@link Hopper#fitMultipleModel} trains: MADlib's fit_multiple_model parameters plus Hopper's engine settings.
 *
 * @param sourceTable the packed training table
 * @param modelOutputTable the output model table O (also O_info, O_summary, O_schedule)
 * @param modelSelectionTable the mst table
 * @param numIterations iterations, at least 1 (each: every configuration trains once on every partition)
 * @param validationTable a packed validation table of the source, if any
 * @param metricsComputeFrequency compute metrics every this many iterations (and at the last), 1..numIterations
 * @param warmStart continue from O's states for mst keys present in O and in the mst table
 * @param name a name for O_summary, if any
 * @param description a description for O_summary, if any
 * @param run the seed, workers, schedule, caching and memory limit (shared with automl)
 * @param checkpointEvery within an iteration, write the checkpoint after a completed unit at most this often (it is
 *     always written at iteration boundaries); zero = at iteration boundaries only
 * @param resume continue the interrupted run whose checkpoint {@code <out>_checkpoint} holds, instead of starting
 */
public record FitSpec(String sourceTable, String modelOutputTable, String modelSelectionTable, int numIterations,
                      Optional<String> validationTable, int metricsComputeFrequency, boolean warmStart,
                      Optional<String> name, Optional<String> description, RunOptions run, Duration checkpointEvery,
                      boolean resume) {

    /** How often a checkpoint is written within an iteration when nothing is given: every 60 s. */
    public static final Duration DEFAULT_CHECKPOINT_EVERY = Duration.ofSeconds(60);

    /** The seed when none is given. */
    public static final long DEFAULT_SEED = 0;

    /** The MOP schedules. */
    public enum Schedule {
        /** Cerebro's randomized asynchronous scheduler (the default). */
        ASYNC,
        /** MADlib's bulk-synchronous hop-by-hop rotation. */
        ROTATION;

        /** The name as written in O_summary and on the command line. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Validates. */
    public FitSpec {
        TableNames.requireTable(sourceTable);
        TableNames.requireTable(modelSelectionTable);
        TableNames.requireTable(modelOutputTable);
        if (!TableNames.isIdentifier(modelOutputTable + CheckpointTable.SUFFIX)) {
            throw new IllegalArgumentException("model_output_table '" + modelOutputTable + "' is too long: '" + modelOutputTable
                    + CheckpointTable.SUFFIX + "' must be an identifier of at most 63 characters; use a shorter name");
        }
        Objects.requireNonNull(validationTable, "validationTable").ifPresent(TableNames::requireTable);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(checkpointEvery, "checkpointEvery");
        if (checkpointEvery.isNegative()) {
            throw new IllegalArgumentException("--checkpoint-every " + checkpointEvery.toSeconds()
                    + " is negative; give 0 (iteration boundaries only) or more seconds");
        }
        if (numIterations < 1) {
            throw new IllegalArgumentException("num_iterations=" + numIterations + " is below 1; train at least one iteration");
        }
        if (metricsComputeFrequency < 1 || metricsComputeFrequency > numIterations) {
            throw new IllegalArgumentException("metrics_compute_frequency=" + metricsComputeFrequency + " is outside 1.."
                    + numIterations + " (num_iterations); use a value in that range");
        }
    }

    /** The seed of every random draw of the fit. */
    public long seed() {
        return run.seed();
    }

    /** Worker threads; empty = min(partitions, available processors). */
    public OptionalInt workers() {
        return run.workers();
    }

    /** The MOP schedule. */
    public Schedule schedule() {
        return run.schedule();
    }

    /** Whether workers cache decoded partitions. */
    public boolean useCaching() {
        return run.useCaching();
    }

    /** Bytes the fit may use; empty = the machine's physical memory. */
    public OptionalLong memoryLimit() {
        return run.memoryLimit();
    }

    /** A builder: setX for required fields, optX for optional ones. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link FitSpec}. */
    public static final class Builder {
        private String sourceTable;
        private String modelOutputTable;
        private String modelSelectionTable;
        private Integer numIterations;
        private String validationTable;
        private Integer metricsComputeFrequency;
        private boolean warmStart;
        private String name;
        private String description;
        private final RunOptions.Builder run = RunOptions.builder();
        private Duration checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
        private boolean resume;

        /** Required: the packed training table. */
        public Builder setSourceTable(String table) {
            this.sourceTable = table;
            return this;
        }

        /** Required: the output model table. */
        public Builder setModelOutputTable(String table) {
            this.modelOutputTable = table;
            return this;
        }

        /** Required: the mst table. */
        public Builder setModelSelectionTable(String table) {
            this.modelSelectionTable = table;
            return this;
        }

        /** Required: the number of iterations. */
        public Builder setNumIterations(int iterations) {
            this.numIterations = iterations;
            return this;
        }

        /** Optional: a packed validation table. */
        public Builder optValidationTable(String table) {
            this.validationTable = table;
            return this;
        }

        /** Optional: metrics every this many iterations (default: num_iterations, so only at the end). */
        public Builder optMetricsComputeFrequency(int frequency) {
            this.metricsComputeFrequency = frequency;
            return this;
        }

        /** Optional: continue from the output table's states (default false). */
        public Builder optWarmStart(boolean warmStart) {
            this.warmStart = warmStart;
            return this;
        }

        /** Optional: a name. */
        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        /** Optional: a description. */
        public Builder optDescription(String description) {
            this.description = description;
            return this;
        }

        /** Optional: cache partitions in worker memory (default false). */
        public Builder optUseCaching(boolean useCaching) {
            run.optUseCaching(useCaching);
            return this;
        }

        /** Optional: worker threads (default min(partitions, available processors)). */
        public Builder optWorkers(int workers) {
            run.optWorkers(workers);
            return this;
        }

        /** Optional: the schedule (default async). */
        public Builder optSchedule(Schedule schedule) {
            run.optSchedule(schedule);
            return this;
        }

        /** Optional: the seed (default {@value FitSpec#DEFAULT_SEED}). */
        public Builder optSeed(long seed) {
            run.optSeed(seed);
            return this;
        }

        /** Optional: the memory limit in bytes (default: physical memory). */
        public Builder optMemoryLimit(long bytes) {
            run.optMemoryLimit(bytes);
            return this;
        }

        /** Optional: all run options at once (default {@link RunOptions#DEFAULTS}). */
        public Builder optRunOptions(RunOptions options) {
            run.optAll(options);
            return this;
        }

        /** Optional: checkpoint within iterations at most this often (default 60 s; zero = iteration boundaries only). */
        public Builder optCheckpointEvery(Duration every) {
            this.checkpointEvery = every;
            return this;
        }

        /** Optional: continue the interrupted run from its checkpoint (default false). */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Builds and validates. */
        public FitSpec build() {
            if (sourceTable == null || modelOutputTable == null || modelSelectionTable == null || numIterations == null) {
                throw new IllegalArgumentException("fit-multiple-model needs --source-table, --model-output-table, "
                        + "--model-selection-table and --num-iterations");
            }
            return new FitSpec(sourceTable, modelOutputTable, modelSelectionTable, numIterations,
                    Optional.ofNullable(validationTable),
                    metricsComputeFrequency == null ? numIterations : metricsComputeFrequency, warmStart,
                    Optional.ofNullable(name), Optional.ofNullable(description), run.build(), checkpointEvery, resume);
        }
    }
}
