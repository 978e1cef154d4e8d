package io.hopper.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The progress of a running fit, enough to continue it after a crash: the run's arguments and input fingerprints,
 * every configuration's current state, metrics history and visit orders, and the units run so far.
 *
 * <p>A checkpoint is a consistent cut taken on the driver between two unit results: each configuration's state is
 * the state after exactly the train units its visit orders list (in that order), so a run resumed from it trains
 * only the units not listed. {@link CheckpointTable} stores it as the table {@code <out>_checkpoint}.
 *
 * @param attempt the process that wrote it: 1 for the first run, 2 for the first resume, ...
 * @param completedIterations iterations whose train units and metrics are all done (sessions: 0)
 * @param elapsedMs the run's clock when it was written, in milliseconds since the first attempt started; a resumed
 *     run's clock continues from here so that schedule times stay ordered across attempts
 * @param arguments the run's arguments, by name, that a resume must repeat exactly (sorted)
 * @param fingerprints the SHA-256 of every input table, by table name (sorted)
 * @param configs every configuration in mst order
 * @param schedule every unit that ran so far, in completion order
 * @param session a session's course as JSON ({@link SessionLog}: every unit result in order, from which the search's
 *     decisions are replayed on resume), empty for a fit
 */
public record Checkpoint(int attempt, int completedIterations, double elapsedMs, Map<String, String> arguments,
                         Map<String, String> fingerprints, List<ConfigState> configs, List<ScheduledUnit> schedule,
                         String session) {

    /** Validates and copies. */
    public Checkpoint {
        if (attempt < 1 || completedIterations < 0 || !(elapsedMs >= 0)) {
            throw new IllegalArgumentException("checkpoint: attempt=" + attempt + ", completed iterations=" + completedIterations
                    + ", elapsed=" + elapsedMs + " ms; need attempt >= 1, iterations >= 0 and elapsed >= 0");
        }
        arguments = Map.copyOf(new TreeMap<>(arguments));
        fingerprints = Map.copyOf(new TreeMap<>(fingerprints));
        configs = List.copyOf(configs);
        schedule = List.copyOf(schedule);
        Objects.requireNonNull(session, "session");
    }

    /** The train units done so far (units of a stopped configuration that never ran are not counted). */
    public long trainUnitsDone() {
        return schedule.stream().filter(u -> u.phase().equals("train")).count();
    }

    /** The configuration with this key, if any. */
    public Optional<ConfigState> config(int mstKey) {
        return configs.stream().filter(c -> c.mstKey() == mstKey).findFirst();
    }

    /**
     * One configuration's progress.
     *
     * @param mstKey its key
     * @param state the state after the train units {@code visitOrders} lists (not copied; nobody may modify it)
     * @param visitOrders per iteration (the first at index 0) the partitions trained so far, in order; the last list
     *     may be partial (the iteration in progress)
     * @param divergedAt the iteration at which its loss became NaN or infinite, if it did
     * @param failedAt the iteration at which one of its units failed on every attempt, if one did
     * @param failure why that unit failed, present exactly when failedAt is
     * @param latestLoss the loss of its latest train unit (NaN before the first)
     * @param metrics its metrics history so far
     * @param readState a session's: the state its driver's last {@code state(mstKey)} read gave, when it trained on
     *     since (the driver may still hold it: population based training copies it later); else empty
     */
    public record ConfigState(int mstKey, byte[] state, List<List<Integer>> visitOrders, OptionalInt divergedAt,
                              OptionalInt failedAt, Optional<String> failure, double latestLoss, Metrics metrics,
                              Optional<byte[]> readState) {
        /** A configuration's progress without a read state (a fit's). */
        public ConfigState(int mstKey, byte[] state, List<List<Integer>> visitOrders, OptionalInt divergedAt, OptionalInt failedAt,
                           Optional<String> failure, double latestLoss, Metrics metrics) {
            this(mstKey, state, visitOrders, divergedAt, failedAt, failure, latestLoss, metrics, Optional.empty());
        }

        /** Validates and copies. */
        public ConfigState {
            Objects.requireNonNull(state, "state");
            List<List<Integer>> copy = new ArrayList<>();
            visitOrders.forEach(o -> copy.add(List.copyOf(o)));
            visitOrders = List.copyOf(copy);
            Objects.requireNonNull(divergedAt, "divergedAt");
            Objects.requireNonNull(failedAt, "failedAt");
            Objects.requireNonNull(failure, "failure");
            if (failedAt.isPresent() != failure.isPresent()) {
                throw new IllegalArgumentException("checkpoint: mst_key " + mstKey + " has failedAt=" + failedAt + " but failure="
                        + failure + "; give both or neither");
            }
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(readState, "readState");
        }

        /** This progress with {@code read} as its read state. */
        public ConfigState withReadState(Optional<byte[]> read) {
            return new ConfigState(mstKey, state, visitOrders, divergedAt, failedAt, failure, latestLoss, metrics, read);
        }

        /** The partitions trained in iteration {@code iteration} (from 1) so far, in order; empty beyond them. */
        public List<Integer> visited(int iteration) {
            return iteration <= visitOrders.size() ? visitOrders.get(iteration - 1) : List.of();
        }
    }

    /**
     * A configuration's metrics so far, one value per metrics point (the lists of O_info).
     *
     * @param epochs the iteration (a session: epoch) of each point
     * @param elapsed seconds since the run started at each point
     * @param trainingLoss training loss at each point
     * @param trainingMetric training metric at each point (NaN without a metric)
     * @param validationLoss validation loss at each point (empty without a validation table)
     * @param validationMetric validation metric at each point (empty without a validation table)
     * @param perOutput a multi-output model's per-output values of the latest point (O_info's per-output columns)
     */
    public record Metrics(List<Integer> epochs, List<Double> elapsed, List<Double> trainingLoss, List<Double> trainingMetric, List<Double> validationLoss,
                          List<Double> validationMetric, Optional<InfoRow.PerOutput> perOutput) {
        /** No points yet. */
        public static final Metrics NONE = new Metrics(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

        /** Metrics without per-output values (a single-output model's). */
        public Metrics(List<Integer> epochs, List<Double> elapsed, List<Double> trainingLoss, List<Double> trainingMetric,
                       List<Double> validationLoss, List<Double> validationMetric) {
            this(epochs, elapsed, trainingLoss, trainingMetric, validationLoss, validationMetric, Optional.empty());
        }

        /** Copies. */
        public Metrics {
            Objects.requireNonNull(perOutput, "perOutput");
            epochs = List.copyOf(epochs);
            elapsed = List.copyOf(elapsed);
            trainingLoss = List.copyOf(trainingLoss);
            trainingMetric = List.copyOf(trainingMetric);
            validationLoss = List.copyOf(validationLoss);
            validationMetric = List.copyOf(validationMetric);
        }
    }

    /**
     * A unit that ran: a row of O_schedule with the attempt of the process that ran it.
     *
     * @param mstKey the configuration
     * @param iteration the iteration (a session: the configuration's epoch)
     * @param partition the partition
     * @param worker the worker that ran it
     * @param phase {@code train} or {@code eval}
     * @param startMs when it started, on the run's clock
     * @param endMs when it ended
     * @param executor where it ran ({@code local} or a Spark executor id)
     * @param attempt the process that ran it, from 1
     */
    public record ScheduledUnit(int mstKey, int iteration, int partition, int worker, String phase, double startMs, double endMs,
                                String executor, int attempt) {
        /** Validates. */
        public ScheduledUnit {
            Objects.requireNonNull(phase, "phase");
            Objects.requireNonNull(executor, "executor");
            if (iteration < 1 || partition < 0 || worker < 0 || attempt < 1 || !(endMs >= startMs)) {
                throw new IllegalArgumentException("checkpoint: unit mst_key=" + mstKey + " iteration=" + iteration + " partition="
                        + partition + " worker=" + worker + " attempt=" + attempt + " from " + startMs + " to " + endMs
                        + " ms is not a unit that ran");
            }
        }
    }
}
