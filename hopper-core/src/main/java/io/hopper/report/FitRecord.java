package io.hopper.report;

import io.hopper.fit.InfoRow;
import io.hopper.fit.Leaderboard;
import io.hopper.fit.OutputTables;
import io.hopper.fit.ScheduleRow;
import io.hopper.fit.SummaryRow;
import io.hopper.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a fit recorded in O_info, O_summary and O_schedule, read back for reports.
 *
 * @param modelTable O
 * @param sourceTable the packed training table
 * @param validationTable the packed validation table, null when none
 * @param name the fit's name, null when none
 * @param description the fit's description, null when none
 * @param startTime when training started (ISO-8601)
 * @param endTime when it ended (ISO-8601)
 * @param version Hopper's version
 * @param schedule the scheduler: async or rotation
 * @param workers the number of workers
 * @param seed the run's seed
 * @param metricsIters the iterations at which metrics were computed
 * @param configs one entry per configuration, in O_info order
 * @param units one entry per unit that ran, in O_schedule order
 */
public record FitRecord(String modelTable, String sourceTable, String validationTable, String name, String description,
                        String startTime, String endTime, String version, String schedule, int workers, long seed,
                        List<Integer> metricsIters, List<Config> configs, List<ScheduledUnit> units) {
    /** Copies the lists. */
    public FitRecord {
        Objects.requireNonNull(modelTable, "modelTable");
        metricsIters = List.copyOf(metricsIters);
        configs = List.copyOf(configs);
        units = List.copyOf(units);
    }

    /**
     * One configuration's settings and metrics (NaN where a value was not computed or diverged).
     *
     * @param mstKey its key
     * @param modelId its architecture
     * @param compileParams MADlib's compile_params string
     * @param fitParams MADlib's fit_params string
     * @param status ok or diverged at iteration N
     * @param lossType the loss's Keras name
     * @param metricType the metric's Keras name, null when compiled without a metric
     * @param elapsedSeconds seconds since the fit started at each metrics iteration
     * @param trainingLoss at each metrics iteration
     * @param trainingMetric at each metrics iteration, empty without a metric
     * @param validationLoss at each metrics iteration, empty without a validation table
     * @param validationMetric at each metrics iteration, empty without a validation table or a metric
     */
    public record Config(int mstKey, int modelId, String compileParams, String fitParams, String status, String lossType,
                         String metricType, List<Double> elapsedSeconds, List<Double> trainingLoss, List<Double> trainingMetric,
                         List<Double> validationLoss, List<Double> validationMetric) {
        /** Copies the lists. */
        public Config {
            elapsedSeconds = List.copyOf(elapsedSeconds);
            trainingLoss = List.copyOf(trainingLoss);
            trainingMetric = List.copyOf(trainingMetric);
            validationLoss = List.copyOf(validationLoss);
            validationMetric = List.copyOf(validationMetric);
        }

        /** The loss a leaderboard ranks by: the final validation loss when there is one, else the final training loss. */
        public double rankingLoss() {
            return last(validationLoss.isEmpty() ? trainingLoss : validationLoss);
        }

        private static double last(List<Double> values) {
            return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
        }

        /** This configuration's settings and final figures as a leaderboard entry. */
        public Leaderboard.Entry entry() {
            return new Leaderboard.Entry(mstKey, modelId, compileParams, fitParams, status, last(trainingLoss), last(trainingMetric),
                    last(validationLoss), last(validationMetric));
        }
    }

    /**
     * One unit of O_schedule.
     *
     * @param mstKey the configuration
     * @param iteration from 1
     * @param partition from 0
     * @param worker from 0
     * @param phase train or eval
     * @param startMs milliseconds since the fit started
     * @param endMs milliseconds since the fit started
     */
    public record ScheduledUnit(int mstKey, int iteration, int partition, int worker, String phase, double startMs, double endMs) {
    }

    /** The configurations ranked by {@link Config#rankingLoss()} in {@link Leaderboard#order}. */
    public List<Config> leaderboard() {
        return configs.stream().sorted(Leaderboard.order(Config::rankingLoss, Config::mstKey)).toList();
    }

    /** The leaderboard with one column per setting that differs between the configurations. */
    public Leaderboard leaderboardTable() {
        return Leaderboard.of(configs.stream().map(Config::entry).toList());
    }

    /** The end of the last unit, in milliseconds since the fit started. */
    public double makespanMs() {
        return units.stream().mapToDouble(ScheduledUnit::endMs).max().orElse(0);
    }

    /** Each worker's busy time over the makespan, in [0, 1], by worker index. */
    public List<Double> utilization() {
        double[] busy = new double[workers];
        for (ScheduledUnit u : units) {
            busy[u.worker()] += u.endMs() - u.startMs();
        }
        double span = makespanMs();
        List<Double> out = new ArrayList<>();
        for (double b : busy) {
            out.add(span > 0 ? b / span : 0);
        }
        return out;
    }

    /**
     * Reads O's companions.
     *
     * @throws IllegalArgumentException when O is not an output table of fit-multiple-model
     */
    public static FitRecord read(Store store, String modelTable) {
        for (String t : OutputTables.names(modelTable)) {
            if (!store.exists(t)) {
                throw new IllegalArgumentException("--model-table '" + modelTable + "': table '" + t + "' does not exist in " + store.describe()
                        + "; give the output table of `hopper fit-multiple-model`");
            }
        }
        if (!OutputTables.isInfo(store.schema(OutputTables.info(modelTable)))
                || !store.schema(OutputTables.summary(modelTable)).equals(OutputTables.SUMMARY)
                || !store.schema(OutputTables.schedule(modelTable)).equals(OutputTables.SCHEDULE)) {
            throw new IllegalArgumentException("--model-table '" + modelTable + "' has companions of another layout"
                    + "; give the output table of `hopper fit-multiple-model`");
        }
        return of(modelTable, OutputTables.readSummary(store, modelTable), OutputTables.readInfos(store, modelTable),
                OutputTables.readSchedule(store, modelTable));
    }

    /** The record of O from its typed rows; the summary's seed is the run's (a search's random_state). */
    static FitRecord of(String modelTable, SummaryRow summary, List<InfoRow> infos, List<ScheduleRow> schedule) {
        return new FitRecord(modelTable, summary.sourceTable(), summary.validationTable().orElse(null), summary.name().orElse(null),
                summary.description().orElse(null), summary.startTrainingTime(), summary.endTrainingTime(), summary.version(),
                summary.schedule(), summary.workers(), summary.seed(), summary.metricsIters(),
                infos.stream().map(FitRecord::config).toList(),
                schedule.stream().map(u -> new ScheduledUnit(u.mstKey(), u.iteration(), u.partition(), u.worker(), u.phase(),
                        u.startMs(), u.endMs())).toList());
    }

    /** One O_info row as a configuration. */
    static Config config(InfoRow r) {
        return new Config(r.mstKey(), r.modelId(), r.compileParams(), r.fitParams(), r.status(), r.lossType(),
                r.metricType().orElse(null), r.elapsedSeconds(), r.trainingLoss(), r.trainingMetric().orElse(List.of()),
                r.validationLoss().orElse(List.of()), r.validationMetric().orElse(List.of()));
    }
}
