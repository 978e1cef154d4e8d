package io.hopper.automl;

import io.hopper.automl.AutomlResult;
import io.hopper.automl.AutomlSpec;
import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.data.PackedTables;
import io.hopper.fit.FitMultipleModel;
import io.hopper.fit.OutputTables;
import io.hopper.fit.ProgressListener;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.params.ConfigGrid;
import io.hopper.model.params.Metric;
import io.hopper.model.params.MstEntry;
import io.hopper.store.Column;
import io.hopper.store.ColumnType;
import io.hopper.store.Row;
import io.hopper.store.Schema;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs an automl search: draws the configurations with generate_model_configs' random search into the mst table,
 * trains them with fit-multiple-model as the method decides, and writes O (every configuration's latest state),
 * O_info (fit's columns over the whole search, plus metrics_iters, iterations and the bracket s and round i, or the
 * rung) and O_summary.
 *
 * <p>Hyperband and random search run in steps; each step is one fit-multiple-model run over a work table with warm start: the configurations continued get
 * the states they had, new ones start from their seeded initial weights, and every configuration of a step trains
 * the same number of further iterations. A step's fit seed is random_state plus the iterations its configurations
 * already trained, so a continued configuration does not replay the random streams of its first iterations.
 * <ul>
 *   <li>Hyperband: diagonally, as MADlib runs it so that all workers stay busy: step j trains round
 *   i = j - (s_max - s) of every bracket s that has started, i.e. the n_i best of each bracket's round i-1 from
 *   r_(i-1) to r_i iterations (r_i is the same for every bracket on a diagonal), together with the configurations
 *   of the bracket that starts there. Round 0 of bracket s_max - j needs r_i from scratch, so its configurations
 *   first train to r_(i-1) in a fit of their own.</li>
 *   <li>ASHA: one fit session ({@link FitMultipleModel#runSession}) driven by {@link AshaSession}: a configuration
 *   that reaches a rung is promoted at once when it is in the top 1/eta of that rung so far, else it pauses; idle
 *   workers start new configurations or promotable paused ones, so no worker waits for a rung to fill. O_schedule
 *   holds the session's units.</li>
 *   <li>Random: one fit of every configuration for R iterations.</li>
 * </ul>
 */
public final class AutoMl {
    private static final Set<String> CONCATENATED = Set.of("metrics_elapsed_time", "training_metrics", "training_loss",
            "validation_metrics", "validation_loss");

    private final Store store;
    private final AutomlSpec spec;
    private final ProgressListener listener;
    private final String work;
    private final String workMst;
    private final Map<Integer, Row> models = new TreeMap<>();
    private final Map<Integer, Row> infos = new TreeMap<>();
    private final Map<Integer, List<Integer>> metricsIters = new HashMap<>();
    private final Map<Integer, Integer> trained = new HashMap<>();
    private final Map<Integer, Score> scores = new HashMap<>();
    private final Map<Integer, int[]> stages = new HashMap<>();
    private final List<AutomlResult.Step> steps = new ArrayList<>();
    private Row fitSummary;
    /** ASHA's session schedule, written to O_schedule. */
    private List<Row> schedule = List.of();
    private long startNanos;
    private boolean higherIsBetter;

    /**
     * A search of {@code spec} on {@code store}.
     *
     * @param listener hears the progress of every fit
     */
    public AutoMl(Store store, AutomlSpec spec, ProgressListener listener) {
        this.store = store;
        this.spec = spec;
        this.listener = listener;
        this.work = spec.modelOutputTable() + AutomlSpec.WORK_SUFFIX;
        this.workMst = work + AutomlSpec.WORK_MST_SUFFIX;
    }

    /**
     * Checks, draws, trains and writes the output tables; the work tables are removed whatever happens.
     *
     * @throws IllegalArgumentException for bad input, before any training
     */
    public AutomlResult run() {
        checkTables();
        int wanted = switch (spec.method()) {
            case HYPERBAND -> spec.hyperband().totalConfigurations();
            case ASHA -> spec.asha().numConfigs();
            case RANDOM -> spec.random().numConfigs();
        };
        boolean done = false;
        try {
            List<MstEntry> configs = draw(wanted);
            startNanos = System.nanoTime();
            Instant start = Instant.now();
            switch (spec.method()) {
                case HYPERBAND -> hyperband(configs);
                case ASHA -> asha(configs);
                case RANDOM -> step(configs, spec.random().maxIterations());
            }
            AutomlResult result = write(configs, start, Instant.now());
            done = true;
            return result;
        } finally {
            List<String> scratch = new ArrayList<>(List.of(workMst, workMst + "_summary", work, OutputTables.info(work),
                    OutputTables.summary(work), OutputTables.schedule(work)));
            if (!done) {
                scratch.addAll(outputs());
            }
            for (String t : scratch) {
                if (store.exists(t)) {
                    store.drop(t);
                }
            }
        }
    }

    /** The tables a search creates: O, O_info, O_summary, the mst table with its summary, and ASHA's O_schedule. */
    private List<String> outputs() {
        String out = spec.modelOutputTable();
        List<String> tables = new ArrayList<>(List.of(out, OutputTables.info(out), OutputTables.summary(out),
                spec.modelSelectionTable(), spec.modelSelectionTable() + "_summary"));
        if (spec.method() == AutomlSpec.Method.ASHA) {
            tables.add(OutputTables.schedule(out));
        }
        return tables;
    }

    private void checkTables() {
        PackedTables.readSummary(store, spec.sourceTable());
        ModelArchTable.requireArchTable(store, spec.modelArchTable());
        List<String> taken = new ArrayList<>(outputs());
        taken.addAll(List.of(work, workMst));
        for (String t : taken) {
            if (store.exists(t)) {
                throw new IllegalArgumentException("automl: output table '" + t + "' already exists; drop it with `hopper table"
                        + " drop " + t + "` or choose other output names");
            }
        }
    }

    /** The configurations, drawn by seeded random search and written to the mst table. */
    private List<MstEntry> draw(int wanted) {
        ConfigGrid grid = ConfigGrid.parse(spec.compileParamsGrid(), spec.fitParamsGrid());
        List<MstEntry> drawn = grid.randomSearch(ModelArchTable.ids(store, spec.modelArchTable()), spec.modelIds(), wanted,
                spec.randomState());
        if (drawn.size() < wanted) {
            throw new IllegalArgumentException("automl: " + spec.method().label() + " with automl_params \"" + spec.automlParams()
                    + "\" needs " + wanted + " distinct configurations but " + wanted + " draws from the grids gave only "
                    + drawn.size() + "; widen the grids (e.g. a distribution such as 'lr': [0.0001, 0.1, 'log']) or ask for fewer");
        }
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
        List<MstEntry> written = ModelSelectionTable.append(store, spec.modelArchTable(), spec.modelSelectionTable(), drawn);
        written.forEach(e -> trained.put(e.mstKey(), 0));
        return written;
    }

    // ---------------------------------------------------------------- methods

    /**
     * Hyperband run diagonally, as MADlib does: step j advances bracket s to its round i = j - (s_max - s), and every
     * round on a diagonal trains to the same r_i, so the diagonal is one fit of all its brackets' configurations
     * (preceded by a fit that brings the new bracket's configurations to where the others start).
     */
    private void hyperband(List<MstEntry> configs) {
        HyperbandSchedule schedule = spec.hyperband();
        List<HyperbandSchedule.Bracket> brackets = schedule.brackets();
        Map<Integer, List<MstEntry>> survivors = new HashMap<>();
        int next = 0;
        int before = 0;
        for (int j = 0; j <= schedule.sMax() - schedule.skipLast(); j++) {
            List<MstEntry> diagonal = new ArrayList<>();
            List<MstEntry> fresh = List.of();
            int target = -1;
            for (HyperbandSchedule.Bracket b : brackets) {
                int i = j - (schedule.sMax() - b.s());
                if (i < 0) {
                    continue;
                }
                HyperbandSchedule.Round round = b.rounds().get(i);
                if (i == 0) {
                    fresh = configs.subList(next, next + b.configurations());
                    next += b.configurations();
                    survivors.put(b.s(), fresh);
                } else {
                    survivors.put(b.s(), best(survivors.get(b.s()), round.configurations()));
                }
                survivors.get(b.s()).forEach(e -> stages.put(e.mstKey(), new int[] {round.bracket(), round.round()}));
                diagonal.addAll(survivors.get(b.s()));
                if (target >= 0 && target != round.iterations()) {
                    throw new IllegalStateException("hyperband: rounds on diagonal " + j + " train to " + target + " and "
                            + round.iterations() + " iterations; this is a bug");
                }
                target = round.iterations();
            }
            if (before > 0 && !fresh.isEmpty()) {
                step(fresh, before);
            }
            step(diagonal, target - before);
            before = target;
        }
    }

    /**
     * ASHA as one fit session ({@link AshaSession}): every configuration starts from its seeded initial weights, and
     * its targets follow its rungs; metrics are computed only at the rungs (metrics_compute_frequency R).
     */
    private void asha(List<MstEntry> configs) {
        Asha asha = new Asha(spec.asha());
        AshaSession driver = new AshaSession(asha, configs.stream().map(MstEntry::mstKey).toList(), this::score);
        writeWorkMst(configs);
        int r = spec.asha().maxIterations();
        double offset = (System.nanoTime() - startNanos) / 1e9;
        new FitMultipleModel(store, fitSpec(r, spec.randomState()).optMetricsComputeFrequency(r).build(), listener)
                .runSession(driver);
        if (!asha.finished()) {
            throw new IllegalStateException("asha: the session ended before the search finished; this is a bug");
        }
        int most = 0;
        for (int c = 0; c < configs.size(); c++) {
            int key = configs.get(c).mstKey();
            int rung = asha.rungReached(c).orElseThrow();
            stages.put(key, new int[] {rung});
            trained.put(key, asha.rungIterations().get(rung));
            scores.put(key, driver.score(key).orElseThrow());
            metricsIters.put(key, driver.metricsIters(key));
            most = Math.max(most, trained.get(key));
        }
        steps.add(new AutomlResult.Step(configs.stream().map(MstEntry::mstKey).sorted().toList(), 0, most));
        collect(offset);
        schedule = store.readAll(OutputTables.schedule(work));
    }

    /** The n best of the entries by their latest score (ties by mst_key); all of them before any score. */
    private List<MstEntry> best(List<MstEntry> entries, int n) {
        List<MstEntry> sorted = new ArrayList<>(entries);
        if (scores.containsKey(sorted.get(0).mstKey())) {
            sorted.sort(Comparator.comparing((MstEntry e) -> scores.get(e.mstKey()), Score.BEST_FIRST)
                    .thenComparingInt(MstEntry::mstKey));
        }
        return List.copyOf(sorted.subList(0, Math.min(n, sorted.size())));
    }

    // ---------------------------------------------------------------- one fit

    /** Trains {@code batch} (configurations that trained equally long so far) for {@code iterations} more. */
    private void step(List<MstEntry> batch, int iterations) {
        int done = trained.get(batch.get(0).mstKey());
        List<Row> states = new ArrayList<>();
        for (MstEntry e : batch) {
            if (trained.get(e.mstKey()) != done) {
                throw new IllegalStateException("automl: a step mixes configurations trained " + done + " and "
                        + trained.get(e.mstKey()) + " iterations; this is a bug");
            }
            Optional.ofNullable(models.get(e.mstKey())).ifPresent(states::add);
        }
        writeWorkMst(batch);
        store.replace(work, OutputTables.MODEL, states);
        double offset = (System.nanoTime() - startNanos) / 1e9;
        FitResult result = new FitMultipleModel(store, fitSpec(iterations, spec.randomState() + done).optWarmStart(true).build(),
                listener).run();
        steps.add(new AutomlResult.Step(batch.stream().map(MstEntry::mstKey).sorted().toList(), done, done + iterations));
        for (FitResult.ModelOutcome o : result.models()) {
            List<Integer> iters = metricsIters.computeIfAbsent(o.mstKey(), k -> new ArrayList<>());
            result.metricsIters().forEach(i -> iters.add(done + i));
            trained.put(o.mstKey(), done + iterations);
            scores.put(o.mstKey(), score(o));
        }
        collect(offset);
    }

    /** The work mst table holds {@code entries}. */
    private void writeWorkMst(List<MstEntry> entries) {
        store.replace(workMst, ModelSelectionTable.SCHEMA, entries.stream()
                .map(e -> Row.of(e.mstKey(), e.modelId(), e.compileParams(), e.fitParams())).toList());
        if (!store.exists(workMst + "_summary")) {
            store.write(workMst + "_summary", ModelSelectionTable.SUMMARY_SCHEMA, List.of(Row.of(spec.modelArchTable())));
        }
    }

    /** A fit of the work tables for {@code iterations} iterations from {@code seed}. */
    private FitSpec.Builder fitSpec(int iterations, long seed) {
        FitSpec.Builder fit = FitSpec.builder().setSourceTable(spec.sourceTable()).setModelOutputTable(work)
                .setModelSelectionTable(workMst).setNumIterations(iterations).optUseCaching(spec.useCaching())
                .optSchedule(spec.schedule()).optSeed(seed);
        spec.validationTable().ifPresent(fit::optValidationTable);
        spec.workers().ifPresent(fit::optWorkers);
        return fit;
    }

    /** Reads a finished fit's work tables: the states, the O_info rows appended, the summary. */
    private void collect(double elapsedOffset) {
        for (Row r : store.readAll(work)) {
            models.put((Integer) r.get(0), r);
        }
        for (Row r : store.readAll(OutputTables.info(work))) {
            int key = (Integer) r.get(0);
            infos.put(key, merge(infos.get(key), r, elapsedOffset));
        }
        fitSummary = store.readAll(OutputTables.summary(work)).get(0);
    }

    private Score score(FitResult.ModelOutcome o) {
        if (spec.rankBy() == AutomlSpec.RankBy.LOSS) {
            return Score.loss(o.validationLoss().orElse(o.trainingLoss()));
        }
        OptionalDouble metric = o.validationMetric().isPresent() ? o.validationMetric() : o.trainingMetric();
        return new Score(metric.orElse(Double.NaN), higherIsBetter);
    }

    /** A configuration's O_info row so far followed by a fit's: learning curves appended, everything else the latest. */
    private static Row merge(Row before, Row latest, double elapsedOffset) {
        List<Column> columns = OutputTables.INFO.columns();
        List<Object> values = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c).name();
            Object now = latest.get(c);
            if (!CONCATENATED.contains(name) || now == null) {
                values.add(now);
                continue;
            }
            List<Object> joined = new ArrayList<>();
            if (before != null && before.get(c) != null) {
                joined.addAll((List<?>) before.get(c));
            }
            for (Object v : (List<?>) now) {
                joined.add(name.equals("metrics_elapsed_time") ? (Double) v + elapsedOffset : v);
            }
            values.add(joined);
        }
        return Row.of(values);
    }

    // ---------------------------------------------------------------- outputs

    private Schema infoSchema() {
        List<Column> columns = new ArrayList<>(OutputTables.INFO.columns());
        columns.add(new Column("metrics_iters", ColumnType.INT_ARRAY));
        columns.add(new Column("iterations", ColumnType.INT));
        switch (spec.method()) {
            case HYPERBAND -> {
                columns.add(new Column("s", ColumnType.INT));
                columns.add(new Column("i", ColumnType.INT));
            }
            case ASHA -> columns.add(new Column("rung", ColumnType.INT));
            case RANDOM -> { }
        }
        return new Schema(columns);
    }

    /** O_summary: fit's data columns, the search's settings and figures. */
    static final Schema SUMMARY = Schema.of(
            "source_table", ColumnType.TEXT,
            "validation_table", ColumnType.TEXT,
            "model", ColumnType.TEXT,
            "model_info", ColumnType.TEXT,
            "dependent_varname", ColumnType.TEXT,
            "independent_varname", ColumnType.TEXT,
            "model_arch_table", ColumnType.TEXT,
            "model_selection_table", ColumnType.TEXT,
            "automl_method", ColumnType.TEXT,
            "automl_params", ColumnType.TEXT,
            "random_state", ColumnType.BIGINT,
            "rank_by", ColumnType.TEXT,
            "name", ColumnType.TEXT,
            "description", ColumnType.TEXT,
            "start_training_time", ColumnType.TEXT,
            "end_training_time", ColumnType.TEXT,
            "version", ColumnType.TEXT,
            "num_classes", ColumnType.INT,
            "class_values", ColumnType.TEXT_ARRAY,
            "dependent_vartype", ColumnType.TEXT,
            "normalizing_const", ColumnType.DOUBLE,
            "best_mst_key", ColumnType.INT,
            "fit_calls", ColumnType.INT,
            "total_iterations", ColumnType.BIGINT,
            "schedule", ColumnType.TEXT,
            "workers", ColumnType.INT,
            "use_caching", ColumnType.BOOLEAN);

    private AutomlResult write(List<MstEntry> configs, Instant start, Instant end) {
        String out = spec.modelOutputTable();
        int maxTrained = trained.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        MstEntry bestEntry = configs.stream().filter(e -> trained.get(e.mstKey()) == maxTrained)
                .min(Comparator.comparing((MstEntry e) -> scores.get(e.mstKey()), Score.BEST_FIRST)
                        .thenComparingInt(MstEntry::mstKey)).orElseThrow();
        List<Row> infoRows = new ArrayList<>();
        List<AutomlResult.Trial> trials = new ArrayList<>();
        for (MstEntry e : configs) {
            int key = e.mstKey();
            List<Object> row = new ArrayList<>(infos.get(key).values());
            row.add(metricsIters.get(key));
            row.add(trained.get(key));
            int[] stage = stages.getOrDefault(key, new int[0]);
            for (int v : stage) {
                row.add(v);
            }
            infoRows.add(Row.of(row));
            trials.add(new AutomlResult.Trial(key,
                    stage.length == 2 ? OptionalInt.of(stage[0]) : OptionalInt.empty(),
                    stage.length == 2 ? OptionalInt.of(stage[1]) : OptionalInt.empty(),
                    stage.length == 1 ? OptionalInt.of(stage[0]) : OptionalInt.empty(),
                    trained.get(key), scores.get(key).value()));
        }
        long total = trained.values().stream().mapToLong(Integer::longValue).sum();
        Schema fit = OutputTables.SUMMARY;
        Row summary = Row.of(spec.sourceTable(), spec.validationTable().orElse(null), out, OutputTables.info(out),
                fitSummary.get(fit.indexOf("dependent_varname")), fitSummary.get(fit.indexOf("independent_varname")),
                spec.modelArchTable(), spec.modelSelectionTable(), spec.method().label(), params(), spec.randomState(),
                spec.rankBy().label(), spec.name().orElse(null), spec.description().orElse(null), start.toString(),
                end.toString(), fitSummary.get(fit.indexOf("version")), fitSummary.get(fit.indexOf("num_classes")),
                fitSummary.get(fit.indexOf("class_values")), fitSummary.get(fit.indexOf("dependent_vartype")),
                fitSummary.get(fit.indexOf("normalizing_const")), bestEntry.mstKey(), steps.size(), total,
                spec.method() == AutomlSpec.Method.ASHA ? "dynamic" : spec.schedule().label(),
                fitSummary.get(fit.indexOf("workers")), spec.useCaching());
        try (StoreOperation op = store.begin(OutputTables.names(out))) { // the outputs appear together
            op.write(OutputTables.summary(out), SUMMARY, List.of(summary));
            op.write(OutputTables.info(out), infoSchema(), infoRows);
            op.write(out, OutputTables.MODEL, List.copyOf(models.values()));
            if (spec.method() == AutomlSpec.Method.ASHA) {
                op.write(OutputTables.schedule(out), OutputTables.SCHEDULE, schedule);
            }
            op.commit();
        }
        return new AutomlResult(out, spec.method(), trials, steps, bestEntry.mstKey(), total,
                (System.nanoTime() - startNanos) / 1e9);
    }

    /** automl_params in full, defaults filled in. */
    private String params() {
        return switch (spec.method()) {
            case HYPERBAND -> spec.hyperband().params();
            case ASHA -> spec.asha().params();
            case RANDOM -> spec.random().params();
        };
    }
}
