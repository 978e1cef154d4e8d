package io.hopper.fit;

import io.hopper.engine.Phase;
import io.hopper.mop.Unit;
import io.hopper.store.Store;
import io.hopper.store.TableDigest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The checkpoints of one fixed-iteration fit, as a {@link LoopListener}: it computes the run's arguments and input
 * fingerprints, takes over an interrupted run's checkpoint on {@code --resume} (after {@link ResumeRules} agree),
 * and writes the checkpoint when the loop starts, after units (at most every {@code --checkpoint-every}) and at every
 * iteration boundary ({@link Checkpointer}); the final write drops it in the outputs' operation ({@link FitRecorder}).
 */
final class RunCheckpoints implements LoopListener {
    private final Store store;
    private final FitSpec spec;
    private final FitPlan plan;
    private final Map<String, String> arguments;
    private final Map<String, String> fingerprints;
    private final Checkpointer checkpointer;
    private final List<ScheduleRow> rows = new ArrayList<>();
    private final LoopStart start;
    private final String resumedAt;
    private int completed;
    private long startNanos;

    private RunCheckpoints(Store store, FitSpec spec, FitPlan plan, boolean replay, Optional<Map<String, String>> search) {
        this.store = store;
        this.spec = spec;
        this.plan = plan;
        this.arguments = search.isPresent() ? sessionArguments(spec, plan, search.get()) : arguments(spec, plan, replay);
        this.fingerprints = fingerprints(store, spec, plan);
        this.checkpointer = new Checkpointer(store, spec.modelOutputTable(), spec.checkpointEvery());
        if (!spec.resume()) {
            start = LoopStart.FRESH;
            resumedAt = "";
            return;
        }
        Checkpoint cp = ResumeRules.resumable(spec.modelOutputTable(), CheckpointTable.read(store, spec.modelOutputTable()),
                arguments, fingerprints);
        List<ScheduleRow> before = cp.schedule().stream().map(u -> new ScheduleRow(u.mstKey(), u.iteration(), u.partition(),
                u.worker(), u.phase(), u.startMs(), u.endMs(), u.executor(), u.attempt())).toList();
        rows.addAll(before);
        if (search.isPresent()) {
            SessionLog.Course course;
            try {
                course = SessionLog.decode(cp.session());
            } catch (IllegalArgumentException e) {
                String table = CheckpointTable.name(spec.modelOutputTable());
                throw new IllegalArgumentException("checkpoint '" + table + "' is damaged (" + e.getMessage() + "); discard it with "
                        + "`hopper table drop " + table + "` and run the search again", e);
            }
            start = new LoopStart(1, Set.of(), before, cp.elapsedMs(), cp.attempt() + 1, 0,
                    Optional.of(new LoopStart.Replay(course, cp.configs())));
            resumedAt = "resumed with " + cp.trainUnitsDone() + " train units already done, the search's decisions replayed from "
                    + course.events().size() + " recorded unit results (attempt " + start.attempt() + ")";
            return;
        }
        List<Integer> keys = plan.configs().stream().map(ConfigState::key).toList();
        if (!cp.configs().stream().map(Checkpoint.ConfigState::mstKey).toList().equals(keys)) {
            throw new IllegalArgumentException("--resume: checkpoint '" + CheckpointTable.name(spec.modelOutputTable())
                    + "' holds other configurations than model_selection_table '" + spec.modelSelectionTable()
                    + "'; discard it with `hopper table drop " + CheckpointTable.name(spec.modelOutputTable()) + "`");
        }
        for (int i = 0; i < keys.size(); i++) {
            plan.configs().get(i).restore(cp.configs().get(i));
        }
        int first = cp.completedIterations() + 1;
        Set<Unit> doneBefore = new HashSet<>();
        cp.configs().forEach(s -> s.visited(first).forEach(p -> doneBefore.add(new Unit(s.mstKey(), p, first))));
        long perPass = (long) keys.size() * plan.placement().partitions();
        long evalPasses = plan.metricsIters().stream().filter(i -> i < first).count() * (plan.validated() ? 2 : 1);
        start = new LoopStart(first, doneBefore, before, cp.elapsedMs(), cp.attempt() + 1,
                perPass * (first - 1) + doneBefore.size() + perPass * evalPasses, Optional.empty());
        completed = cp.completedIterations();
        resumedAt = "resumed at iteration " + Math.min(first, spec.numIterations()) + " of " + spec.numIterations() + ", "
                + cp.trainUnitsDone() + " units already done (attempt " + start.attempt() + ")";
    }

    /**
     * The checkpoints of a run of {@code spec} planned as {@code plan}; with {@code --resume}, the interrupted run's
     * progress is restored into the plan's configurations.
     *
     * @param replay whether the run replays recorded visit orders
     * @throws IllegalArgumentException when {@code --resume} finds no checkpoint or one that does not match
     */
    static RunCheckpoints open(Store store, FitSpec spec, FitPlan plan, boolean replay) {
        return new RunCheckpoints(store, spec, plan, replay, Optional.empty());
    }

    /**
     * The checkpoints of a session of {@code spec} planned as {@code plan}, whose search has the arguments
     * {@code search} besides the session's own; with {@code --resume}, the loop starts by replaying the interrupted
     * session's course.
     *
     * @throws IllegalArgumentException when {@code --resume} finds no checkpoint or one that does not match
     */
    static RunCheckpoints openSession(Store store, FitSpec spec, FitPlan plan, Map<String, String> search) {
        return new RunCheckpoints(store, spec, plan, false, Optional.of(search));
    }

    /** Where the loop starts. */
    LoopStart start() {
        return start;
    }

    /** What was resumed ("resumed at iteration 4 of 10, 12 units already done (attempt 2)"), empty for a new run. */
    String resumedAt() {
        return resumedAt;
    }

    /** A packed table's fingerprint as computed for the checkpoints. */
    String fingerprint(String packedTable) {
        return fingerprints.get(packedTable);
    }

    /** The loop starts: the first checkpoint, so that a crash at any moment from now on can be resumed. */
    void started() {
        startNanos = System.nanoTime();
        checkpointer.boundary(snapshot());
    }

    @Override
    public void unitFinished(ScheduleRow unit, ConfigState config) {
        rows.add(unit);
        checkpointer.unitCompleted(this::snapshot);
    }

    @Override
    public void iterationEnded(int iteration, List<ConfigState> configs) {
        completed = iteration;
        checkpointer.boundary(snapshot());
    }

    @Override
    public void sessionStepped(Supplier<SessionProgress> progress, boolean boundary) {
        if (startNanos == 0) {
            startNanos = System.nanoTime();
        }
        if (boundary) {
            checkpointer.boundary(snapshot(progress.get()));
        } else {
            checkpointer.unitCompleted(() -> snapshot(progress.get()));
        }
    }

    /** The run's progress now. */
    private Checkpoint snapshot() {
        return snapshot(plan.configs(), "", Map.of());
    }

    /** A session's progress now. */
    private Checkpoint snapshot(SessionProgress progress) {
        return snapshot(progress.configs(), progress.course(), progress.readStates());
    }

    private Checkpoint snapshot(List<ConfigState> states, String session, Map<Integer, byte[]> read) {
        double elapsed = start.offsetMs() + (System.nanoTime() - startNanos) / 1e6;
        elapsed = Math.max(elapsed, rows.stream().mapToDouble(ScheduleRow::endMs).max().orElse(0));
        List<Checkpoint.ConfigState> configs = new ArrayList<>();
        for (ConfigState c : states) {
            List<List<Integer>> visits = new ArrayList<>();
            for (ScheduleRow r : rows) {
                if (r.mstKey() == c.key() && r.phase().equals(Phase.TRAIN.label())) {
                    while (visits.size() < r.iteration()) {
                        visits.add(new ArrayList<>());
                    }
                    visits.get(r.iteration() - 1).add(r.partition());
                }
            }
            configs.add(c.saved(visits).withReadState(Optional.ofNullable(read.get(c.key()))));
        }
        return new Checkpoint(start.attempt(), completed, elapsed, arguments, fingerprints, configs, rows.stream()
                .map(r -> new Checkpoint.ScheduledUnit(r.mstKey(), r.iteration(), r.partition(), r.worker(), r.phase(), r.startMs(),
                        r.endMs(), r.executor(), r.attempt())).toList(), session);
    }

    /** The arguments a resume must repeat: every setting that shapes the run (not the memory limit or checkpoint interval). */
    private static Map<String, String> arguments(FitSpec spec, FitPlan plan, boolean replay) {
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
        a.put("--replay", replay ? "recorded visit orders" : "");
        return a;
    }

    /**
     * A session's arguments: the fit's that the search does not derive (its iterations and metrics frequency come from
     * automl_params, it never warm-starts or replays; its seed is random_state) and the search's own.
     */
    private static Map<String, String> sessionArguments(FitSpec spec, FitPlan plan, Map<String, String> search) {
        Map<String, String> a = arguments(spec, plan, false);
        for (String derived : List.of("--num-iterations", "--metrics-compute-frequency", "--warm-start", "--replay")) {
            a.remove(derived);
        }
        if (search.containsKey("--random-state")) {
            a.remove("--seed");
        }
        a.putAll(search);
        return a;
    }

    /** The SHA-256 of every input table by name: the packed tables' fingerprints, the mst and architecture tables' digests. */
    private static Map<String, String> fingerprints(Store store, FitSpec spec, FitPlan plan) {
        Map<String, String> f = new TreeMap<>();
        f.put(spec.sourceTable(), Provenance.fingerprint(store, spec.sourceTable()));
        spec.validationTable().ifPresent(v -> f.put(v, Provenance.fingerprint(store, v)));
        f.put(spec.modelSelectionTable(), TableDigest.sha256(store, spec.modelSelectionTable()));
        f.put(plan.archTable(), TableDigest.sha256(store, plan.archTable()));
        return f;
    }
}
