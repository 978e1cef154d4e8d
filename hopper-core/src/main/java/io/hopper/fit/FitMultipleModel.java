package io.hopper.fit;

import ai.djl.ndarray.types.Shape;
import io.hopper.fit.FitResult;
import io.hopper.fit.FitSpec;
import io.hopper.Version;
import io.hopper.data.PackedSummary;
import io.hopper.data.PackedTables;
import io.hopper.engine.Engine;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitFailedException;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitTask;
import io.hopper.engine.local.LocalEngine;
import io.hopper.model.ModelArchTable;
import io.hopper.model.ModelSelectionTable;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.params.MstEntry;
import io.hopper.model.runtime.EvalResult;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.AsyncScheduler;
import io.hopper.mop.Configurations;
import io.hopper.mop.DynamicScheduler;
import io.hopper.mop.Placement;
import io.hopper.mop.ReplayScheduler;
import io.hopper.mop.RotationScheduler;
import io.hopper.mop.Scheduler;
import io.hopper.mop.Unit;
import io.hopper.store.Row;
import io.hopper.store.Store;
import io.hopper.store.TableDigest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * MADlib's madlib_keras_fit_multiple_model with Model Hopper Parallelism: trains every configuration of an mst table
 * over a packed table, each iteration every configuration once on every partition, and writes O, O_info, O_summary
 * and O_schedule.
 *
 * <p>The run: every input is validated before any work; the memory estimate is computed, reported and checked;
 * each configuration's initial state is built on the driver (weights seeded from (seed, mst_key), the
 * architecture table's model_weights applied when present, or O's state with warm start); then each iteration
 * drives the scheduler over the engine, the state travelling with every unit; metrics are computed as eval units on
 * the workers at iterations where {@code iteration % metrics_compute_frequency == 0} and at the last. A training
 * loss that is NaN or infinite marks the configuration diverged: it keeps its last finite state, trains no more
 * (its remaining units are completed without running so the scheduler's invariants hold), and its later metrics
 * are NaN. The output tables are written only when everything succeeded.
 *
 * <p>{@link #runSession} runs the same pieces (validation, initial states, unit seeds, eval units, output tables) as
 * one {@link FitSession}: configurations with their own epochs on a {@link DynamicScheduler}, steered by a driver.
 */
public final class FitMultipleModel {
    private static final long INIT_STREAM = 0x1A2B3C4DL;

    private final Store store;
    private final FitSpec spec;
    private final ProgressListener listener;
    private final EngineFactory engines;
    /** Recorded visit orders to replay instead of scheduling; null for a normal run. */
    private final Map<Integer, List<List<Integer>>> replay;

    /**
     * A run of {@code spec} on {@code store} on the embedded engine ({@link LocalEngine}).
     *
     * @param listener hears the memory estimate and the progress
     */
    public FitMultipleModel(Store store, FitSpec spec, ProgressListener listener) {
        this(store, spec, listener, LocalEngine::new);
    }

    /**
     * A run of {@code spec} on {@code store} on the engine {@code engines} starts.
     *
     * @param listener hears the memory estimate and the progress
     * @param engines starts the fit's engine once the placement is known
     */
    public FitMultipleModel(Store store, FitSpec spec, ProgressListener listener, EngineFactory engines) {
        this(store, spec, listener, engines, null);
    }

    private FitMultipleModel(Store store, FitSpec spec, ProgressListener listener, EngineFactory engines,
                             Map<Integer, List<List<Integer>>> replay) {
        this.store = store;
        this.spec = spec;
        this.listener = listener;
        this.engines = engines;
        this.replay = replay;
    }

    /**
     * This run, but training every configuration in the recorded visit orders ({@link ReplayScheduler}) instead of
     * scheduling: with the recorded seed and data it gives the recorded weights.
     *
     * @param visitOrders by mst key, per iteration, as {@link Provenance#visitOrders()} holds them
     */
    public FitMultipleModel replaying(Map<Integer, List<List<Integer>>> visitOrders) {
        return new FitMultipleModel(store, spec, listener, engines, Map.copyOf(visitOrders));
    }

    /**
     * Validates, trains and writes the output tables.
     *
     * @throws IllegalArgumentException for bad input (one line naming the input, the rule and the fix), before any
     *     work
     */
    public FitResult run() {
        return train(null);
    }

    /**
     * Validates, then runs one {@link FitSession} that {@code driver} steers (configurations added at any time, each
     * with its own epochs; num_iterations is not used), and writes the output tables for the configurations it
     * added: O_info's learning curves hold each configuration's own metric epochs, O_summary's num_iterations the
     * most epochs any trained and its metrics_iters every epoch at which some configuration computed metrics;
     * visit_orders is empty (replay does not apply to a session).
     *
     * @throws IllegalArgumentException for bad input, before any work
     */
    public FitResult runSession(FitSession.Driver driver) {
        if (replay != null) {
            throw new IllegalStateException("fit: a session cannot replay visit orders; replay a fixed-iteration fit");
        }
        return train(driver);
    }

    private FitResult train(FitSession.Driver driver) {
        Plan plan = plan();
        Training training = new Training(plan);
        if (driver == null) {
            training.arguments = arguments(plan);
            training.fingerprints = fingerprints(plan);
            if (spec.resume()) {
                training.restore(ResumeRules.resumable(spec.modelOutputTable(), CheckpointTable.read(store, spec.modelOutputTable()),
                        training.arguments, training.fingerprints));
            }
            training.checkpointer = new Checkpointer(store, spec.modelOutputTable(), spec.checkpointEvery());
        } else if (spec.resume()) {
            throw new IllegalArgumentException("--resume: a fit session (automl) resumes through its search; leave out --resume");
        }
        MemoryEstimate estimate = new MemoryEstimate(plan.cacheBytes(), plan.configs().stream()
                .mapToLong(c -> c.state.length).sum(), plan.placement().workers());
        long limit = spec.memoryLimit().orElseGet(MemoryEstimate::physicalMemory);
        listener.onEstimate(estimate, limit);
        estimate.check(limit, Runtime.getRuntime().maxMemory());
        Instant startTime = Instant.now();
        if (training.checkpointer != null && spec.resume()) {
            listener.onResume(training.resumedAt);
        }
        try (Engine engine = engines.start(store, plan.placement(), spec.useCaching())) {
            if (driver == null) {
                training.run(engine);
            } else {
                training.runSession(engine, driver);
            }
            training.storeReads = engine.storeReads();
        } finally {
            listener.onEnd();
        }
        Instant endTime = Instant.now();
        if (driver == null) {
            List<Provenance.TrainedUnit> trainedUnits = training.executed.stream().filter(e -> e.phase() == Phase.TRAIN)
                    .map(e -> new Provenance.TrainedUnit(e.mstKey(), e.iteration(), e.partition(), e.startMs())).toList();
            String visitOrders = Provenance.visitOrdersJson(Provenance.visitOrders(plan.configs().stream().map(Config::key)
                    .toList(), spec.numIterations(), plan.placement().partitions(), trainedUnits));
            FitResult result = write(plan, plan.configs(), spec.numIterations(), plan.metricsIters(), visitOrders, training, estimate,
                    startTime, endTime);
            training.checkpointer.complete();
            return result;
        }
        List<Config> added = plan.configs().stream().filter(c -> training.session.added.contains(c.key())).toList();
        int epochs = added.stream().mapToInt(c -> training.session.epochs.get(c.key())).max().orElse(0);
        return write(plan, added, epochs, List.copyOf(training.session.metricEpochs), null, training, estimate, startTime,
                endTime);
    }

    // ---------------------------------------------------------------- validation and the plan

    /** One configuration being trained; mutated only by the driver thread. */
    private static final class Config {
        final MstEntry entry;
        final ModelSpec model;
        byte[] state;
        Integer divergedAt;
        /** Per iteration, the partitions it trained on so far, in order. */
        final List<List<Integer>> visits = new ArrayList<>();
        /** The iteration at which a unit of this configuration failed on every attempt, and why. */
        Integer failedAt;
        String failure;
        double latestLoss = Double.NaN;
        final List<Double> elapsed = new ArrayList<>();
        final List<Double> trainingLoss = new ArrayList<>();
        final List<Double> trainingMetric = new ArrayList<>();
        final List<Double> validationLoss = new ArrayList<>();
        final List<Double> validationMetric = new ArrayList<>();

        Config(MstEntry entry, ModelSpec model) {
            this.entry = entry;
            this.model = model;
        }

        int key() {
            return entry.mstKey();
        }

        boolean hasMetric() {
            return model.compile().metric().isPresent();
        }

        /** Whether the configuration trains no more: it diverged or one of its units failed. */
        boolean stopped() {
            return divergedAt != null || failedAt != null;
        }

        /** Marks the configuration failed at {@code iteration} (the first failure wins); it keeps its last state. */
        void fail(int iteration, UnitFailedException e) {
            if (failedAt == null) {
                failedAt = iteration;
                failure = e.reason();
            }
        }
    }

    /** Everything validated and read before training. */
    private record Plan(PackedSummary source, Optional<PackedSummary> validation, String archTable, List<Config> configs,
                        Placement placement, long cacheBytes, List<Integer> metricsIters) {
    }

    private Plan plan() {
        PackedSummary source = packedSummary("source_table", spec.sourceTable());
        if (source.isValidation()) {
            throw new IllegalArgumentException("source_table '" + spec.sourceTable() + "' is a validation table (of '"
                    + source.validationOf() + "'); give the packed training table");
        }
        long[] sourceRows = rowsPerPartition("source_table", spec.sourceTable(), source.partitions(), true);
        Optional<PackedSummary> validation = Optional.empty();
        long validationRows = 0;
        if (spec.validationTable().isPresent()) {
            String v = spec.validationTable().get();
            PackedSummary vs = packedSummary("validation_table", v);
            if (!vs.isValidation() || !spec.sourceTable().equals(vs.validationOf())) {
                throw new IllegalArgumentException("validation_table '" + v + "' was not packed for source_table '" + spec.sourceTable()
                        + "' (" + (vs.isValidation() ? "it validates '" + vs.validationOf() + "'" : "it is a training table")
                        + "); pack it with `hopper preprocess-validation --training-preprocessor-table " + spec.sourceTable() + "`");
            }
            for (long r : rowsPerPartition("validation_table", v, source.partitions(), false)) {
                validationRows += r;
            }
            validation = Optional.of(vs);
        }
        List<MstEntry> entries = ModelSelectionTable.read(store, spec.modelSelectionTable());
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("model_selection_table '" + spec.modelSelectionTable()
                    + "' is empty; fill it with `hopper load-model-selection-table`");
        }
        String archTable = ModelSelectionTable.archTable(store, spec.modelSelectionTable());
        Map<Integer, ModelArchTable.Entry> archs = new HashMap<>();
        ModelArchTable.readAll(store, archTable).forEach(e -> archs.put(e.modelId(), e));
        Set<Integer> unknown = new TreeSet<>();
        entries.stream().filter(e -> !archs.containsKey(e.modelId())).forEach(e -> unknown.add(e.modelId()));
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("model_selection_table '" + spec.modelSelectionTable() + "' refers to model_id "
                    + unknown + " that architecture table '" + archTable + "' does not have (it has " + new TreeSet<>(archs.keySet())
                    + "); rebuild the mst table from ids of that table");
        }
        Map<Integer, KerasArchitecture> parsed = new HashMap<>();
        for (MstEntry e : entries) {
            parsed.computeIfAbsent(e.modelId(), id -> checkShapes(id, archs.get(id).modelArch(), source));
        }
        Map<Integer, byte[]> warm = checkOutputTables();
        int partitions = source.partitions();
        int workers = spec.workers().orElse(Math.min(partitions, Runtime.getRuntime().availableProcessors()));
        if (workers > partitions) {
            throw new IllegalArgumentException("workers=" + workers + " is more than the " + partitions + " partitions of '"
                    + spec.sourceTable() + "'; use at most " + partitions + " workers (a worker owns whole partitions)");
        }
        List<Config> configs = new ArrayList<>();
        for (MstEntry e : entries) {
            Config c = new Config(e, new ModelSpec(archs.get(e.modelId()).modelArch(), e.parsedCompileParams(), e.parsedFitParams()));
            c.state = initialState(c, parsed.get(e.modelId()), archs.get(e.modelId()), warm.get(e.mstKey()));
            configs.add(c);
        }
        long xValues = 1;
        for (int d : source.sampleShape()) {
            xValues *= d;
        }
        long cached = 0;
        if (spec.useCaching()) {
            for (long r : sourceRows) {
                cached += r;
            }
            cached += validationRows;
        }
        List<Integer> metricsIters = new ArrayList<>();
        for (int i = 1; i <= spec.numIterations(); i++) {
            if (i % spec.metricsComputeFrequency() == 0 || i == spec.numIterations()) {
                metricsIters.add(i);
            }
        }
        return new Plan(source, validation, archTable, configs, Placement.roundRobin(partitions, workers),
                MemoryEstimate.cacheBytes(cached, xValues, source.numClasses()), metricsIters);
    }

    private PackedSummary packedSummary(String what, String table) {
        if (!store.exists(table)) {
            throw new IllegalArgumentException(what + " '" + table + "' does not exist in " + store.describe()
                    + "; pack the data with `hopper preprocess-training` (or preprocess-validation) first");
        }
        if (!store.schema(table).equals(PackedTables.SCHEMA) || !store.exists(PackedTables.summaryTable(table))) {
            throw new IllegalArgumentException(what + " '" + table + "' is not a packed table (columns "
                    + store.schema(table).names() + "); pack it with `hopper preprocess-training` (or preprocess-validation)");
        }
        return PackedTables.readSummary(store, table);
    }

    /** Rows per partition, read from the buffers' x_shape; every training partition must hold rows. */
    private long[] rowsPerPartition(String what, String table, int partitions, boolean everyPartition) {
        long[] rows = new long[partitions];
        int partitionIndex = PackedTables.SCHEMA.indexOf(PackedTables.PARTITION_COLUMN);
        int shapeIndex = PackedTables.SCHEMA.indexOf("x_shape");
        store.scan(table, row -> {
            int p = (Integer) row.get(partitionIndex);
            if (p < 0 || p >= partitions) {
                throw new IllegalStateException(what + " '" + table + "' has a buffer on partition " + p + " outside 0.."
                        + (partitions - 1) + "; repack the table");
            }
            @SuppressWarnings("unchecked")
            List<Integer> shape = (List<Integer>) row.get(shapeIndex);
            rows[p] += shape.get(0);
        });
        if (Arrays.stream(rows).sum() == 0) {
            throw new IllegalArgumentException(what + " '" + table + "' is empty; pack it from a source with rows");
        }
        for (int p = 0; everyPartition && p < partitions; p++) {
            if (rows[p] == 0) {
                throw new IllegalArgumentException(what + " '" + table + "' has no rows on partition " + p
                        + "; pack it with fewer --partitions so that every partition holds rows");
            }
        }
        return rows;
    }

    private KerasArchitecture checkShapes(int modelId, String json, PackedSummary source) {
        KerasArchitecture arch = KerasArchitecture.parse(json);
        long[] sample = source.sampleShape().stream().mapToLong(Integer::longValue).toArray();
        if (arch.inputShapes().size() != 1 || !arch.inputShapes().get(0).equals(new Shape(sample))) {
            throw new IllegalArgumentException("model_id " + modelId + ": the architecture's input shape " + arch.inputShapes()
                    + " does not match the samples " + source.sampleShape() + " of source_table '" + spec.sourceTable()
                    + "'; use an architecture whose input_shape is " + source.sampleShape());
        }
        if (arch.outputShapes().size() != 1 || !arch.outputShapes().get(0).equals(new Shape(source.numClasses()))) {
            throw new IllegalArgumentException("model_id " + modelId + ": the architecture's output shape " + arch.outputShapes()
                    + " does not match the " + source.numClasses() + " classes of source_table '" + spec.sourceTable()
                    + "'; use a last layer with " + source.numClasses() + " units");
        }
        return arch;
    }

    /** Checks O and its companions; with warm start returns O's states by mst key. */
    private Map<Integer, byte[]> checkOutputTables() {
        String out = spec.modelOutputTable();
        if (!spec.resume()) {
            ResumeRules.requireNoCheckpoint(out, store.exists(CheckpointTable.name(out)));
        }
        if (!spec.warmStart()) {
            for (String t : OutputTables.names(out)) {
                // On resume, outputs beside the checkpoint are what a final write left when it was interrupted.
                if (store.exists(t) && !(spec.resume() && store.exists(CheckpointTable.name(out)))) {
                    throw new IllegalArgumentException("Output table '" + t + "' already exists; drop it with `hopper table drop "
                            + out + "` or pass --warm-start to continue from it");
                }
            }
            return Map.of();
        }
        if (!store.exists(out) || !store.schema(out).equals(OutputTables.MODEL)) {
            throw new IllegalArgumentException("--warm-start: model_output_table '" + out + "' " + (store.exists(out)
                    ? "is not a Hopper model table (no model_state column)" : "does not exist")
                    + "; run without --warm-start first");
        }
        Map<Integer, byte[]> states = new HashMap<>();
        for (Row r : store.readAll(out)) {
            states.put((Integer) r.get(0), (byte[]) r.get(3));
        }
        return states;
    }

    /** The seed of a configuration's initial weights: a mix of (seed, mst_key). */
    static long initSeed(long seed, int mstKey) {
        return mix(mix(seed, INIT_STREAM), mstKey);
    }

    private byte[] initialState(Config c, KerasArchitecture arch, ModelArchTable.Entry archEntry, byte[] warm) {
        KerasNetwork network = new KerasNetwork(arch);
        try (TrainableModel model = new TrainableModel(network, c.model.compile(), initSeed(spec.seed(), c.key()))) {
            if (warm != null) {
                try {
                    model.importState(warm);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--warm-start: the state of mst_key " + c.key() + " in '" + spec.modelOutputTable()
                            + "' does not fit its configuration (" + e.getMessage() + "); drop the output table or use another one", e);
                }
            } else if (archEntry.modelWeights().isPresent()) {
                ByteBuffer bytes = archEntry.modelWeights().get().duplicate().order(ByteOrder.LITTLE_ENDIAN);
                float[] flat = new float[bytes.remaining() / Float.BYTES];
                bytes.asFloatBuffer().get(flat);
                network.setFlatKerasWeights(flat);
            }
            return model.exportState();
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** The arguments a resume must repeat: every setting that shapes the run (not the memory limit or checkpoint interval). */
    private Map<String, String> arguments(Plan plan) {
        Map<String, String> a = new TreeMap<>();
        a.put("--source-table", spec.sourceTable());
        a.put("--validation-table", spec.validationTable().orElse(""));
        a.put("--model-output-table", spec.modelOutputTable());
        a.put("--model-selection-table", spec.modelSelectionTable());
        a.put("--num-iterations", Integer.toString(spec.numIterations()));
        a.put("--metrics-compute-frequency", Integer.toString(spec.metricsComputeFrequency()));
        a.put("--warm-start", Boolean.toString(spec.warmStart()));
        a.put("--name", spec.name().orElse(""));
        a.put("--description", spec.description().orElse(""));
        a.put("--use-caching", Boolean.toString(spec.useCaching()));
        a.put("--workers", Integer.toString(plan.placement().workers()));
        a.put("--schedule", spec.schedule().label());
        a.put("--seed", Long.toString(spec.seed()));
        a.put("--replay", replay == null ? "" : "recorded visit orders");
        return a;
    }

    /** The SHA-256 of every input table by name: the packed tables' fingerprints, the mst and architecture tables' digests. */
    private Map<String, String> fingerprints(Plan plan) {
        Map<String, String> f = new TreeMap<>();
        f.put(spec.sourceTable(), Provenance.fingerprint(store, spec.sourceTable()));
        spec.validationTable().ifPresent(v -> f.put(v, Provenance.fingerprint(store, v)));
        f.put(spec.modelSelectionTable(), TableDigest.sha256(store, spec.modelSelectionTable()));
        f.put(plan.archTable(), TableDigest.sha256(store, plan.archTable()));
        return f;
    }

    // ---------------------------------------------------------------- seeds

    /** SplitMix64's finalizer applied to {@code a} advanced by stream {@code b}: a well-mixed combination. */
    static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of a unit: a mix of (seed, mst_key, iteration, partition), never of the worker. */
    static long unitSeed(long seed, int mstKey, int iteration, int partition) {
        return mix(mix(mix(seed, mstKey), iteration), partition);
    }

    // ---------------------------------------------------------------- training

    /** A schedule row. */
    private record Executed(int mstKey, int iteration, int partition, int worker, Phase phase, double startMs, double endMs,
                            String executor, int attempt) {
        Checkpoint.ScheduledUnit toCheckpoint() {
            return new Checkpoint.ScheduledUnit(mstKey, iteration, partition, worker, phase.label(), startMs, endMs, executor, attempt);
        }

        static Executed of(Checkpoint.ScheduledUnit u) {
            return new Executed(u.mstKey(), u.iteration(), u.partition(), u.worker(), Phase.of(u.phase()), u.startMs(), u.endMs(),
                    u.executor(), u.attempt());
        }
    }

    /** A unit the engine finished: its result, or the failure after its last attempt. */
    private record Finished(UnitTask task, UnitResult result, Throwable error) {
        /** The unit's failure after every attempt, or null (it has a result, or failed in another way). */
        UnitFailedException failure() {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return cause instanceof UnitFailedException u ? u : null;
        }
    }

    /** The training loop's state. */
    private final class Training {
        private final Plan plan;
        private final Map<Integer, Config> byKey = new LinkedHashMap<>();
        private final List<Executed> executed = new ArrayList<>();
        private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        private long unitsTotal;
        private long unitsDone;
        /** The session's state; null in a fixed-iteration fit. */
        private Session session;
        private long startNanos;
        private long storeReads;
        private int iteration;
        /** The run's arguments and input fingerprints, as its checkpoints record them (fixed-iteration fits). */
        private Map<String, String> arguments = Map.of();
        private Map<String, String> fingerprints = Map.of();
        private Checkpointer checkpointer;
        /** 1 for a first run, the checkpoint's attempt + 1 for a resumed one. */
        private int attempt = 1;
        /** The run's clock when this process started: the checkpoint's elapsed time when resumed. */
        private double offsetMs;
        private int firstIteration = 1;
        /** Train units of {@link #firstIteration} done before this process (resumed runs). */
        private final Set<Unit> doneBefore = new HashSet<>();
        /** What was resumed, for progress and the leaderboard; empty for a first run. */
        private String resumedAt = "";

        Training(Plan plan) {
            this.plan = plan;
            plan.configs().forEach(c -> byKey.put(c.key(), c));
            long perPass = (long) plan.configs().size() * plan.placement().partitions();
            unitsTotal = perPass * spec.numIterations()
                    + perPass * plan.metricsIters().size() * (plan.validation().isPresent() ? 2 : 1);
        }

        /** Continues from a checkpoint: states, metrics, visit orders, schedule rows and the run's clock. */
        void restore(Checkpoint cp) {
            if (!cp.configs().stream().map(Checkpoint.ConfigState::mstKey).toList().equals(List.copyOf(byKey.keySet()))) {
                throw new IllegalArgumentException("--resume: checkpoint '" + CheckpointTable.name(spec.modelOutputTable())
                        + "' holds other configurations than model_selection_table '" + spec.modelSelectionTable()
                        + "'; discard it with `hopper table drop " + CheckpointTable.name(spec.modelOutputTable()) + "`");
            }
            for (Checkpoint.ConfigState s : cp.configs()) {
                Config c = byKey.get(s.mstKey());
                c.state = s.state();
                c.divergedAt = s.divergedAt().isPresent() ? s.divergedAt().getAsInt() : null;
                c.failedAt = s.failedAt().isPresent() ? s.failedAt().getAsInt() : null;
                c.failure = s.failure().orElse(null);
                c.latestLoss = s.latestLoss();
                c.elapsed.addAll(s.metrics().elapsed());
                c.trainingLoss.addAll(s.metrics().trainingLoss());
                c.trainingMetric.addAll(s.metrics().trainingMetric());
                c.validationLoss.addAll(s.metrics().validationLoss());
                c.validationMetric.addAll(s.metrics().validationMetric());
                s.visitOrders().forEach(o -> c.visits.add(new ArrayList<>(o)));
            }
            cp.schedule().forEach(u -> executed.add(Executed.of(u)));
            attempt = cp.attempt() + 1;
            offsetMs = cp.elapsedMs();
            firstIteration = cp.completedIterations() + 1;
            for (Checkpoint.ConfigState s : cp.configs()) {
                s.visited(firstIteration).forEach(p -> doneBefore.add(new Unit(s.mstKey(), p, firstIteration)));
            }
            long perPass = (long) byKey.size() * plan.placement().partitions();
            long evalPasses = plan.metricsIters().stream().filter(i -> i < firstIteration).count() * (plan.validation().isPresent() ? 2 : 1);
            unitsDone = perPass * (firstIteration - 1) + doneBefore.size() + perPass * evalPasses;
            resumedAt = "resumed at iteration " + Math.min(firstIteration, spec.numIterations()) + " of " + spec.numIterations() + ", "
                    + cp.trainUnitsDone() + " units already done (attempt " + attempt + ")";
        }

        /** The run's progress now, with {@code completed} iterations whose metrics are all in. */
        Checkpoint snapshot(int completed) {
            List<Checkpoint.ConfigState> states = new ArrayList<>();
            for (Config c : byKey.values()) {
                states.add(new Checkpoint.ConfigState(c.key(), c.state, c.visits,
                        c.divergedAt == null ? OptionalInt.empty() : OptionalInt.of(c.divergedAt),
                        c.failedAt == null ? OptionalInt.empty() : OptionalInt.of(c.failedAt), Optional.ofNullable(c.failure), c.latestLoss,
                        new Checkpoint.Metrics(c.elapsed, c.trainingLoss, c.trainingMetric, c.validationLoss, c.validationMetric)));
            }
            return new Checkpoint(attempt, completed, elapsedMs(), arguments, fingerprints, states,
                    executed.stream().map(Executed::toCheckpoint).toList(), "");
        }

        /** A packed table's fingerprint: the one computed for the checkpoints, else computed now (sessions). */
        String fingerprint(String packedTable) {
            String known = fingerprints.get(packedTable);
            return known != null ? known : Provenance.fingerprint(store, packedTable);
        }

        /** Milliseconds on the run's clock (continued across resumes). */
        private double elapsedMs() {
            return offsetMs + (System.nanoTime() - startNanos) / 1e6;
        }

        void run(Engine engine) {
            Configurations configurations = new Configurations(List.copyOf(byKey.keySet()));
            Scheduler scheduler = replay != null ? new ReplayScheduler(configurations, plan.placement(), replay)
                    : spec.schedule() == FitSpec.Schedule.ROTATION
                    ? new RotationScheduler(configurations, plan.placement())
                    : new AsyncScheduler(configurations, plan.placement(), spec.seed());
            startNanos = System.nanoTime();
            checkpointer.boundary(snapshot(firstIteration - 1)); // from now on a crash at any moment can be resumed
            for (iteration = firstIteration; iteration <= spec.numIterations(); iteration++) {
                train(engine, scheduler);
                if (plan.metricsIters().contains(iteration)) {
                    evaluate(engine);
                }
                checkpointer.boundary(snapshot(iteration));
            }
        }

        private void train(Engine engine, Scheduler scheduler) {
            scheduler.start(iteration);
            int workers = plan.placement().workers();
            boolean[] busy = new boolean[workers];
            int running = 0;
            while (true) {
                boolean handed = true;
                while (handed) {
                    handed = false;
                    for (int w = 0; w < workers; w++) {
                        if (busy[w]) {
                            continue;
                        }
                        Optional<Unit> next = scheduler.next(w);
                        if (next.isEmpty()) {
                            continue;
                        }
                        Unit u = next.get();
                        Config c = byKey.get(u.mstKey());
                        if (doneBefore.contains(u)) { // trained before the interruption: its result is in c.state
                            scheduler.complete(u);
                            handed = true;
                            continue;
                        }
                        if (c.stopped()) {
                            scheduler.complete(u);
                            unitsDone++;
                            handed = true;
                            continue;
                        }
                        submit(engine, new UnitTask(u, Phase.TRAIN, spec.sourceTable(), c.model, c.state,
                                unitSeed(spec.seed(), u.mstKey(), u.iteration(), u.partition())));
                        busy[w] = true;
                        running++;
                    }
                }
                if (running == 0) {
                    if (scheduler.iterationDone()) {
                        return;
                    }
                    throw new IllegalStateException("fit: the scheduler stalled in iteration " + iteration
                            + " with no unit running; this is a bug");
                }
                Finished f = take();
                UnitResult r = f.result();
                busy[plan.placement().workerOf(f.task().unit().partition())] = false;
                running--;
                Config c = byKey.get(f.task().unit().mstKey());
                if (f.failure() != null) {
                    c.fail(iteration, f.failure());
                    scheduler.complete(f.task().unit());
                    unfinished(f);
                    checkpointer.unitCompleted(() -> snapshot(iteration - 1));
                    continue;
                }
                if (Double.isFinite(r.loss())) {
                    c.state = r.state();
                    c.latestLoss = r.loss();
                } else {
                    c.divergedAt = iteration;
                    c.latestLoss = r.loss();
                }
                scheduler.complete(f.task().unit());
                record(f);
                checkpointer.unitCompleted(() -> snapshot(iteration - 1));
                FaultPoints.reached("train-unit");
            }
        }

        private void evaluate(Engine engine) {
            List<String> tables = new ArrayList<>(List.of(spec.sourceTable()));
            spec.validationTable().ifPresent(tables::add);
            Map<String, Map<Integer, EvalResult[]>> results = new HashMap<>();
            int submitted = 0;
            for (String table : tables) {
                for (Config c : plan.configs()) {
                    for (int p = 0; p < plan.placement().partitions(); p++) {
                        if (c.stopped()) {
                            unitsDone++;
                            continue;
                        }
                        submit(engine, new UnitTask(new Unit(c.key(), p, iteration), Phase.EVAL, table, c.model, c.state, 0L));
                        submitted++;
                    }
                }
            }
            for (int i = 0; i < submitted; i++) {
                Finished f = take();
                if (f.failure() != null) {
                    byKey.get(f.task().unit().mstKey()).fail(iteration, f.failure());
                    unfinished(f);
                    continue;
                }
                UnitResult r = f.result();
                results.computeIfAbsent(f.task().table(), t -> new HashMap<>())
                        .computeIfAbsent(f.task().unit().mstKey(), k -> new EvalResult[plan.placement().partitions()])
                        [f.task().unit().partition()] = new EvalResult(r.loss(), r.metric(), r.samples());
                record(f);
            }
            double elapsedSeconds = elapsedMs() / 1000;
            for (Config c : plan.configs()) {
                Map<String, EvalResult[]> ofConfig = new HashMap<>();
                if (c.failedAt != null) {
                    addMetrics(c, ofConfig, elapsedSeconds);
                    continue;
                }
                results.forEach((table, byConfig) -> Optional.ofNullable(byConfig.get(c.key()))
                        .ifPresent(parts -> ofConfig.put(table, parts)));
                addMetrics(c, ofConfig, elapsedSeconds);
            }
        }

        /** Appends a metrics point to a configuration's curves: its eval results by table (none when diverged). */
        private void addMetrics(Config c, Map<String, EvalResult[]> results, double elapsedSeconds) {
            c.elapsed.add(elapsedSeconds);
            addMetrics(c, results.get(spec.sourceTable()), c.trainingLoss, c.trainingMetric);
            if (spec.validationTable().isPresent()) {
                addMetrics(c, results.get(spec.validationTable().get()), c.validationLoss, c.validationMetric);
            }
        }

        private void addMetrics(Config c, EvalResult[] parts, List<Double> loss, List<Double> metric) {
            if (parts == null) {
                loss.add(Double.NaN);
                metric.add(Double.NaN);
                return;
            }
            // Combined in partition order, so the sums do not depend on the order units finished.
            EvalResult all = EvalResult.combine(List.of(parts));
            loss.add(all.loss());
            metric.add(c.hasMetric() ? all.metric().orElse(Double.NaN) : Double.NaN);
        }

        void runSession(Engine engine, FitSession.Driver driver) {
            unitsTotal = 0;
            session = new Session(engine, driver);
            startNanos = System.nanoTime();
            session.run();
        }

        /** One fit session: the driver's control, the dynamic scheduler and the configurations' epochs. */
        private final class Session implements FitSession.Control {
            private final Engine engine;
            private final FitSession.Driver driver;
            private final int partitions = plan.placement().partitions();
            private final DynamicScheduler scheduler = new DynamicScheduler(plan.placement(), spec.seed());
            private final boolean[] busy = new boolean[plan.placement().workers()];
            /** Units submitted to each worker and not finished yet, train and eval. */
            private final int[] queued = new int[plan.placement().workers()];
            private final Set<Integer> added = new LinkedHashSet<>();
            private final Set<Integer> stopped = new HashSet<>();
            private final Map<Integer, Integer> targets = new HashMap<>();
            private final Map<Integer, Integer> epochs = new HashMap<>();
            private final SortedSet<Integer> metricEpochs = new TreeSet<>();
            private final Map<Integer, Map<String, EvalResult[]>> evals = new HashMap<>();
            private final Map<Integer, Integer> evalsPending = new HashMap<>();
            private int running;

            Session(Engine engine, FitSession.Driver driver) {
                this.engine = engine;
                this.driver = driver;
            }

            @Override
            public void add(int mstKey, int targetEpochs) {
                if (!byKey.containsKey(mstKey)) {
                    throw new IllegalArgumentException("fit session: mst_key " + mstKey + " is not in model_selection_table '"
                            + spec.modelSelectionTable() + "' (it has " + byKey.keySet() + "); add a key of that table");
                }
                scheduler.add(mstKey, targetEpochs);
                added.add(mstKey);
                epochs.put(mstKey, 0);
                setTarget(mstKey, targetEpochs);
            }

            @Override
            public void extend(int mstKey, int targetEpochs) {
                scheduler.extend(mstKey, targetEpochs);
                setTarget(mstKey, targetEpochs);
            }

            @Override
            public void stop(int mstKey) {
                scheduler.retire(mstKey);
                stopped.add(mstKey);
                setTarget(mstKey, epochs.get(mstKey));
            }

            /** Records a new target and counts the train units it adds (or removes). */
            private void setTarget(int mstKey, int target) {
                unitsTotal += (long) (target - targets.getOrDefault(mstKey, 0)) * partitions;
                targets.put(mstKey, target);
            }

            void run() {
                driver.start(this);
                while (true) {
                    handOut();
                    for (int w = 0; w < queued.length; w++) {
                        if (queued[w] == 0) {
                            driver.idle(w, this);
                            handOut();
                        }
                    }
                    if (running == 0) {
                        if (scheduler.quiet()) {
                            return;
                        }
                        throw new IllegalStateException("fit session: the scheduler stalled with no unit running; this is a bug");
                    }
                    Finished f = take();
                    running--;
                    queued[plan.placement().workerOf(f.task().unit().partition())]--;
                    iteration = f.task().unit().iteration();
                    if (f.task().phase() == Phase.TRAIN) {
                        trained(f);
                    } else {
                        evaluated(f);
                    }
                }
            }

            /** Hands a unit to every idle worker that has one; a diverged configuration's units complete unrun. */
            private void handOut() {
                boolean handed = true;
                while (handed) {
                    handed = false;
                    for (int w = 0; w < busy.length; w++) {
                        Optional<Unit> next = busy[w] ? Optional.empty() : scheduler.next(w);
                        if (next.isEmpty()) {
                            continue;
                        }
                        Unit u = next.get();
                        Config c = byKey.get(u.mstKey());
                        if (c.stopped()) {
                            unitsDone++;
                            handed = true;
                            if (scheduler.complete(u)) {
                                epochEnded(c, u.iteration());
                            }
                            continue;
                        }
                        submit(engine, new UnitTask(u, Phase.TRAIN, spec.sourceTable(), c.model, c.state,
                                unitSeed(spec.seed(), u.mstKey(), u.iteration(), u.partition())));
                        busy[w] = true;
                        queued[w]++;
                        running++;
                    }
                }
            }

            private void trained(Finished f) {
                UnitResult r = f.result();
                Unit u = f.task().unit();
                busy[plan.placement().workerOf(u.partition())] = false;
                Config c = byKey.get(u.mstKey());
                if (f.failure() != null) {
                    c.fail(u.iteration(), f.failure());
                    unfinished(f);
                    if (scheduler.complete(u)) {
                        epochEnded(c, u.iteration());
                    }
                    return;
                }
                if (Double.isFinite(r.loss())) {
                    c.state = r.state();
                } else {
                    c.divergedAt = u.iteration();
                }
                c.latestLoss = r.loss();
                record(f);
                if (scheduler.complete(u)) {
                    epochEnded(c, u.iteration());
                }
            }

            /** Computes the epoch's metrics when due (eval units; the configuration stays held), else tells the driver. */
            private void epochEnded(Config c, int epoch) {
                epochs.put(c.key(), epoch);
                if (epoch % spec.metricsComputeFrequency() != 0 && epoch < targets.get(c.key())) {
                    hear(c, epoch, Optional.empty());
                    return;
                }
                metricEpochs.add(epoch);
                if (c.stopped()) {
                    addMetrics(c, Map.of(), (System.nanoTime() - startNanos) / 1e9);
                    hear(c, epoch, Optional.of(outcome(c, plan.validation().isPresent())));
                    return;
                }
                List<String> tables = new ArrayList<>(List.of(spec.sourceTable()));
                spec.validationTable().ifPresent(tables::add);
                for (String table : tables) {
                    for (int p = 0; p < partitions; p++) {
                        submit(engine, new UnitTask(new Unit(c.key(), p, epoch), Phase.EVAL, table, c.model, c.state, 0L));
                        queued[plan.placement().workerOf(p)]++;
                    }
                }
                int submitted = tables.size() * partitions;
                running += submitted;
                unitsTotal += submitted;
                evalsPending.put(c.key(), submitted);
                evals.put(c.key(), new HashMap<>());
            }

            private void evaluated(Finished f) {
                UnitResult r = f.result();
                Unit u = f.task().unit();
                Config c = byKey.get(u.mstKey());
                if (f.failure() != null) {
                    c.fail(u.iteration(), f.failure());
                    unfinished(f);
                } else {
                    evals.get(u.mstKey()).computeIfAbsent(f.task().table(), t -> new EvalResult[partitions])[u.partition()] =
                            new EvalResult(r.loss(), r.metric(), r.samples());
                    record(f);
                }
                if (evalsPending.merge(u.mstKey(), -1, Integer::sum) == 0) {
                    Map<String, EvalResult[]> results = evals.remove(u.mstKey());
                    addMetrics(c, c.failedAt != null ? Map.of() : results, (System.nanoTime() - startNanos) / 1e9);
                    hear(c, u.iteration(), Optional.of(outcome(c, plan.validation().isPresent())));
                }
            }

            /** Tells the driver about the epoch, then releases the configuration unless the driver stopped it. */
            private void hear(Config c, int epoch, Optional<FitResult.ModelOutcome> metrics) {
                driver.epochEnded(new FitSession.EpochEnd(c.key(), epoch, targets.get(c.key()), metrics), this);
                if (!stopped.contains(c.key())) {
                    scheduler.release(c.key());
                }
            }
        }

        private void submit(Engine engine, UnitTask task) {
            CompletableFuture<UnitResult> future = engine.submit(task);
            future.whenComplete((r, e) -> finished.add(new Finished(task, r, e)));
        }

        private Finished take() {
            Finished f;
            try {
                f = finished.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("fit: interrupted while waiting for a unit", e);
            }
            if (f.error() != null && f.failure() == null) {
                Throwable cause = f.error() instanceof CompletionException && f.error().getCause() != null
                        ? f.error().getCause() : f.error();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("fit: unit " + f.task().unit() + " failed: " + cause.getMessage(), cause);
            }
            return f;
        }

        /** Counts a unit that failed on every attempt as done (it has no schedule row) and reports progress. */
        private void unfinished(Finished f) {
            unitsDone++;
            progress();
        }

        private void record(Finished f) {
            UnitResult r = f.result();
            Unit u = f.task().unit();
            executed.add(new Executed(u.mstKey(), u.iteration(), u.partition(), r.worker(), f.task().phase(),
                    offsetMs + (r.startNanos() - startNanos) / 1e6, offsetMs + (r.endNanos() - startNanos) / 1e6, r.executor(), attempt));
            if (f.task().phase() == Phase.TRAIN) {
                Config c = byKey.get(u.mstKey());
                while (c.visits.size() < u.iteration()) {
                    c.visits.add(new ArrayList<>());
                }
                c.visits.get(u.iteration() - 1).add(u.partition());
            }
            unitsDone++;
            progress();
        }

        private void progress() {
            Map<Integer, Double> losses = new LinkedHashMap<>();
            byKey.forEach((k, c) -> {
                if (c.divergedAt != null || !Double.isNaN(c.latestLoss)) { // NaN before its first unit: nothing to show yet
                    losses.put(k, c.latestLoss);
                }
            });
            listener.onProgress(new FitProgress(iteration, spec.numIterations(), unitsDone, unitsTotal,
                    (System.nanoTime() - startNanos) / 1_000_000, losses));
        }
    }

    // ---------------------------------------------------------------- outputs

    private FitResult write(Plan plan, List<Config> configs, int iterations, List<Integer> metricsIters, String visitOrders,
                            Training training, MemoryEstimate estimate, Instant start, Instant end) {
        List<Row> modelRows = new ArrayList<>();
        List<Row> infoRows = new ArrayList<>();
        List<FitResult.ModelOutcome> outcomes = new ArrayList<>();
        Map<Integer, KerasArchitecture> archs = new HashMap<>();
        boolean validated = plan.validation().isPresent();
        for (Config c : configs) {
            KerasArchitecture arch = archs.computeIfAbsent(c.entry.modelId(), id -> KerasArchitecture.parse(c.model.archJson()));
            byte[] weights = kerasWeights(arch, c);
            modelRows.add(Row.of(c.key(), weights, c.model.archJson(), c.state));
            FitResult.ModelOutcome outcome = outcome(c, validated);
            String status = outcome.status();
            Function<List<Double>, List<Double>> ifMetric = l -> c.hasMetric() ? l : null;
            infoRows.add(Row.of(c.key(), c.entry.modelId(), c.entry.compileParams(), c.entry.fitParams(), OutputTables.MODEL_TYPE,
                    weights.length / 1024.0, c.elapsed,
                    c.hasMetric() ? List.of(c.model.compile().metric().get().kerasName()) : null,
                    c.model.compile().loss().kerasName(),
                    c.hasMetric() ? last(c.trainingMetric) : null, last(c.trainingLoss),
                    ifMetric.apply(c.trainingMetric), c.trainingLoss,
                    validated && c.hasMetric() ? last(c.validationMetric) : null, validated ? last(c.validationLoss) : null,
                    validated ? ifMetric.apply(c.validationMetric) : null, validated ? c.validationLoss : null,
                    status));
            outcomes.add(outcome);
        }
        PackedSummary s = plan.source();
        Row summary = Row.of(spec.sourceTable(), spec.validationTable().orElse(null), spec.modelOutputTable(),
                OutputTables.info(spec.modelOutputTable()), s.dependentVarname(), s.independentVarname(), plan.archTable(),
                spec.modelSelectionTable(), iterations, spec.metricsComputeFrequency(), spec.warmStart(),
                spec.name().orElse(null), spec.description().orElse(null), start.toString(), end.toString(), Version.hopper(),
                s.numClasses(), s.classValues().isEmpty() ? null : s.classValues(), s.dependentVartype(), s.normalizingConst(),
                metricsIters, spec.seed(), spec.schedule().label(), plan.placement().workers(), spec.useCaching(),
                Provenance.currentJavaVersion(), Provenance.currentOs(), training.fingerprint(spec.sourceTable()),
                spec.validationTable().map(training::fingerprint).orElse(null), visitOrders);
        List<Row> scheduleRows = new ArrayList<>();
        for (Executed e : training.executed) {
            scheduleRows.add(Row.of(e.mstKey(), e.iteration(), e.partition(), e.worker(), e.phase().label(), e.startMs(), e.endMs(),
                    e.executor(), e.attempt()));
        }
        boolean leftovers = spec.resume() && OutputTables.names(spec.modelOutputTable()).stream().anyMatch(store::exists);
        OutputTables.write(store, spec.modelOutputTable(), modelRows, infoRows, summary, scheduleRows, spec.warmStart() || leftovers);
        double seconds = training.executed.isEmpty() ? 0 : training.executed.stream().mapToDouble(Executed::endMs).max().orElse(0) / 1000;
        return new FitResult(spec.modelOutputTable(), outcomes, estimate, plan.placement().workers(), training.storeReads, seconds,
                metricsIters, training.resumedAt);
    }

    /** A configuration's status and latest losses and metrics. */
    private static FitResult.ModelOutcome outcome(Config c, boolean validated) {
        String status = c.failedAt != null ? "failed at iteration " + c.failedAt + ": " + c.failure
                : c.divergedAt == null ? "ok" : "diverged at iteration " + c.divergedAt;
        return new FitResult.ModelOutcome(c.key(), status, last(c.trainingLoss), optional(c.hasMetric(), c.trainingMetric),
                optional(validated, c.validationLoss), optional(validated && c.hasMetric(), c.validationMetric));
    }

    private static byte[] kerasWeights(KerasArchitecture arch, Config c) {
        KerasNetwork network = new KerasNetwork(arch);
        try (TrainableModel model = new TrainableModel(network, c.model.compile(), 0)) {
            model.importState(c.state);
            float[] weights = network.flatKerasWeights();
            ByteBuffer b = ByteBuffer.allocate(Float.BYTES * weights.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(weights);
            return b.array();
        }
    }

    private static Double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    private static OptionalDouble optional(boolean present, List<Double> values) {
        return present ? OptionalDouble.of(last(values)) : OptionalDouble.empty();
    }
}
