package io.hopper.fit;

import io.hopper.store.Store;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Keeps a running fit's checkpoint in its store: written at every iteration boundary and, within an iteration, after
 * a completed unit when at least {@code every} has passed since the last write (never when {@code every} is zero);
 * dropped by the run's final write ({@link FitRecorder}). Each write replaces the previous checkpoint atomically, so the store holds one
 * state per configuration.
 */
final class Checkpointer {
    private final Store store;
    private final String out;
    private final long everyNanos;
    private long lastWrite;

    /**
     * A checkpointer of {@code out}'s run whose interval starts now.
     *
     * @param every the least time between two writes within an iteration; zero = boundaries only
     */
    Checkpointer(Store store, String out, Duration every) {
        this.store = store;
        this.out = out;
        this.everyNanos = every.toNanos();
        this.lastWrite = System.nanoTime();
    }

    /** After a completed unit: writes the snapshot when the interval has passed. */
    void unitCompleted(Supplier<Checkpoint> snapshot) {
        if (everyNanos > 0 && System.nanoTime() - lastWrite >= everyNanos) {
            write(snapshot.get());
        }
    }

    /** At an iteration boundary: writes the snapshot. */
    void boundary(Checkpoint checkpoint) {
        write(checkpoint);
    }

    private void write(Checkpoint checkpoint) {
        CheckpointTable.write(store, out, checkpoint);
        FaultPoints.reached("checkpoint");
        lastWrite = System.nanoTime();
    }
}
