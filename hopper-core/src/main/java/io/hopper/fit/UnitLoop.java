package io.hopper.fit;

import io.hopper.engine.Engine;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitFailedException;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitRetry;
import io.hopper.engine.UnitSeeds;
import io.hopper.engine.UnitTask;
import io.hopper.model.params.MstEntry;
import io.hopper.model.runtime.EvalResult;
import io.hopper.mop.DynamicScheduler;
import io.hopper.mop.Scheduler;
import io.hopper.mop.Unit;

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
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The second step of a fit: the one loop that hands units to the engine and takes the states back, paced either by
 * iterations ({@link #iterations}: a {@link Scheduler} per iteration, then the metrics of every configuration) or by
 * a session ({@link #session}: a {@link DynamicScheduler} steered by a {@link FitSession.Driver}, each
 * configuration with its own epochs). Both paces share every step: the hand-out to idle workers with the unit seeds
 * of {@link UnitSeeds}, divergence (a NaN or infinite training loss: the configuration keeps its last finite state
 * and its remaining units complete unrun), the evaluation fan-out over partitions combined in partition order, the
 * schedule rows, the progress and the {@link LoopListener} hooks. Single-threaded: results arrive on a queue.
 */
final class UnitLoop {
    private final FitSpec spec;
    private final FitPlan plan;
    private final ProgressListener progress;
    private final LoopListener hooks;
    private final Engine engine;
    private final LoopStart begin;
    private final int partitions;
    private final Map<Integer, ConfigState> byKey = new LinkedHashMap<>();
    private final List<ScheduleRow> executed = new ArrayList<>();
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    /** Per worker: whether it runs a train unit. */
    private final boolean[] busy;
    /** Per worker: units submitted and not finished, train and eval. */
    private final int[] queued;
    /** Eval results by configuration and table, until all of its eval units are in. */
    private final Map<Integer, Map<String, EvalResult[]>> evals = new HashMap<>();
    private final Map<Integer, Integer> evalsPending = new HashMap<>();
    /** What to do when all eval units of a configuration are in. */
    private Consumer<ConfigState> evaluated = c -> { };
    private int running;
    private long unitsTotal;
    private long unitsDone;
    private long startNanos;
    private int iteration;
    /** Each EarlyStopping configuration's best monitored value and computations without improvement, by mst key. */
    private final Map<Integer, double[]> earlyStopping = new HashMap<>();

    UnitLoop(FitSpec spec, FitPlan plan, Engine engine, ProgressListener progress, LoopListener hooks, LoopStart begin) {
        this.begin = begin;
        this.spec = spec;
        this.plan = plan;
        this.engine = engine;
        this.progress = progress;
        this.hooks = hooks;
        this.partitions = plan.placement().partitions();
        this.busy = new boolean[plan.placement().workers()];
        this.queued = new int[plan.placement().workers()];
        plan.configs().forEach(c -> byKey.put(c.key(), c));
        executed.addAll(begin.before());
        unitsDone = begin.unitsDone();
        EarlyStoppingHook.replay(plan.configs(), earlyStopping); // a resumed run: who stopped early, and everyone's patience
    }

    // ---------------------------------------------------------------- paced by iterations

    /** Trains every configuration for the spec's iterations in the order {@code scheduler} gives. */
    FitRun iterations(Scheduler scheduler) {
        long perPass = (long) plan.configs().size() * partitions;
        unitsTotal = perPass * spec.numIterations() + perPass * plan.metricsIters().size() * (plan.validated() ? 2 : 1);
        Instant start = Instant.now();
        startNanos = System.nanoTime();
        for (iteration = begin.firstIteration(); iteration <= spec.numIterations(); iteration++) {
            scheduler.start(iteration);
            while (true) {
                handOut(scheduler::next, u -> {
                    scheduler.complete(u);
                });
                if (running == 0) {
                    if (scheduler.iterationDone()) {
                        break;
                    }
                    throw new IllegalStateException("fit: the scheduler stalled in iteration " + iteration
                            + " with no unit running; this is a bug");
                }
                Finished f = step();
                if (f.task().phase() == Phase.TRAIN) {
                    scheduler.complete(f.task().unit());
                    FaultPoints.reached("train-unit");
                }
            }
            if (plan.metricsIters().contains(iteration)) {
                for (ConfigState c : plan.configs()) {
                    if (evaluate(c, iteration) == 0) {
                        unitsDone += (long) partitions * (plan.validated() ? 2 : 1);
                    }
                }
                while (running > 0) {
                    step();
                }
                double elapsedSeconds = seconds();
                for (ConfigState c : plan.configs()) {
                    if (c.stoppedAt().isEmpty()) { // a configuration stopped early keeps the curves it had
                        addMetrics(c, iteration, Optional.ofNullable(evals.remove(c.key())).orElse(Map.of()), elapsedSeconds);
                    }
                }
            }
            if (plan.metricsIters().contains(iteration)) { // before the hooks: the iteration's checkpoint sees who stopped
                EarlyStoppingHook.check(plan.configs(), iteration, earlyStopping);
            }
            hooks.iterationEnded(iteration, plan.configs());
        }
        return new FitRun(plan, plan.configs(), executed, spec.numIterations(), plan.metricsIters(), false, engine.storeReads(),
                start, Instant.now());
    }

    // ---------------------------------------------------------------- paced by a session

    /** Runs one session that {@code driver} steers; see {@link FitSession}. */
    FitRun session(FitSession.Driver driver) {
        Instant start = Instant.now();
        startNanos = System.nanoTime();
        Session s = new Session(driver);
        evaluated = c -> {
            addMetrics(c, s.epochs.get(c.key()), evals.remove(c.key()), seconds());
            s.hear(c, s.epochs.get(c.key()), true);
        };
        s.run();
        List<ConfigState> added = byKey.values().stream().filter(c -> s.added.contains(c.key())).toList();
        int epochs = added.stream().mapToInt(c -> s.epochs.get(c.key())).max().orElse(0);
        return new FitRun(plan, added, executed, epochs, List.copyOf(s.metricEpochs), true, engine.storeReads(), start,
                Instant.now());
    }

    /** One fit session: the driver's control, the dynamic scheduler and the configurations' epochs. */
    private final class Session implements FitSession.Control {
        private final FitSession.Driver driver;
        private final DynamicScheduler scheduler;
        private final Set<Integer> added = new LinkedHashSet<>();
        private final Set<Integer> stopped = new HashSet<>();
        private final Map<Integer, Integer> targets = new HashMap<>();
        private final Map<Integer, Integer> epochs = new HashMap<>();
        private final SortedSet<Integer> metricEpochs = new TreeSet<>();

        Session(FitSession.Driver driver) {
            this.driver = driver;
            this.scheduler = new DynamicScheduler(plan.placement(), spec.seed(), spec.schedule() == FitSpec.Schedule.ROTATION);
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
        public void add(MstEntry entry, int targetEpochs) {
            if (byKey.containsKey(entry.mstKey())) {
                throw new IllegalArgumentException("fit session: mst_key " + entry.mstKey() + " is taken (keys " + byKey.keySet()
                        + "); give a new configuration a new key");
            }
            if (targetEpochs < 1) {
                throw new IllegalArgumentException("fit session: target " + targetEpochs + " for mst_key " + entry.mstKey()
                        + " is below 1; train at least one epoch");
            }
            byKey.put(entry.mstKey(), plan.planner().plan(entry));
            add(entry.mstKey(), targetEpochs);
        }

        @Override
        public byte[] state(int mstKey) {
            ConfigState c = byKey.get(mstKey);
            if (c == null || !added.contains(mstKey)) {
                throw new IllegalStateException("fit session: mst_key " + mstKey + " was never added; add it before reading its state");
            }
            return c.state();
        }

        @Override
        public void replace(int mstKey, MstEntry entry, byte[] state) {
            if (!added.contains(mstKey) || stopped.contains(mstKey) || !scheduler.betweenEpochs(mstKey)) {
                throw new IllegalStateException("fit session: mst_key " + mstKey + " is not between its epochs (never added,"
                        + " stopped, or in the middle of an epoch); replace a configuration from its epochEnded");
            }
            byKey.get(mstKey).replace(entry, plan.planner().model(entry), state);
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
                handOut(scheduler::next, this::completeUnrun);
                for (int w = 0; w < queued.length; w++) {
                    if (queued[w] == 0) {
                        driver.idle(w, this);
                        handOut(scheduler::next, this::completeUnrun);
                    }
                }
                if (running == 0) {
                    if (scheduler.quiet()) {
                        return;
                    }
                    throw new IllegalStateException("fit session: the scheduler stalled with no unit running; this is a bug");
                }
                Finished f = step();
                if (f.task().phase() == Phase.TRAIN && scheduler.complete(f.task().unit())) {
                    epochEnded(byKey.get(f.task().unit().mstKey()), f.task().unit().iteration());
                }
            }
        }

        private void completeUnrun(Unit u) {
            if (scheduler.complete(u)) {
                epochEnded(byKey.get(u.mstKey()), u.iteration());
            }
        }

        /** Computes the epoch's metrics when due (eval units; the configuration stays held), else tells the driver. */
        private void epochEnded(ConfigState c, int epoch) {
            epochs.put(c.key(), epoch);
            if (epoch % spec.metricsComputeFrequency() != 0 && epoch < targets.get(c.key())) {
                hear(c, epoch, false);
                return;
            }
            metricEpochs.add(epoch);
            if (c.stopped()) {
                addMetrics(c, epoch, Map.of(), seconds());
                hear(c, epoch, true);
                return;
            }
            unitsTotal += evaluate(c, epoch);
        }

        /** Tells the listener and the driver about the epoch, then releases the configuration unless it was stopped. */
        void hear(ConfigState c, int epoch, boolean withMetrics) {
            hooks.epochEnded(c, epoch);
            driver.epochEnded(new FitSession.EpochEnd(c.key(), epoch, targets.get(c.key()),
                    withMetrics ? Optional.of(c.outcome(plan.validated())) : Optional.empty()), this);
            if (!stopped.contains(c.key())) {
                scheduler.release(c.key());
            }
        }
    }

    // ---------------------------------------------------------------- the steps both paces share

    /** A unit the engine finished: its result, or its failure after the last attempt ({@link UnitRetry}). */
    private record Finished(UnitTask task, UnitResult result, Throwable error) {
        /** The unit's failure after every attempt, or null (it has a result, or failed in another way). */
        UnitFailedException failure() {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return cause instanceof UnitFailedException u ? u : null;
        }
    }

    /**
     * Hands a train unit to every idle worker that has one; a diverged configuration's units go to
     * {@code completeUnrun} instead of the engine.
     */
    private void handOut(IntFunction<Optional<Unit>> next, Consumer<Unit> completeUnrun) {
        boolean handed = true;
        while (handed) {
            handed = false;
            for (int w = 0; w < busy.length; w++) {
                Optional<Unit> u = busy[w] ? Optional.empty() : next.apply(w);
                if (u.isEmpty()) {
                    continue;
                }
                ConfigState c = byKey.get(u.get().mstKey());
                if (begin.doneBefore().contains(u.get())) { // trained before the interruption: its result is in the state
                    handed = true;
                    completeUnrun.accept(u.get());
                    continue;
                }
                if (c.stopped()) {
                    unitsDone++;
                    handed = true;
                    completeUnrun.accept(u.get());
                    continue;
                }
                submit(new UnitTask(u.get(), Phase.TRAIN, spec.sourceTable(), c.model(), c.state(),
                        UnitSeeds.unit(spec.seed(), u.get().mstKey(), u.get().iteration(), u.get().partition())));
                busy[w] = true;
            }
        }
    }

    /**
     * Submits the eval units of {@code c} at {@code epoch} (every partition of the training and validation tables);
     * none when it diverged.
     *
     * @return how many it submitted
     */
    private int evaluate(ConfigState c, int epoch) {
        if (c.stopped()) {
            return 0;
        }
        List<String> tables = new ArrayList<>(List.of(spec.sourceTable()));
        spec.validationTable().ifPresent(tables::add);
        for (String table : tables) {
            for (int p = 0; p < partitions; p++) {
                submit(new UnitTask(new Unit(c.key(), p, epoch), Phase.EVAL, table, c.model(), c.state(), 0L));
            }
        }
        int submitted = tables.size() * partitions;
        evalsPending.put(c.key(), submitted);
        evals.put(c.key(), new HashMap<>());
        return submitted;
    }

    private void submit(UnitTask task) {
        queued[plan.placement().workerOf(task.unit().partition())]++;
        running++;
        CompletableFuture<UnitResult> future = engine.submit(task);
        future.whenComplete((r, e) -> finished.add(new Finished(task, r, e)));
    }

    /** Takes the next finished unit and applies it: a train unit's state, an eval unit's result. */
    private Finished step() {
        Finished f = take();
        UnitResult r = f.result();
        Unit u = f.task().unit();
        running--;
        queued[plan.placement().workerOf(u.partition())]--;
        iteration = u.iteration();
        ConfigState c = byKey.get(u.mstKey());
        if (f.failure() != null) {
            c.failed(u.iteration(), f.failure().reason()); // only this configuration fails; its state stays
            unitsDone++;
            progress();
        }
        if (f.task().phase() == Phase.TRAIN) {
            busy[plan.placement().workerOf(u.partition())] = false; // a retry may have run on another worker
            if (f.failure() == null) {
                c.trained(u.iteration(), r.state(), r.loss());
                record(f, c);
            }
        } else {
            if (f.failure() == null) {
                evals.get(u.mstKey()).computeIfAbsent(f.task().table(), t -> new EvalResult[partitions])[u.partition()] =
                        r.eval();
                record(f, c);
            }
            if (evalsPending.merge(u.mstKey(), -1, Integer::sum) == 0) {
                evalsPending.remove(u.mstKey());
                evaluated.accept(c);
            }
        }
        return f;
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

    /** Appends a metrics point to a configuration's curves: its eval results by table (none when diverged). */
    private void addMetrics(ConfigState c, int epoch, Map<String, EvalResult[]> results, double elapsedSeconds) {
        EvalResult training = combine(c, results.get(spec.sourceTable()));
        Optional<EvalResult> validation = spec.validationTable().map(v -> combine(c, results.get(v)));
        c.addMetrics(epoch, elapsedSeconds, values(c, training), validation.map(v -> values(c, v)));
        c.outputMetrics(training, validation);
    }

    /** Loss and metric over all partitions, combined in partition order (so they do not depend on completion order); null when not computed. */
    private static EvalResult combine(ConfigState c, EvalResult[] parts) {
        if (parts == null || c.failedAt().isPresent() || Arrays.asList(parts).contains(null)) {
            return null;
        }
        return EvalResult.combine(List.of(parts));
    }

    private static double[] values(ConfigState c, EvalResult all) {
        if (all == null) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {all.loss(), c.hasMetric() ? all.metric().orElse(Double.NaN) : Double.NaN};
    }

    /** Seconds on the run's clock (continued from the checkpoint when resumed). */
    private double seconds() {
        return (begin.offsetMs() + (System.nanoTime() - startNanos) / 1e6) / 1e3;
    }

    private void record(Finished f, ConfigState c) {
        UnitResult r = f.result();
        Unit u = f.task().unit();
        ScheduleRow row = new ScheduleRow(u.mstKey(), u.iteration(), u.partition(), r.worker(), f.task().phase().label(),
                begin.offsetMs() + (r.startNanos() - startNanos) / 1e6, begin.offsetMs() + (r.endNanos() - startNanos) / 1e6,
                r.executor(), begin.attempt());
        executed.add(row);
        unitsDone++;
        progress();
        hooks.unitFinished(row, c);
    }

    private void progress() {
        Map<Integer, Double> losses = new LinkedHashMap<>();
        byKey.forEach((k, other) -> {
            if (other.diverged() || !Double.isNaN(other.latestLoss())) { // NaN before its first unit: nothing to show yet
                losses.put(k, other.latestLoss());
            }
        });
        progress.onProgress(new FitProgress(iteration, spec.numIterations(), unitsDone, unitsTotal,
                (System.nanoTime() - startNanos) / 1_000_000, losses));
    }
}
