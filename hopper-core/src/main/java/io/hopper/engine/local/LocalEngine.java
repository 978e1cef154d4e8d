package io.hopper.engine.local;

import io.hopper.data.PackedTables;
import io.hopper.engine.Engine;
import io.hopper.engine.UnitFault;
import io.hopper.engine.UnitResult;
import io.hopper.engine.UnitRetry;
import io.hopper.engine.UnitRunner;
import io.hopper.engine.UnitTask;
import io.hopper.mop.Placement;
import io.hopper.store.Store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded engine: W worker threads in this JVM, worker w owning the partitions {@link Placement} gives it and
 * running its units one at a time on its own thread.
 *
 * <p>Each worker runs its units with its own {@link UnitRunner} (the same runner the Spark executors use): a model
 * per mst key that imports the task's state before every unit, so results do not depend on what the worker ran
 * before, and with caching each (table, partition) decoded once, on its first visit, until {@link #close()} frees
 * it. {@link #storeReads()} counts the partition reads.
 *
 * <p>A unit that throws is retried as {@link UnitRetry} says: from the task's state, up to three attempts, each
 * retry on the next worker (which reads the partition from the store with a second runner that caches nothing,
 * since the partition is not its own). The runner drops the model of a unit that failed, so nothing of a failed
 * attempt is reused. Errors thrown by a unit (a StackOverflowError, say) are caught like exceptions; should a
 * worker's thread die anyway, its single-thread executor starts a new one for the next unit.
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
            return CompletableFuture.supplyAsync(() -> worker.run(task, attempt, w == owner), worker.thread);
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

    /** One worker: its thread and its {@link UnitRunner} (models and cache), used only from its thread. */
    private final class Worker {
        private final int index;
        private final ExecutorService thread;
        private final UnitRunner runner;
        /** Runs retries of units whose partitions other workers own: nothing cached. */
        private final UnitRunner visiting;

        Worker(int index) {
            this.index = index;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "hopper-worker-" + index);
                t.setDaemon(true);
                return t;
            });
            UnitRunner.PartitionReader reader = (table, partition) -> {
                storeReads.incrementAndGet();
                return PackedTables.readPartition(store, table, partition);
            };
            this.runner = new UnitRunner(useCaching, reader);
            this.visiting = new UnitRunner(false, reader);
        }

        UnitResult run(UnitTask task, int attempt, boolean owns) {
            long start = System.nanoTime();
            fault.beforeAttempt(task, index, attempt);
            UnitRunner.Ran r = (owns ? runner : visiting).run(task);
            return new UnitResult(index, r.state(), r.loss(), r.metric(), r.samples(), start, System.nanoTime(), UnitResult.LOCAL,
                    r.outputLosses(), r.outputMetrics());
        }

        void free() {
            runner.close();
            visiting.close();
        }
    }
}
