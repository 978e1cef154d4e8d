package io.hopper.automl;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSession;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Hyperband as the driver of one fit session: every bracket starts at once with its configurations trained to its
 * round 0's iterations; when every configuration of a bracket's round has reached it, the best n_(i+1) of them (by
 * score, ties by mst_key) are extended to round i+1's iterations and the others stop. Brackets advance
 * independently, so the workers stay busy while a bracket waits for its slowest configuration.
 */
final class HyperbandSession implements FitSession.Driver {
    private final List<HyperbandSchedule.Bracket> brackets;
    private final List<List<Integer>> members = new ArrayList<>();
    private final int[] rounds;
    private final Map<Integer, Integer> bracketOf = new HashMap<>();
    private final List<Set<Integer>> reported = new ArrayList<>();
    private final Function<FitResult.ModelOutcome, Score> scorer;
    private final Map<Integer, Score> scores = new HashMap<>();
    private final Map<Integer, int[]> stages = new HashMap<>();

    /**
     * Hyperband of {@code schedule} over {@code mstKeys}, dealt to the brackets in order (s_max first).
     *
     * @param scorer ranks a configuration by its metrics
     */
    HyperbandSession(HyperbandSchedule schedule, List<Integer> mstKeys, Function<FitResult.ModelOutcome, Score> scorer) {
        if (mstKeys.size() != schedule.totalConfigurations()) {
            throw new IllegalArgumentException("hyperband: " + mstKeys.size() + " mst keys for " + schedule.totalConfigurations()
                    + " configurations; give one key per configuration");
        }
        this.brackets = schedule.brackets();
        this.rounds = new int[brackets.size()];
        this.scorer = scorer;
        int next = 0;
        for (int b = 0; b < brackets.size(); b++) {
            List<Integer> keys = mstKeys.subList(next, next + brackets.get(b).configurations());
            next += keys.size();
            members.add(List.copyOf(keys));
            reported.add(new HashSet<>());
            for (int key : keys) {
                bracketOf.put(key, b);
                stages.put(key, new int[] {brackets.get(b).s(), 0});
            }
        }
    }

    @Override
    public void start(FitSession.Control control) {
        for (int b = 0; b < brackets.size(); b++) {
            int target = brackets.get(b).rounds().get(0).iterations();
            members.get(b).forEach(key -> control.add(key, target));
        }
    }

    @Override
    public void idle(int worker, FitSession.Control control) {
        // every configuration was added at the start; promotions come from epochEnded
    }

    @Override
    public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
        end.metrics().ifPresent(m -> scores.put(end.mstKey(), scorer.apply(m)));
        if (!end.reachedTarget()) {
            return;
        }
        int b = bracketOf.get(end.mstKey());
        reported.get(b).add(end.mstKey());
        if (reported.get(b).size() < members.get(b).size()) {
            return;
        }
        List<HyperbandSchedule.Round> bracketRounds = brackets.get(b).rounds();
        if (rounds[b] + 1 >= bracketRounds.size()) {
            return;
        }
        HyperbandSchedule.Round next = bracketRounds.get(++rounds[b]);
        List<Integer> ranked = new ArrayList<>(members.get(b));
        ranked.sort(Comparator.comparing((Integer k) -> scores.get(k), Score.BEST_FIRST).thenComparingInt(k -> k));
        List<Integer> survivors = List.copyOf(ranked.subList(0, Math.min(next.configurations(), ranked.size())));
        for (int key : ranked) {
            if (survivors.contains(key)) {
                stages.put(key, new int[] {next.bracket(), next.round()});
                control.extend(key, next.iterations());
            } else {
                control.stop(key);
            }
        }
        members.set(b, survivors);
        reported.get(b).clear();
    }

    /** Configuration {@code mstKey}'s bracket s and the last round i it reached. */
    int[] stage(int mstKey) {
        return stages.get(mstKey).clone();
    }

    /** Configuration {@code mstKey}'s latest score. */
    Score score(int mstKey) {
        return scores.get(mstKey);
    }
}
