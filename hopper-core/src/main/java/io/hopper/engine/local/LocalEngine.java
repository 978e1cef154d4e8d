package io.hopper.engine.local;

import io.hopper.data.PackedBuffer;
import io.hopper.data.PackedTables;
import io.hopper.engine.Engine;
import io.hopper.engine.ModelSpec;
import io.hopper.engine.Phase;
import io.hopper.engine.UnitFault;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitRetry;
import io.hopper.engine.UnitTask;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.runtime.EvalResult;
import io.hopper.model.runtime.TrainResult;
import io.hopper.model.runtime.TrainableModel;
import io.hopper.mop.Placement;
import io.hopper.store.Store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded engine: W worker threads in this JVM, worker w owning the partitions {@link Placement} gives it and
 * running its units one at a time on its own thread.
 *
 * <p>Each worker keeps one {@link TrainableModel} per mst key it has run and imports the task's state into it
 * before every unit, so results do not depend on what the worker ran before. Without caching every unit reads its
 * partition from the store ({@link PackedTables#readPartition}); with caching a worker decodes each (table,
 * partition) once, on its first visit, and reuses the buffers for every later train and eval unit until
 * {@link #close()} frees them. {@link #storeReads()} counts the partition reads.
 *
 * <p>A unit that throws is retried as {@link UnitRetry} says: from the task's state, up to three attempts, each
 * retry on the next worker (which reads the partition from the store without caching it, since the partition is
 * not its own). A worker drops the model of a unit that failed, so the next unit of that configuration builds a
 * fresh one. Errors thrown by a unit (a StackOverflowError, say) are caught like exceptions; should a worker's
 * thread die anyway, its single-thread executor starts a new one for the next unit.
 */
public final class LocalEngine implements Engine {
    private static final long CLOSE_WAIT_SECONDS = 60;

    private final Store store;
    private final Placement placement;
    private final boolean useCaching;
    private final Worker[] workers;
    private final AtomicLong storeReads = new AtomicLong();
    private final UnitFault fault;

    /**
     * Starts the worker threads.
     *
     * @param store where the packed tables are
     * @param placement which worker owns which partitions
     * @param useCaching whether workers keep decoded partitions in memory after the first visit
     */
    public LocalEngine(Store store, Placement placement, boolean useCaching) {
        this(store, placement, useCaching, UnitFault.NONE);
    }

    /**
     * Starts the worker threads with a fault-injection hook (tests).
     *
     * @param fault called before every attempt of every unit, on its worker; throwing fails that attempt
     */
    public LocalEngine(Store store, Placement placement, boolean useCaching, UnitFault fault) {
        this.fault = fault;
        this.store = store;
        this.placement = placement;
        this.useCaching = useCaching;
        this.workers = new Worker[placement.workers()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w);
        }
    }

    @Override
    public Placement placement() {
        return placement;
    }

    @Override
    public CompletableFuture<UnitResult> submit(UnitTask task) {
        int owner = placement.workerOf(task.unit().partition());
        return UnitRetry.run(task.unit(), owner, workers.length, (w, attempt) -> {
            Worker worker = workers[w];
            return CompletableFuture.supplyAsync(() -> worker.attempt(task, attempt, w == owner), worker.thread);
        });
    }

    @Override
    public long storeReads() {
        return storeReads.get();
    }

    /** Whether workers cache partitions. */
    public boolean useCaching() {
        return useCaching;
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.thread.execute(w::free);
            w.thread.shutdown();
        }
        boolean interrupted = false;
        for (Worker w : workers) {
            try {
                if (!w.thread.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    w.thread.shutdownNow();
                }
            } catch (InterruptedException e) {
                w.thread.shutdownNow();
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One worker: its thread, its models and its cache; the maps are touched only from its thread. */
    private final class Worker {
        private final int index;
        private final ExecutorService thread;
        private final Map<Integer, TrainableModel> models = new HashMap<>();
        private final Map<String, Map<Integer, List<PackedBuffer>>> cache = new HashMap<>();

        Worker(int index) {
            this.index = index;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hopper-worker-" + index);
                t.setDaemon(true);
                return t;
            });
        }

        /** Runs one attempt; on failure drops the configuration's model so that nothing of the attempt is reused. */
        UnitResult attempt(UnitTask task, int attempt, boolean owns) {
            try {
                fault.beforeAttempt(task, index, attempt);
                return run(task, owns);
            } catch (RuntimeException | Error e) {
                TrainableModel model = models.remove(task.unit().mstKey());
                if (model != null) {
                    try {
                        model.close();
                    } catch (RuntimeException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private UnitResult run(UnitTask task, boolean owns) {
            long start = System.nanoTime();
            List<PackedBuffer> buffers = owns ? buffers(task.table(), task.unit().partition())
                    : read(task.table(), task.unit().partition());
            TrainableModel model = models.computeIfAbsent(task.unit().mstKey(), k -> build(task.model(), k));
            model.importState(task.state());
            if (task.phase() == Phase.TRAIN) {
                TrainResult r = model.trainPass(buffers, task.model().fit(), task.unitSeed());
                byte[] state = model.exportState();
                return new UnitResult(index, state, r.meanLoss(), OptionalDouble.empty(), r.samples(), start, System.nanoTime(), UnitResult.LOCAL);
            }
            EvalResult r = model.evaluate(buffers);
            return new UnitResult(index, task.state(), r.loss(), r.metric(), r.samples(), start, System.nanoTime(), UnitResult.LOCAL);
        }

        private List<PackedBuffer> buffers(String table, int partition) {
            if (!useCaching) {
                return read(table, partition);
            }
            return cache.computeIfAbsent(table, t -> new HashMap<>()).computeIfAbsent(partition, p -> read(table, p));
        }

        private List<PackedBuffer> read(String table, int partition) {
            storeReads.incrementAndGet();
            return PackedTables.readPartition(store, table, partition);
        }

        private TrainableModel build(ModelSpec spec, int mstKey) {
            // The seed only fills the weights until the first state is imported.
            return new TrainableModel(new KerasNetwork(KerasArchitecture.parse(spec.archJson())), spec.compile(), mstKey);
        }

        void free() {
            models.values().forEach(TrainableModel::close);
            models.clear();
            cache.clear();
        }
    }
}
