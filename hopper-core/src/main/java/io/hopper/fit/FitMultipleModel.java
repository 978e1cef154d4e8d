package io.hopper.fit;

import io.hopper.engine.Engine;
import io.hopper.engine.EngineFactory;
import io.hopper.engine.local.LocalEngine;
import io.hopper.mop.AsyncScheduler;
import io.hopper.mop.Configurations;
import io.hopper.mop.ReplayScheduler;
import io.hopper.mop.RotationScheduler;
import io.hopper.mop.Scheduler;
import io.hopper.store.Store;
import io.hopper.store.StoreOperation;
import io.hopper.store.StoreUnavailableException;

import java.util.List;
import java.util.Map;

/**
 * MADlib's madlib_keras_fit_multiple_model with Model Hopper Parallelism, in three steps: {@link FitPlanner} (every
 * input validated before any work, the memory check, each configuration's first state) -> {@link UnitLoop} (units on
 * the engine, paced by iterations or by a {@link FitSession}) -> {@link FitRecorder} (O, O_info, O_summary and
 * O_schedule, written only when everything succeeded).
 */
public final class FitMultipleModel {
    private final Store store;
    private final FitSpec spec;
    private final ProgressListener listener;
    private final EngineFactory engines;
    private final LoopListener hooks;
    /** Recorded visit orders to replay instead of scheduling; null for a normal run. */
    private final Map<Integer, List<List<Integer>>> replay;

    /** A run of {@code spec} on {@code store} on the embedded engine ({@link LocalEngine}); {@code listener} hears the progress. */
    public FitMultipleModel(Store store, FitSpec spec, ProgressListener listener) {
        this(store, spec, listener, LocalEngine::new);
    }

    /** A run of {@code spec} on {@code store} on the engine {@code engines} starts once the placement is known. */
    public FitMultipleModel(Store store, FitSpec spec, ProgressListener listener, EngineFactory engines) {
        this(store, spec, listener, engines, LoopListener.NONE, null);
    }

    private FitMultipleModel(Store store, FitSpec spec, ProgressListener listener, EngineFactory engines, LoopListener hooks,
                             Map<Integer, List<List<Integer>>> replay) {
        this.store = store;
        this.spec = spec;
        this.listener = listener;
        this.engines = engines;
        this.hooks = hooks;
        this.replay = replay;
    }

    /**
     * This run, but training every configuration in the recorded visit orders ({@link ReplayScheduler}) instead of
     * scheduling: with the recorded seed and data it gives the recorded weights.
     *
     * @param visitOrders by mst key, per iteration, as {@link Provenance#visitOrders()} holds them
     */
    public FitMultipleModel replaying(Map<Integer, List<List<Integer>>> visitOrders) {
        return new FitMultipleModel(store, spec, listener, engines, hooks, Map.copyOf(visitOrders));
    }

    /** This run with {@code loopListener} hearing the loop's hook points ({@link LoopListener}). */
    public FitMultipleModel listening(LoopListener loopListener) {
        return new FitMultipleModel(store, spec, listener, engines, loopListener, replay);
    }

    /**
     * Plans, trains for the spec's iterations and writes the output tables.
     *
     * @throws IllegalArgumentException for bad input (one line naming the input, the rule and the fix), before any work
     */
    public FitResult run() {
        FitRun run;
        RunCheckpoints checkpoints;
        // O, its companions and O_leaderboard are locked from the check that O is free (or, with warm start, the read of
        // its states) to the end of training, so two fits of one output never run at once; the checkpoint
        // (O_checkpoint) is replaced on its own while the run goes on. The outputs and the checkpoint's drop are then
        // one operation (record), so a kill at any moment leaves either the checkpoint or the complete outputs.
        try (StoreOperation guard = store.begin(OutputTables.finalTables(spec.modelOutputTable()).stream()
                .filter(t -> !t.equals(CheckpointTable.name(spec.modelOutputTable()))).toList())) {
            FitPlan plan = FitPlanner.plan(store, spec, listener);
            Configurations configurations = new Configurations(plan.configs().stream().map(ConfigState::key).toList());
            Scheduler scheduler = replay != null ? new ReplayScheduler(configurations, plan.placement(), replay)
                    : spec.schedule() == FitSpec.Schedule.ROTATION ? new RotationScheduler(configurations, plan.placement())
                    : new AsyncScheduler(configurations, plan.placement(), spec.seed());
            checkpoints = RunCheckpoints.open(store, spec, plan, replay != null);
            if (spec.resume()) {
                listener.onResume(checkpoints.resumedAt());
            }
            LoopListener both = LoopListener.both(checkpoints, hooks);
            run = loop(plan, checkpoints.start(), both, l -> {
                checkpoints.started();
                return l.iterations(scheduler);
            });
        }
        return record(store, (s, op) -> FitRecorder.write(s, op, spec, run, checkpoints::fingerprint), spec.modelOutputTable())
                .withResumed(checkpoints.resumedAt());
    }

    /**
     * Runs {@code write} in one operation on {@link OutputTables#finalTables} of {@code out} and commits it. When the
     * server drops the operation's connection (a restart), the write goes again in a new operation, which begins once
     * the store is back (or gives up after --store-retry).
     */
    public static <T> T record(Store store, java.util.function.BiFunction<Store, StoreOperation, T> write, String out) {
        return record(store, write, OutputTables.finalTables(out));
    }

    /** {@link #record(Store, java.util.function.BiFunction, String)} in an operation on {@code tables}. */
    public static <T> T record(Store store, java.util.function.BiFunction<Store, StoreOperation, T> write, List<String> tables) {
        try (StoreOperation op = store.begin(tables)) {
            T result = write.apply(store, op);
            op.commit();
            return result;
        } catch (RuntimeException e) {
            if (!store.isTransient(e) || e instanceof StoreUnavailableException) {
                throw e;
            }
            try (StoreOperation again = store.begin(tables)) {
                T result = write.apply(store, again);
                again.commit();
                return result;
            }
        }
    }

    /**
     * Plans, then runs one {@link FitSession} that {@code driver} steers (configurations added at any time, each with
     * its own epochs; num_iterations is not used), and writes the output tables for the configurations it added:
     * O_info's curves hold each configuration's own metric epochs, O_summary's num_iterations the most epochs any
     * trained and its metrics_iters every epoch at which some configuration computed metrics; visit_orders is empty.
     *
     * @throws IllegalArgumentException for bad input, before any work
     */
    public FitResult runSession(FitSession.Driver driver) {
        FitRun run = session(driver);
        return record(store, (s, op) -> FitRecorder.write(s, op, spec, run), spec.modelOutputTable());
    }

    /**
     * {@link #runSession} without writing anything: the run in memory, for a search that writes its own tables. It keeps
     * a checkpoint ({@link #session(FitSession.Driver, Map)}) with no search arguments.
     *
     * @throws IllegalArgumentException for bad input, before any work
     */
    public FitRun session(FitSession.Driver driver) {
        return session(driver, Map.of());
    }

    /**
     * {@link #session(FitSession.Driver)} for a search whose own arguments are {@code searchArguments} (by option name, as
     * a resume must repeat them): the session keeps its checkpoint O_checkpoint, written when it starts, when a
     * configuration reaches its target and after units at most every {@code --checkpoint-every}; the search's final
     * write drops it ({@link FitRecorder#write} or the search's own, in the outputs' operation). With {@code --resume}
     * it continues the interrupted session: the driver's decisions are replayed from the recorded unit results (the
     * driver must decide as a pure function of its seed and the results), then only units not done run.
     *
     * @throws IllegalArgumentException for bad input, before any work; on {@code --resume}, when there is no checkpoint
     *     or it does not match (ResumeRules)
     */
    public FitRun session(FitSession.Driver driver, Map<String, String> searchArguments) {
        if (replay != null) {
            throw new IllegalStateException("fit: a session cannot replay visit orders; replay a fixed-iteration fit");
        }
        FitPlan plan = FitPlanner.plan(store, spec, listener, true);
        plan.configs().stream().filter(c -> c.model().fit().earlyStopping().isPresent()).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("fit_params of mst_key " + c.key() + ": EarlyStopping applies to fit-multiple-model;"
                    + " a search stops configurations by its own rule, so remove the callback");
        });
        RunCheckpoints checkpoints = RunCheckpoints.openSession(store, spec, plan, searchArguments);
        if (spec.resume()) {
            listener.onResume(checkpoints.resumedAt());
        }
        return loop(plan, checkpoints.start(), LoopListener.both(checkpoints, hooks), l -> l.session(driver))
                .withResumed(checkpoints.resumedAt());
    }

    private FitRun loop(FitPlan plan, LoopStart start, LoopListener loopHooks, java.util.function.Function<UnitLoop, FitRun> pace) {
        try (Engine engine = engines.start(store, plan.placement(), spec.useCaching())) {
            return pace.apply(new UnitLoop(spec, plan, engine, listener, loopHooks, start));
        } finally {
            listener.onEnd();
        }
    }
}
