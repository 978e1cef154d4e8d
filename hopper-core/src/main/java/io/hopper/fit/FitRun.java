package io.hopper.fit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link UnitLoop} made of a {@link FitPlan}, in memory: the configurations with their final states and
 * curves, every unit that ran, and the timing; {@link FitRecorder} writes it as O and its companions, an automl
 * search writes its own tables from it.
 *
 * @param plan the plan it ran
 * @param configs the configurations it trained (a session: those the driver added, in the plan's order)
 * @param schedule every unit that ran, in completion order
 * @param iterations the iterations trained (a session: the most epochs any configuration trained)
 * @param metricsIters the iterations (epochs) at which some configuration computed metrics
 * @param session whether a session paced it (no visit orders to record)
 * @param storeReads how many times a partition was read from the store
 * @param start when training started
 * @param end when it ended
 * @param resumed what was resumed ("resumed at iteration 4 of 10, ..."); empty for a run that was not
 */
public record FitRun(FitPlan plan, List<ConfigState> configs, List<ScheduleRow> schedule, int iterations,
                     List<Integer> metricsIters, boolean session, long storeReads, Instant start, Instant end, String resumed) {
    /** Copies and validates. */
    public FitRun {
        Objects.requireNonNull(plan, "plan");
        configs = List.copyOf(configs);
        schedule = List.copyOf(schedule);
        metricsIters = List.copyOf(metricsIters);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(resumed, "resumed");
    }

    /** This run, saying what was resumed. */
    public FitRun withResumed(String what) {
        return new FitRun(plan, configs, schedule, iterations, metricsIters, session, storeReads, start, end, what);
    }

    /** Seconds from the start to the end of the last unit. */
    public double trainingSeconds() {
        return schedule.stream().mapToDouble(ScheduleRow::endMs).max().orElse(0) / 1000;
    }
}
