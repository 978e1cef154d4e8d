package io.hopper.automl;

import io.hopper.data.PackedTables;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.local.LocalEngine;
import io.hopper.fit.CheckpointTable;
import io.hopper.fit.ConfigState;
import io.hopper.fit.FitMultipleModel;
import io.hopper.fit.FitRecorder;
import io.hopper.fit.FitResult;
import io.hopper.fit.FitRun;
import io.hopper.fit.FitSession;
import io.hopper.fit.FitSpec;
import io.hopper.fit.InfoRow;
import io.hopper.fit.Leaderboard;
import io.hopper.fit.ModelRow;
import io.hopper.fit.OutputTables;
import io.hopper.fit.ProgressListener;
import io.hopper.fit.ResumeRules;
import io.hopper.fit.ScheduleRow;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.params.ConfigGrid;
import io.hopper.model.params.Metric;
import io.hopper.model.params.MstEntry;
import io.hopper.model.params.SearchSpace;
import io.hopper.store.Row;
import io.hopper.store.Store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs an automl search in memory: draws the configurations with generate_model_configs' random search into the mst
 * table, trains them in one fit session ({@link FitMultipleModel#session}) on the engine it is given, steered by the
 * method's driver, and writes O (every configuration's latest state), O_info (a fit's columns plus metrics_iters,
 * iterations and the bracket s and round i, or the rung), O_summary (a fit's columns with its provenance, plus the
 * search's) and O_schedule. Nothing goes through the store between the start and the end of the search.
 * <ul>
 *   <li>Hyperband ({@link HyperbandSession}): every bracket starts at once; when a bracket's round is complete its best
 *   n_(i+1) continue to r_(i+1) and the others stop.</li>
 *   <li>ASHA ({@link AshaSession}): a configuration that reaches a rung is promoted at once when it is in the top 1/eta
 *   of that rung so far, else it pauses; idle workers start new configurations or promotable paused ones.</li>
 *   <li>Random: every configuration trained to R.</li>
 * </ul>
 * A unit's seed comes from (random_state, mst_key, epoch, partition) as in a fit, so with {@code --schedule rotation}
 * (every configuration visiting the partitions of an epoch in a fixed order) the weights do not depend on timing or
 * on the engine.
 */
public final class AutoMl {
    private final Store store;
    private final AutomlSpec spec;
    private final ProgressListener listener;
    private final EngineFactory engines;
    private boolean higherIsBetter;

    /** A search of {@code spec} on {@code store} on the embedded engine; {@code listener} hears the progress. */
    public AutoMl(Store store, AutomlSpec spec, ProgressListener listener) {
        this(store, spec, listener, LocalEngine::new);
    }

    /** A search of {@code spec} on {@code store} on the engine {@code engines} starts. */
    public AutoMl(Store store, AutomlSpec spec, ProgressListener listener, EngineFactory engines) {
        this.store = store;
        this.spec = spec;
        this.listener = listener;
        this.engines = engines;
    }

    /**
     * The tables an automl output table {@code modelTable} made besides O and its companions: its mst table and that
     * table's summary; empty when {@code modelTable} is not a search's output.
     */
    public static List<String> madeTables(Store store, String modelTable) {
        String summary = OutputTables.summary(modelTable);
        if (!store.exists(summary) || !SearchSummary.isSearch(store.schema(summary))) {
            return List.of();
        }
        String mst = SearchSummary.fromRow(store.readAll(summary).get(0), store.schema(summary)).fit().modelSelectionTable();
        return List.of(mst, mst + "_summary");
    }

    /**
     * Checks, draws, trains and writes the output tables; a failed search leaves none of them.
     *
     * @throws IllegalArgumentException for bad input, before any training
     */
    public AutomlResult run() {
        checkTables();
        long startNanos = System.nanoTime();
        try {
            SearchSpace space = ConfigGrid.parse(spec.compileParamsGrid(), spec.fitParamsGrid())
                    .space(ModelArchTable.ids(store, spec.modelArchTable()), spec.modelIds());
            List<SearchSpace.Point> points = new ArrayList<>();
            List<MstEntry> configs = switch (spec.method()) {
                case HYPERBAND -> draw(spec.hyperband().totalConfigurations());
                case ASHA -> draw(spec.asha().numConfigs());
                case RANDOM -> draw(spec.random().numConfigs());
                case TPE -> proposalsLater(space);
                case PBT -> population(space, points);
            };
            List<Integer> keys = configs.stream().map(MstEntry::mstKey).toList();
            int maxIterations = switch (spec.method()) {
                case HYPERBAND -> spec.hyperband().maxIterations();
                case ASHA -> spec.asha().maxIterations();
                case RANDOM -> spec.random().maxIterations();
                case TPE -> spec.tpe().numIterations();
                case PBT -> spec.pbt().iterations();
            };
            FitSpec fit = fitSpec(maxIterations, spec.method() == AutomlSpec.Method.PBT ? spec.pbt().interval() : maxIterations);
            Search search = switch (spec.method()) {
                case HYPERBAND -> new Search(new HyperbandSession(spec.hyperband(), keys, this::score));
                case ASHA -> new Search(new AshaSession(new Asha(spec.asha()), keys, this::score));
                case RANDOM -> new Search(new RandomSession(keys, maxIterations));
                case TPE -> new Search(new TpeSession(spec.tpe(), new Tpe(space, spec.tpe().tpe(),
                        spec.tpe().algorithm() == HyperoptParams.Algorithm.RAND, spec.randomState()), this::score));
                case PBT -> new Search(new PbtSession(new Pbt(spec.pbt(), space, spec.randomState()), configs, points, this::score));
            };
            FitRun run = new FitMultipleModel(store, fit, listener, engines).session(search.driver, searchArguments());
            return write(fit, run, search, (System.nanoTime() - startNanos) / 1e9);
        } catch (RuntimeException e) {
            // a search that failed before its session's first checkpoint leaves none of its tables; one that failed
            // later keeps the checkpoint and the mst table it drew, so that --resume continues it
            try {
                if (!store.exists(CheckpointTable.name(spec.modelOutputTable()))) {
                    for (String t : outputs()) {
                        if (store.exists(t)) {
                            store.drop(t);
                        }
                    }
                }
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The search's own arguments, which a {@code --resume} must repeat (the session's are added by the fit). */
    private Map<String, String> searchArguments() {
        Map<String, String> a = new TreeMap<>();
        a.put("--automl-method", spec.method().label());
        a.put("--automl-params", params());
        a.put("--model-arch-table", spec.modelArchTable());
        a.put("--model-id-list", spec.modelIds().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        a.put("--compile-params-grid", spec.compileParamsGrid());
        a.put("--fit-params-grid", spec.fitParamsGrid());
        a.put("--rank-by", spec.rankBy().label());
        a.put("--random-state", Long.toString(spec.randomState()));
        return a;
    }

    /** The tables a search creates: O and its companions, the mst table with its summary. */
    private List<String> outputs() {
        List<String> tables = new ArrayList<>(OutputTables.names(spec.modelOutputTable()));
        tables.addAll(List.of(spec.modelSelectionTable(), spec.modelSelectionTable() + "_summary"));
        return tables;
    }

    private void checkTables() {
        PackedTables.readSummary(store, spec.sourceTable());
        ModelArchTable.requireArchTable(store, spec.modelArchTable());
        String out = spec.modelOutputTable();
        boolean checkpoint = store.exists(CheckpointTable.name(out));
        if (spec.resume()) {
            ResumeRules.requireCheckpoint(out, checkpoint);
            for (String t : List.of(spec.modelSelectionTable(), spec.modelSelectionTable() + "_summary")) {
                if (!store.exists(t)) {
                    throw new IllegalArgumentException("automl --resume: table '" + t + "' of the interrupted search is missing, so its"
                            + " configurations are lost; discard its checkpoint with `hopper table drop " + CheckpointTable.name(out)
                            + "` and start again");
                }
            }
            for (String t : OutputTables.names(out)) {
                if (store.exists(t)) {
                    throw new IllegalArgumentException("automl --resume: output table '" + t + "' exists beside the checkpoint; drop it"
                            + " with `hopper table drop " + t + "` or discard the checkpoint with `hopper table drop "
                            + CheckpointTable.name(out) + "`");
                }
            }
            return;
        }
        ResumeRules.requireNoCheckpoint(out, checkpoint, List.of(spec.modelSelectionTable()));
        for (String t : outputs()) {
            if (store.exists(t)) {
                throw new IllegalArgumentException("automl: output table '" + t + "' already exists; drop it with `hopper table"
                        + " drop " + t + "` or choose other output names");
            }
        }
    }

    /**
     * TPE's mst table, empty until the search ends (its configurations are proposed while it runs); rank_by metric is
     * checked on every metric the grid offers.
     */
    private List<MstEntry> proposalsLater(SearchSpace space) {
        if (spec.rankBy() == AutomlSpec.RankBy.METRIC) {
            SearchSpace.Point any = space.sample(new java.util.Random(spec.randomState()));
            List<MstEntry> withEachMetric = new ArrayList<>();
            if (!space.dimensions().stream().anyMatch(d -> d.name().equals("metrics"))) {
                withEachMetric.add(space.entry(any));
            } else {
                int choices = ((SearchSpace.Categorical) space.dimension("metrics").domain()).size();
                for (int m = 0; m < choices; m++) {
                    withEachMetric.add(space.entry(any.with("metrics", m)));
                }
            }
            checkRankBy(withEachMetric);
        }
        if (spec.resume()) { // the interrupted search made it (empty)
            return ModelSelectionTable.read(store, spec.modelSelectionTable());
        }
        return ModelSelectionTable.append(store, spec.modelArchTable(), spec.modelSelectionTable(), List.of());
    }

    /**
     * PBT's population: population draws from the grids (random search's draws with random_state, their points kept
     * in {@code points}), written to the mst table.
     */
    private List<MstEntry> population(SearchSpace space, List<SearchSpace.Point> points) {
        int wanted = spec.pbt().population();
        java.util.Random random = new java.util.Random(spec.randomState());
        List<MstEntry> drawn = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < wanted; i++) {
            SearchSpace.Point p = space.sample(random);
            MstEntry e = space.entry(p);
            if (seen.add(e.modelId() + "|" + e.compileParams() + "|" + e.fitParams())) {
                points.add(p);
                drawn.add(new MstEntry(drawn.size() + 1, e.modelId(), e.compileParams(), e.fitParams()));
            }
        }
        new Pbt(spec.pbt(), space, spec.randomState());
        return written(drawn, wanted);
    }

    /** The configurations, drawn by seeded random search and written to the mst table. */
    private List<MstEntry> draw(int wanted) {
        ConfigGrid grid = ConfigGrid.parse(spec.compileParamsGrid(), spec.fitParamsGrid());
        List<MstEntry> drawn = grid.randomSearch(ModelArchTable.ids(store, spec.modelArchTable()), spec.modelIds(), wanted,
                spec.randomState());
        return written(drawn, wanted);
    }

    /** The drawn configurations checked (enough of them, rank_by) and written to the mst table. */
    private List<MstEntry> written(List<MstEntry> drawn, int wanted) {
        if (drawn.size() < wanted) {
            throw new IllegalArgumentException("automl: " + spec.method().label() + " with automl_params \"" + spec.automlParams()
                    + "\" needs " + wanted + " distinct configurations but " + wanted + " draws from the grids gave only "
                    + drawn.size() + "; widen the grids (e.g. a distribution such as 'lr': [0.0001, 0.1, 'log']) or ask for fewer");
        }
        checkRankBy(drawn);
        if (spec.resume()) { // the interrupted search wrote the same draws (its arguments are the same; the checkpoint's
            // fingerprint of the table says it did not change)
            return ModelSelectionTable.read(store, spec.modelSelectionTable());
        }
        return ModelSelectionTable.append(store, spec.modelArchTable(), spec.modelSelectionTable(), drawn);
    }

    /** With rank_by metric, every configuration has a metric and all go the same direction (which is remembered). */
    private void checkRankBy(List<MstEntry> drawn) {
        if (spec.rankBy() == AutomlSpec.RankBy.METRIC) {
            Set<Boolean> directions = new HashSet<>();
            for (MstEntry e : drawn) {
                Metric m = e.parsedCompileParams().metric().orElseThrow(() -> new IllegalArgumentException("automl: rank_by"
                        + " metric but compile_params \"" + e.compileParams() + "\" has no metric; add e.g. 'metrics': ['accuracy']"
                        + " to compile_params_grid or rank by loss"));
                directions.add(m.higherIsBetter());
            }
            if (directions.size() > 1) {
                throw new IllegalArgumentException("automl: rank_by metric but the grid mixes metrics where higher is better"
                        + " with metrics where lower is better; use one metric in compile_params_grid or rank by loss");
            }
            higherIsBetter = directions.iterator().next();
        }
    }

    /**
     * The session's fit: the search's tables and run options; metrics at every target and every {@code metricsEvery}
     * epochs (R for most methods, PBT's interval).
     */
    private FitSpec fitSpec(int maxIterations, int metricsEvery) {
        FitSpec.Builder fit = FitSpec.builder().setSourceTable(spec.sourceTable()).setModelOutputTable(spec.modelOutputTable())
                .setModelSelectionTable(spec.modelSelectionTable()).setNumIterations(maxIterations)
                .optMetricsComputeFrequency(metricsEvery).optRunOptions(spec.run()).optResume(spec.resume())
                .optCheckpointEvery(spec.checkpointEvery());
        spec.validationTable().ifPresent(fit::optValidationTable);
        spec.name().ifPresent(fit::optName);
        spec.description().ifPresent(fit::optDescription);
        return fit.build();
    }

    private Score score(FitResult.ModelOutcome o) {
        if (spec.rankBy() == AutomlSpec.RankBy.LOSS) {
            return Score.loss(o.validationLoss().orElse(o.trainingLoss()));
        }
        OptionalDouble metric = o.validationMetric().isPresent() ? o.validationMetric() : o.trainingMetric();
        return new Score(metric.orElse(Double.NaN), higherIsBetter);
    }

    /** A method's driver and where each configuration stopped. */
    private static final class Search {
        final FitSession.Driver driver;

        Search(FitSession.Driver driver) {
            this.driver = driver;
        }

        /** Hyperband's {s, i}, ASHA's {rung}, random's {}. */
        int[] stage(int mstKey) {
            if (driver instanceof HyperbandSession h) {
                return h.stage(mstKey);
            }
            if (driver instanceof AshaSession a) {
                return new int[] {a.rungReached(mstKey)};
            }
            return new int[0];
        }
    }

    // ---------------------------------------------------------------- outputs

    private AutomlResult write(FitSpec fit, FitRun run, Search search, double seconds) {
        if (search.driver instanceof AshaSession a && !a.asha().finished()) {
            throw new IllegalStateException("asha: the session ended before the search finished; this is a bug");
        }
        boolean validated = run.plan().validated();
        FitRecorder recorder = new FitRecorder(store);
        Map<Integer, Score> scores = new TreeMap<>();
        Map<Integer, Integer> trained = new TreeMap<>();
        List<Row> models = new ArrayList<>();
        List<Row> infos = new ArrayList<>();
        Map<Integer, Leaderboard.Entry> entries = new TreeMap<>();
        List<AutomlResult.Trial> trials = new ArrayList<>();
        for (ConfigState c : run.configs()) {
            List<Integer> iters = c.metricEpochs();
            int iterations = iters.isEmpty() ? 0 : iters.get(iters.size() - 1);
            trained.put(c.key(), iterations);
            scores.put(c.key(), score(c.outcome(validated)));
            ModelRow model = recorder.modelRow(c);
            models.add(model.toRow());
            int[] stage = search.stage(c.key());
            OptionalInt bracket = stage.length == 2 ? OptionalInt.of(stage[0]) : OptionalInt.empty();
            OptionalInt round = stage.length == 2 ? OptionalInt.of(stage[1]) : OptionalInt.empty();
            OptionalInt rung = stage.length == 1 ? OptionalInt.of(stage[0]) : OptionalInt.empty();
            InfoRow info = c.infoRow(validated, model.modelWeights().length / 1024.0);
            infos.add(new SearchInfo(info, iters, iterations, bracket, round, rung,
                    search.driver instanceof PbtSession p ? Optional.of(p.lineage(c.key())) : Optional.empty()).toRow());
            AutomlResult.Trial trial = new AutomlResult.Trial(c.key(), bracket, round, rung, iterations, scores.get(c.key()).value());
            trials.add(trial);
            entries.put(c.key(), info.leaderboardEntry());
        }
        int most = trained.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (AutomlResult.Trial t : trials) { // the leaderboard tells where the search stopped a configuration
            if (t.iterations() < most && entries.get(t.mstKey()).status().equals("ok")) {
                entries.put(t.mstKey(), entries.get(t.mstKey()).withStatus("stopped by " + spec.method().label() + " at iteration "
                        + t.iterations() + " (" + t.stage() + ")"));
            }
        }
        // the search's ranking: trained longest first, then by what it ranks by; the first is the best
        List<Integer> ranked = trained.keySet().stream().sorted(Comparator.comparingInt((Integer k) -> -trained.get(k))
                .thenComparing(scores::get, Score.BEST_FIRST).thenComparingInt(k -> k)).toList();
        int best = ranked.get(0);
        long total = trained.values().stream().mapToLong(Integer::longValue).sum();
        List<AutomlResult.Step> steps = List.of(new AutomlResult.Step(List.copyOf(trained.keySet()), 0, most));
        SearchSummary summary = new SearchSummary(recorder.summaryRow(fit, run), spec.method(), params(), spec.rankBy(), best,
                steps.size(), total);
        String out = spec.modelOutputTable();
        // one operation: the outputs, TPE's proposals in the mst table and the checkpoint's drop, so a kill at any moment
        // leaves either the checkpoint (and --resume continues) or the complete outputs
        List<String> tables = new ArrayList<>(OutputTables.finalTables(out));
        if (search.driver instanceof TpeSession) {
            tables.addAll(List.of(spec.modelSelectionTable(), spec.modelSelectionTable() + "_summary"));
        }
        FitMultipleModel.record(store, (s, op) -> {
            if (search.driver instanceof TpeSession t) {
                ModelSelectionTable.append(s, op, spec.modelArchTable(), spec.modelSelectionTable(),
                        t.trials().stream().map(TpeSession.Trial::entry).toList());
            }
            OutputTables.write(op, out, List.of(OutputTables.MODEL, SearchInfo.schema(spec.method()), SearchSummary.SCHEMA,
                    OutputTables.SCHEDULE), List.of(models, infos, List.of(summary.toRow()),
                    run.schedule().stream().map(ScheduleRow::toRow).toList()), false);
            OutputTables.writeLeaderboard(op, out, Leaderboard.ranked(ranked.stream().map(entries::get).toList()));
            CheckpointTable.remove(op, out);
            return null;
        }, tables);
        return new AutomlResult(out, spec.method(), trials, steps, best, total, seconds, run.resumed());
    }

    /** automl_params in full, defaults filled in. */
    private String params() {
        return switch (spec.method()) {
            case HYPERBAND -> spec.hyperband().params();
            case ASHA -> spec.asha().params();
            case RANDOM -> spec.random().params();
            case TPE -> spec.tpe().params();
            case PBT -> spec.pbt().params();
        };
    }
}
