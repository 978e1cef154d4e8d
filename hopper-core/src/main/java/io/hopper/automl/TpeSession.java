package io.hopper.automl;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSession;
import io.hopper.model.params.MstEntry;
import io.hopper.model.params.SearchSpace;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * MADlib's hyperopt search ({@code --automl-method tpe}) as the driver of one fit session: configurations are proposed
 * by {@link Tpe} (or drawn at random with algorithm=rand), numbered mst_key 1, 2, ... in proposal order, and each
 * trains num_iterations epochs; its score at the end is fed back as its loss (a metric where higher is better is
 * negated; a diverged configuration counts as the worst).
 * <ul>
 *   <li>Without bucket_size: whenever a worker would otherwise idle (nothing queued and no unit available for it) a
 *   new configuration is proposed from every result known at that moment, so there is no barrier; proposals made
 *   while others still train ignore those (hyperopt's running trials).</li>
 *   <li>With bucket_size B (MADlib's waves): B configurations are proposed at once and trained together; the next B
 *   are proposed when the whole wave has finished, from all the results so far.</li>
 * </ul>
 * A proposal that repeats an earlier configuration is proposed again (up to {@value #ATTEMPTS} times); when the space
 * is exhausted the search stops with the configurations it has. Deterministic given the seed and the order of the
 * driver's calls (one worker: the same search).
 */
final class TpeSession implements FitSession.Driver {
    /** Proposals tried before a repeated configuration ends the search. */
    static final int ATTEMPTS = 100;

    /**
     * One configuration of the search.
     *
     * @param entry its mst row
     * @param point its point in the search space
     * @param score its score at num_iterations, once known
     */
    record Trial(MstEntry entry, SearchSpace.Point point, Optional<Score> score) {
    }

    private final HyperoptParams params;
    private final Tpe tpe;
    private final Function<FitResult.ModelOutcome, Score> scorer;
    private final Map<Integer, Trial> trials = new TreeMap<>();
    private final Set<String> proposed = new HashSet<>();
    private final List<Integer> wave = new ArrayList<>();
    private boolean exhausted;

    /**
     * A search with {@code params} proposing through {@code tpe}.
     *
     * @param scorer ranks a configuration by its metrics
     */
    TpeSession(HyperoptParams params, Tpe tpe, Function<FitResult.ModelOutcome, Score> scorer) {
        this.params = params;
        this.tpe = tpe;
        this.scorer = scorer;
    }

    @Override
    public void start(FitSession.Control control) {
        if (params.bucketSize().isPresent()) {
            nextWave(control);
        }
    }

    @Override
    public void idle(int worker, FitSession.Control control) {
        if (params.bucketSize().isEmpty()) {
            propose(control);
        }
    }

    @Override
    public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
        if (!end.reachedTarget()) {
            return;
        }
        Trial t = trials.get(end.mstKey());
        Score score = scorer.apply(end.metrics().orElseThrow(() -> new IllegalStateException("tpe: configuration "
                + end.mstKey() + " reached its target without metrics; this is a bug")));
        trials.put(end.mstKey(), new Trial(t.entry(), t.point(), Optional.of(score)));
        if (params.bucketSize().isPresent()) {
            wave.remove(Integer.valueOf(end.mstKey()));
            if (wave.isEmpty()) {
                nextWave(control);
            }
        }
    }

    private void nextWave(FitSession.Control control) {
        int size = Math.min(params.bucketSize().getAsInt(), params.numConfigs() - trials.size());
        for (int i = 0; i < size && propose(control); i++) {
            wave.add(trials.size());
        }
    }

    /** Proposes, adds and returns true; false when the search is complete or the space is exhausted. */
    private boolean propose(FitSession.Control control) {
        if (trials.size() >= params.numConfigs() || exhausted) {
            return false;
        }
        List<Tpe.Trial> history = new ArrayList<>();
        for (Trial t : trials.values()) {
            history.add(new Tpe.Trial(t.point(), t.score().map(s -> OptionalDouble.of(loss(s))).orElse(OptionalDouble.empty())));
        }
        int key = trials.size() + 1;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            SearchSpace.Point point = tpe.propose(history);
            MstEntry e = tpe.space().entry(point);
            if (proposed.add(e.modelId() + "|" + e.compileParams() + "|" + e.fitParams())) {
                MstEntry entry = new MstEntry(key, e.modelId(), e.compileParams(), e.fitParams());
                trials.put(key, new Trial(entry, point, Optional.empty()));
                control.add(entry, params.numIterations());
                return true;
            }
        }
        exhausted = true;
        return false;
    }

    /** TPE minimises: a loss as it is, a metric where higher is better negated, NaN (diverged) as it is (worst). */
    static double loss(Score s) {
        return s.higherIsBetter() ? -s.value() : s.value();
    }

    /** Every configuration proposed, by mst_key. */
    List<Trial> trials() {
        return List.copyOf(trials.values());
    }

    /** Whether proposals stopped early because every new proposal repeated an earlier configuration. */
    boolean exhausted() {
        return exhausted;
    }

    /** Whether every configuration proposed has its score. */
    boolean finished() {
        return trials.values().stream().allMatch(t -> t.score().isPresent());
    }
}
