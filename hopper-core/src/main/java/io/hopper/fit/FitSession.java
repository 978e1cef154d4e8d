package io.hopper.fit;

import io.hopper.fit.FitResult;
import io.hopper.model.params.MstEntry;

import java.util.Objects;
import java.util.Optional;

/**
 * The contract of a fit session ({@link FitMultipleModel#runSession}): one run on one engine in which a driver adds
 * configurations of the mst table at any time, each with its own target of epochs, and hears every finished
 * configuration epoch, so that it can raise that configuration's target, stop it, or add others.
 *
 * <p>The units go through {@link io.hopper.mop.DynamicScheduler}; a unit's seed is a mix of (seed, mst_key, epoch,
 * partition) as in a fit, metrics are eval units computed at the epochs where {@code epoch % metrics_compute_frequency
 * == 0} and at the epoch that reaches the configuration's target, and a configuration is held (trains no further)
 * from the end of its epoch until the driver has heard it. Whenever a worker has nothing to do the driver hears it
 * too. The session ends when no unit runs and no configuration can train: every configuration reached its target or
 * was stopped, and the driver, told that the workers are idle, added nothing.
 */
public final class FitSession {
    private FitSession() {
    }

    /** What the driver may do, from {@link Driver#start} and {@link Driver#epochEnded} only (the driver's thread). */
    public interface Control {
        /**
         * Starts configuration {@code mstKey} of the mst table from its initial state, to train {@code targetEpochs}.
         *
         * @throws IllegalArgumentException when the key is not in the mst table, was added before, or the target is
         *     below 1
         */
        void add(int mstKey, int targetEpochs);

        /**
         * Raises the target of configuration {@code mstKey} (running, or paused at its target) to {@code targetEpochs}
         * epochs in all.
         *
         * @throws IllegalArgumentException when the target is below the epochs it trained
         * @throws IllegalStateException when the configuration was never added or was stopped
         */
        void extend(int mstKey, int targetEpochs);

        /**
         * Ends configuration {@code mstKey} for good; allowed between its epochs only (from {@link Driver#epochEnded}
         * of that configuration, or while it is paused at its target).
         *
         * @throws IllegalStateException when it is in the middle of an epoch, never added or already stopped
         */
        void stop(int mstKey);

        /**
         * Starts a configuration that is not in the mst table (a search's proposal), planned as the mst table's are
         * (its architecture checked, its first state from the seed and its mst_key), to train {@code targetEpochs}.
         *
         * @throws IllegalArgumentException when its mst_key is taken, its model id is not in the architecture table,
         *     its architecture does not fit the data, or the target is below 1
         */
        void add(MstEntry entry, int targetEpochs);

        /**
         * The state (weights and optimizer state) of configuration {@code mstKey} now; from {@link Driver#epochEnded} of
         * that configuration, its state after that epoch. The array must not be modified.
         */
        byte[] state(int mstKey);

        /**
         * Replaces configuration {@code mstKey}'s settings and state between its epochs (from {@link Driver#epochEnded}
         * of that configuration): its next unit imports {@code state} and trains with {@code entry}'s compile and fit
         * params, keeping its own epoch count (population based training's exploit and explore). O_info records
         * {@code entry}'s params as the configuration's.
         *
         * @throws IllegalArgumentException when {@code entry}'s mst_key is another, or its model id is not in the
         *     architecture table (the state must be of that model's architecture)
         * @throws IllegalStateException when the configuration is in the middle of an epoch, never added or stopped
         */
        void replace(int mstKey, MstEntry entry, byte[] state);
    }

    /** The session's decisions; called on the fit's driver thread, one call at a time. */
    public interface Driver {
        /** Called once before any unit: add the first configurations. */
        void start(Control control);

        /** Called when a configuration finished an epoch, after its metrics when that epoch computes them. */
        void epochEnded(EpochEnd end, Control control);

        /**
         * Called when worker {@code worker} has nothing queued and no unit is available for it, so that the driver can
         * add a configuration or extend a paused one; it stays idle when the driver does neither. Called again after
         * every later event while the worker stays idle.
         */
        void idle(int worker, Control control);
    }

    /**
     * A finished configuration epoch.
     *
     * @param mstKey the configuration
     * @param epoch the epochs it has now trained in all
     * @param target its target when the epoch ended ({@code epoch == target}: it pauses unless extended)
     * @param metrics the losses and metrics after this epoch, when it computed them
     */
    public record EpochEnd(int mstKey, int epoch, int target, Optional<FitResult.ModelOutcome> metrics) {
        /** Validates. */
        public EpochEnd {
            Objects.requireNonNull(metrics, "metrics");
            if (epoch < 1 || target < epoch) {
                throw new IllegalArgumentException("epoch end: epoch=" + epoch + ", target=" + target
                        + "; need 1 <= epoch <= target");
            }
        }

        /** Whether the configuration reached its target with this epoch. */
        public boolean reachedTarget() {
            return epoch == target;
        }
    }
}
