package io.hopper.automl;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSession;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * ASHA as the driver of one fit session: an idle worker gets {@link Asha#next()} (a paused configuration that is in
 * the top 1/eta of its rung, highest rung first, else a new configuration at rung 0); a configuration that reaches
 * its rung's iterations is reported with its score and continues at once when {@link Asha#promote} says it is in the
 * top 1/eta of that rung so far, else it pauses there (it may still be promoted later, when it is in the top 1/eta
 * of more results). A job is a target: the rung's iterations.
 *
 * <p>It keeps the trace (every job started and every result, in order), the metric epochs and the latest score of
 * every configuration.
 */
final class AshaSession implements FitSession.Driver {

    /**
     * One step of the trace: a job started ({@code result} empty) or finished with its score.
     *
     * @param job the job
     * @param result the score it reached its rung with; empty when the job started
     */
    record Event(Asha.Job job, Optional<Score> result) {
    }

    private final Asha asha;
    private final List<Integer> mstKeys;
    private final Map<Integer, Integer> configOf = new HashMap<>();
    private final Function<FitResult.ModelOutcome, Score> scorer;
    private final Map<Integer, Asha.Job> jobs = new HashMap<>();
    private final List<Event> trace = new ArrayList<>();
    private final Map<Integer, List<Integer>> metricsIters = new HashMap<>();
    private final Map<Integer, Score> scores = new HashMap<>();

    /**
     * ASHA over {@code mstKeys} (ASHA's configuration c is {@code mstKeys.get(c)}).
     *
     * @param scorer ranks a configuration by its metrics
     */
    AshaSession(Asha asha, List<Integer> mstKeys, Function<FitResult.ModelOutcome, Score> scorer) {
        if (mstKeys.size() != asha.params().numConfigs()) {
            throw new IllegalArgumentException("asha: " + mstKeys.size() + " mst keys for num_configs="
                    + asha.params().numConfigs() + "; give one key per configuration");
        }
        this.asha = asha;
        this.mstKeys = List.copyOf(mstKeys);
        for (int c = 0; c < mstKeys.size(); c++) {
            configOf.put(mstKeys.get(c), c);
        }
        this.scorer = scorer;
    }

    @Override
    public void start(FitSession.Control control) {
        // the idle workers ask for the first jobs
    }

    @Override
    public void idle(int worker, FitSession.Control control) {
        asha.next().ifPresent(job -> start(job, control));
    }

    @Override
    public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
        end.metrics().ifPresent(m -> {
            metricsIters.computeIfAbsent(end.mstKey(), k -> new ArrayList<>()).add(end.epoch());
            scores.put(end.mstKey(), scorer.apply(m));
        });
        if (!end.reachedTarget()) {
            return;
        }
        int config = configOf.get(end.mstKey());
        Asha.Job job = jobs.get(config);
        Score score = scores.get(end.mstKey());
        asha.report(job, score);
        trace.add(new Event(job, Optional.of(score)));
        asha.promote(config).ifPresent(next -> start(next, control));
    }

    private void start(Asha.Job job, FitSession.Control control) {
        jobs.put(job.config(), job);
        trace.add(new Event(job, Optional.empty()));
        int key = mstKeys.get(job.config());
        int target = asha.rungIterations().get(job.rung());
        if (job.rung() == 0) {
            control.add(key, target);
        } else {
            control.extend(key, target);
        }
    }

    /** The ASHA state. */
    Asha asha() {
        return asha;
    }

    /** The highest rung configuration {@code mstKey} reached. */
    int rungReached(int mstKey) {
        return asha.rungReached(configOf.get(mstKey)).orElseThrow();
    }

    /** Every job started and every result, in order. */
    List<Event> trace() {
        return List.copyOf(trace);
    }

    /** The epochs at which configuration {@code mstKey} computed metrics. */
    List<Integer> metricsIters(int mstKey) {
        return List.copyOf(metricsIters.getOrDefault(mstKey, List.of()));
    }

    /** Configuration {@code mstKey}'s latest score, if it computed metrics. */
    Optional<Score> score(int mstKey) {
        return Optional.ofNullable(scores.get(mstKey));
    }
}
