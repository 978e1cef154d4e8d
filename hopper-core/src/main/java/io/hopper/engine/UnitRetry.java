package io.hopper.engine;

import io.hopper.mop.Unit;
import io.hopper.store.StoreUnavailableException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The retry rule both engines follow: a unit whose attempt throws runs again from the same starting state (the
 * task's state bytes, which nobody modifies), up to {@value #MAX_ATTEMPTS} attempts, each retry on the next worker
 * after the one that failed (the same worker when there is only one). After the last failed attempt the unit's
 * future fails with a {@link UnitFailedException}. A store that stayed unreachable past its own retries
 * ({@link StoreUnavailableException}) is not retried: the unit's future fails with it at once and the run stops.
 *
 * <p>Because every attempt imports the task's state and draws its random numbers from the task's unit seed, an
 * attempt that succeeds gives the same result whichever attempt it is and wherever it runs.
 */
public final class UnitRetry {
    /** Attempts per unit, the first included. */
    public static final int MAX_ATTEMPTS = 3;

    private UnitRetry() {
    }

    /** Runs one attempt of a unit on a worker. */
    @FunctionalInterface
    public interface Attempt {
        /**
         * Starts attempt {@code attempt} (from 1) of the unit on worker {@code worker}.
         *
         * @return the result, or a future that fails when the attempt failed
         */
        CompletableFuture<UnitResult> start(int worker, int attempt);
    }

    /**
     * Runs a unit with retries.
     *
     * @param unit the unit (for the failure's message)
     * @param owner the worker of the first attempt: the one that owns the unit's partition
     * @param workers how many workers there are; retry k runs on worker (owner + k) mod workers
     * @param attempt starts one attempt
     * @return the first successful attempt's result, or a failure with a {@link UnitFailedException}
     */
    public static CompletableFuture<UnitResult> run(Unit unit, int owner, int workers, Attempt attempt) {
        if (workers < 1 || owner < 0 || owner >= workers) {
            throw new IllegalArgumentException("unit retry: owner " + owner + " of " + workers + " workers; the owner must be a worker");
        }
        CompletableFuture<UnitResult> result = new CompletableFuture<>();
        start(unit, owner, workers, 1, attempt, result);
        return result;
    }

    /** The worker of attempt {@code attempt} (from 1) of a unit whose partition {@code owner} holds. */
    public static int workerOf(int owner, int workers, int attempt) {
        return (owner + attempt - 1) % workers;
    }

    private static void start(Unit unit, int owner, int workers, int n, Attempt attempt, CompletableFuture<UnitResult> result) {
        CompletableFuture<UnitResult> f;
        try {
            f = attempt.start(workerOf(owner, workers, n), n);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((r, e) -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (e == null) {
                result.complete(r);
            } else if (cause instanceof StoreUnavailableException) {
                result.completeExceptionally(cause); // the whole run stops; another attempt would wait as long again
            } else if (n >= MAX_ATTEMPTS) {
                result.completeExceptionally(new UnitFailedException(unit, n, cause));
            } else {
                start(unit, owner, workers, n + 1, attempt, result);
            }
        });
    }
}
