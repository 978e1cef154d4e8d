package io.hopper.report;

import io.hopper.automl.AutomlSpec;
import io.hopper.automl.Asha;
import io.hopper.automl.HyperbandSchedule;
import io.hopper.automl.RandomParams;
import io.hopper.automl.Score;
import io.hopper.automl.SearchInfo;
import io.hopper.automl.SearchSummary;
import io.hopper.fit.OutputTables;
import io.hopper.model.params.Metric;
import io.hopper.store.Schema;
import io.hopper.store.Store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * What an automl search recorded in O_info, O_summary and (ASHA only) O_schedule, read back for reports: the
 * configurations' learning curves as a {@link FitRecord}, plus where each one stopped.
 *
 * @param fit the configurations, their curves and O_schedule's units (none when the search kept no schedule)
 * @param method the search method
 * @param params automl_params, defaults filled in
 * @param rankBy what the search ranked by
 * @param bestMstKey O_summary's best_mst_key
 * @param fitCalls the fit-multiple-model runs (or sessions) the search made
 * @param totalIterations the iterations trained, summed over configurations
 * @param trials one per configuration, in O_info order
 */
public record SearchRecord(FitRecord fit, AutomlSpec.Method method, String params, AutomlSpec.RankBy rankBy, int bestMstKey,
                           int fitCalls, long totalIterations, List<Trial> trials) {
    /** Copies the list and checks that every configuration has a trial. */
    public SearchRecord {
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rankBy, "rankBy");
        trials = List.copyOf(trials);
        if (trials.size() != fit.configs().size()) {
            throw new IllegalArgumentException("search record: " + trials.size() + " trials for " + fit.configs().size()
                    + " configurations; give one trial per configuration");
        }
    }

    /**
     * Where one configuration of the search stopped (O_info's extra columns).
     *
     * @param mstKey the configuration
     * @param metricsIters its own iteration count at each of its metrics points
     * @param iterations the iterations it trained in all
     * @param bracket Hyperband's bracket s, empty for other methods
     * @param round Hyperband's last round i reached, empty for other methods
     * @param rung ASHA's highest rung reached, empty for other methods
     */
    public record Trial(int mstKey, List<Integer> metricsIters, int iterations, OptionalInt bracket, OptionalInt round, OptionalInt rung) {
        /** Copies the list. */
        public Trial {
            metricsIters = List.copyOf(metricsIters);
            Objects.requireNonNull(bracket, "bracket");
            Objects.requireNonNull(round, "round");
            Objects.requireNonNull(rung, "rung");
        }
    }

    /**
     * One stage of the search (an ASHA rung, a Hyperband round of one bracket, or random search's single stage) and the
     * configurations that reached it.
     *
     * @param stage e.g. {@code rung 0} or {@code bracket 1 round 0}
     * @param iterations what a configuration has trained at the end of the stage
     * @param entered the configurations that trained in it, ascending
     * @param wentOn those of them promoted to the next stage, ascending (none from the last stage)
     * @param last whether this is its bracket's (or the search's) last stage: who reached it completed
     */
    public record Promotion(String stage, int iterations, List<Integer> entered, List<Integer> wentOn, boolean last) {
        /** Copies the lists. */
        public Promotion {
            entered = List.copyOf(entered);
            wentOn = List.copyOf(wentOn);
        }
    }

    /** The trial of configuration {@code mstKey}. */
    public Trial trial(int mstKey) {
        return trials.stream().filter(t -> t.mstKey() == mstKey).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "search record: no configuration with mst_key " + mstKey + "; use one of O_info's mst_keys"));
    }

    /** Whether the configuration trained through its last stage (ASHA's top rung, its bracket's last round, R). */
    public boolean completed(Trial t) {
        return switch (method) {
            case ASHA -> t.rung().getAsInt() == Asha.Params.parse(params).rungIterations().size() - 1;
            case HYPERBAND -> t.round().getAsInt() == t.bracket().getAsInt() - HyperbandSchedule.parse(params).skipLast();
            case RANDOM -> true;
        };
    }

    /** Where the configuration stopped: {@code completed}, {@code rung r} or {@code bracket s round i}. */
    public String stoppedAt(Trial t) {
        if (completed(t)) {
            return "completed";
        }
        return method == AutomlSpec.Method.ASHA ? "rung " + t.rung().getAsInt()
                : "bracket " + t.bracket().getAsInt() + " round " + t.round().getAsInt();
    }

    /** Every stage in the order the search defines them (rungs upwards; brackets as MADlib orders them, rounds upwards). */
    public List<Promotion> promotions() {
        List<Promotion> out = new ArrayList<>();
        switch (method) {
            case ASHA -> {
                List<Integer> rungs = Asha.Params.parse(params).rungIterations();
                for (int k = 0; k < rungs.size(); k++) {
                    int rung = k;
                    out.add(promotion("rung " + k, rungs.get(k), t -> true, t -> t.rung().getAsInt() - rung, k == rungs.size() - 1));
                }
            }
            case HYPERBAND -> {
                for (HyperbandSchedule.Bracket b : HyperbandSchedule.parse(params).brackets()) {
                    for (HyperbandSchedule.Round r : b.rounds()) {
                        out.add(promotion("bracket " + b.s() + " round " + r.round(), r.iterations(), t -> t.bracket().getAsInt() == b.s(),
                                t -> t.round().getAsInt() - r.round(), r.round() == b.rounds().size() - 1));
                    }
                }
            }
            case RANDOM -> out.add(promotion("R", RandomParams.parse(params).maxIterations(), t -> true, t -> 0, true));
        }
        return out;
    }

    /** A stage of the trials {@code in} selects, where {@code beyond} tells how many stages past it a trial went. */
    private Promotion promotion(String stage, int iterations, Predicate<Trial> in, ToIntFunction<Trial> beyond, boolean last) {
        List<Integer> entered = trials.stream().filter(in).filter(t -> beyond.applyAsInt(t) >= 0).map(Trial::mstKey).sorted().toList();
        List<Integer> wentOn = trials.stream().filter(in).filter(t -> beyond.applyAsInt(t) >= 1).map(Trial::mstKey).sorted().toList();
        return new Promotion(stage, iterations, entered, wentOn, last);
    }

    /**
     * The configurations ranked as the search ranks them: trained longest first, then by the final value of what it
     * ranks by (validation loss, else training loss; or the metric in its own direction), NaN last, ties by mst_key.
     * The first is O_summary's best_mst_key.
     */
    public List<FitRecord.Config> leaderboard() {
        Map<Integer, Trial> byKey = trials.stream().collect(Collectors.toMap(Trial::mstKey, Function.identity()));
        return fit.configs().stream().sorted(Comparator.comparingInt((FitRecord.Config c) -> -byKey.get(c.mstKey()).iterations())
                .thenComparing(this::score, Score.BEST_FIRST).thenComparingInt(FitRecord.Config::mstKey)).toList();
    }

    /** The final value a configuration is ranked by. */
    public Score score(FitRecord.Config c) {
        if (rankBy == AutomlSpec.RankBy.LOSS) {
            return Score.loss(c.rankingLoss());
        }
        List<Double> values = c.validationMetric().isEmpty() ? c.trainingMetric() : c.validationMetric();
        boolean higher = Arrays.stream(Metric.values()).filter(m -> c.metricType() != null && m.names().contains(c.metricType())).findFirst()
                .map(Metric::higherIsBetter).orElse(true);
        return new Score(values.isEmpty() ? Double.NaN : values.get(values.size() - 1), higher);
    }

    /** Seconds from the search's start to its end as O_summary records them. */
    public double wallSeconds() {
        return Duration.between(Instant.parse(fit.startTime()), Instant.parse(fit.endTime())).toNanos() / 1e9;
    }

    /** Whether {@code modelTable}'s O_summary is an automl search's (it has automl_method). */
    public static boolean isSearch(Store store, String modelTable) {
        String summary = OutputTables.summary(modelTable);
        return store.exists(summary) && SearchSummary.isSearch(store.schema(summary));
    }

    /**
     * Reads an automl search's O_info, O_summary and, when there is one, O_schedule.
     *
     * @throws IllegalArgumentException when O is not an output table of automl
     */
    public static SearchRecord read(Store store, String modelTable) {
        if (!isSearch(store, modelTable) || !store.exists(OutputTables.info(modelTable))) {
            throw new IllegalArgumentException("--model-table '" + modelTable + "': no automl O_summary and O_info in "
                    + store.describe() + "; give the output table of `hopper automl`");
        }
        String summaryTable = OutputTables.summary(modelTable);
        SearchSummary summary = SearchSummary.fromRow(store.readAll(summaryTable).get(0), store.schema(summaryTable));
        Schema i = store.schema(OutputTables.info(modelTable));
        List<SearchInfo> infos = store.readAll(OutputTables.info(modelTable)).stream().map(r -> SearchInfo.fromRow(r, i)).toList();
        List<Trial> trials = infos.stream().map(r -> new Trial(r.info().mstKey(), r.metricsIters(), r.iterations(), r.bracket(),
                r.round(), r.rung())).toList();
        // The summary's metrics_iters are every iteration at which some configuration computed metrics.
        FitRecord fit = FitRecord.of(modelTable, summary.fit(), infos.stream().map(SearchInfo::info).toList(),
                OutputTables.readSchedule(store, modelTable));
        return new SearchRecord(fit, summary.method(), summary.automlParams(), summary.rankBy(), summary.bestMstKey(),
                summary.fitCalls(), summary.totalIterations(), trials);
    }
}
