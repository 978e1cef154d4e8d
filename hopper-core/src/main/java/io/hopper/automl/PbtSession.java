package io.hopper.automl;

import io.hopper.fit.FitResult;
import io.hopper.fit.FitSession;
import io.hopper.model.params.MstEntry;
import io.hopper.model.params.SearchSpace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Population Based Training ({@link Pbt}) as the driver of one fit session: the whole population starts at once, each
 * configuration to the iterations T; metrics are computed every K epochs of each configuration (the session's
 * metrics_compute_frequency is the interval), and when a configuration finishes such an epoch below T it is ranked
 * against the latest standings of the others. In the bottom quantile it takes a copy of a top configuration's state
 * (as that configuration finished its latest ranked epoch) and that configuration's settings explored, through
 * {@link FitSession.Control#replace}, and trains on from there; no configuration waits for another.
 */
final class PbtSession implements FitSession.Driver {

    /**
     * A member's latest ranked epoch: its standing and its state then.
     *
     * @param standing the score at that epoch
     * @param state the state after that epoch
     * @param point the settings it trained with
     */
    private record Snapshot(Pbt.Standing standing, byte[] state, SearchSpace.Point point) {
    }

    private final Pbt pbt;
    private final Function<FitResult.ModelOutcome, Score> scorer;
    private final Map<Integer, SearchSpace.Point> points = new TreeMap<>();
    private final Map<Integer, MstEntry> entries = new TreeMap<>();
    private final Map<Integer, Snapshot> latest = new TreeMap<>();
    private final Map<Integer, List<Pbt.Exploit>> lineage = new HashMap<>();
    private final List<Pbt.Exploit> exploits = new ArrayList<>();

    /**
     * PBT over the population {@code entries} (their points in the same order).
     *
     * @param scorer ranks a configuration by its metrics
     */
    PbtSession(Pbt pbt, List<MstEntry> population, List<SearchSpace.Point> populationPoints,
               Function<FitResult.ModelOutcome, Score> scorer) {
        if (population.size() != pbt.params().population() || populationPoints.size() != population.size()) {
            throw new IllegalArgumentException("pbt: " + population.size() + " configurations and " + populationPoints.size()
                    + " points for population=" + pbt.params().population() + "; give one of each per member");
        }
        this.pbt = pbt;
        this.scorer = scorer;
        for (int i = 0; i < population.size(); i++) {
            entries.put(population.get(i).mstKey(), population.get(i));
            points.put(population.get(i).mstKey(), populationPoints.get(i));
            lineage.put(population.get(i).mstKey(), new ArrayList<>());
        }
    }

    @Override
    public void start(FitSession.Control control) {
        entries.keySet().forEach(k -> control.add(k, pbt.params().iterations()));
    }

    @Override
    public void idle(int worker, FitSession.Control control) {
        // the population is fixed: nothing to add
    }

    @Override
    public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
        if (end.metrics().isEmpty()) {
            return;
        }
        int key = end.mstKey();
        Pbt.Standing standing = new Pbt.Standing(key, end.epoch(), scorer.apply(end.metrics().get()));
        latest.put(key, new Snapshot(standing, control.state(key), points.get(key)));
        if (!pbt.checkpoint(end.epoch())) {
            return;
        }
        Optional<Pbt.Standing> donor = pbt.donor(key, latest.values().stream().map(Snapshot::standing).toList());
        if (donor.isEmpty() || donor.get().mstKey() == key) {
            return;
        }
        Snapshot from = latest.get(donor.get().mstKey());
        Pbt.Step step = pbt.exploit(key, end.epoch(), from.standing(), from.state(), from.point());
        control.replace(key, step.entry(), step.state());
        points.put(key, step.point());
        entries.put(key, step.entry());
        lineage.get(key).add(step.record());
        exploits.add(step.record());
    }

    /** Configuration {@code mstKey}'s exploits, in order. */
    List<Pbt.Exploit> lineage(int mstKey) {
        return List.copyOf(lineage.getOrDefault(mstKey, List.of()));
    }

    /** Every exploit of the session, in the order they happened. */
    List<Pbt.Exploit> exploits() {
        return List.copyOf(exploits);
    }

    /** Configuration {@code mstKey}'s settings now. */
    MstEntry entry(int mstKey) {
        return entries.get(mstKey);
    }
}
