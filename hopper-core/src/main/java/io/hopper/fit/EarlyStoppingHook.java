package io.hopper.fit;

import io.hopper.model.params.EarlyStopping;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keras's EarlyStopping in a fixed-iteration fit: after each metric computation, a configuration whose fit_params
 * carry the callback compares its monitored value with its best so far; once it has not improved for patience
 * computations in a row (and it is not the first), it stops (O_info status {@code stopped early at iteration N}),
 * its remaining units complete unrun and the workers go to the others.
 */
final class EarlyStoppingHook {
    private EarlyStoppingHook() {
    }

    /**
     * Checks every running configuration with the callback after the metric computation of {@code iteration}.
     *
     * @param progress by mst key: {best, computations without improvement, computations seen}, updated in place
     */
    static void check(List<ConfigState> configs, int iteration, Map<Integer, double[]> progress) {
        for (ConfigState c : configs) {
            Optional<EarlyStopping> callback = c.model().fit().earlyStopping();
            if (callback.isEmpty() || c.stopped()) {
                continue;
            }
            if (observe(callback.get(), progress.computeIfAbsent(c.key(), k -> fresh()), InfoRow.last(c.curve(callback.get().monitor())))) {
                c.stopEarly(iteration);
            }
        }
    }

    /**
     * Rebuilds {@code progress} and the early stops from the curves a resumed run restored from its checkpoint, as
     * {@link #check} saw them point by point: the checkpoint records no early stop, but the curves determine it (a
     * configuration's curves end where it stopped; points from the iteration it diverged or failed on were never
     * checked). A fresh run has no points, so nothing changes.
     */
    static void replay(List<ConfigState> configs, Map<Integer, double[]> progress) {
        for (ConfigState c : configs) {
            Optional<EarlyStopping> callback = c.model().fit().earlyStopping();
            if (callback.isEmpty() || c.stoppedAt().isPresent()) {
                continue;
            }
            int haltedAt = Math.min(c.divergedAt().orElse(Integer.MAX_VALUE), c.failedAt().orElse(Integer.MAX_VALUE));
            List<Double> curve = c.curve(callback.get().monitor());
            List<Integer> epochs = c.metricEpochs();
            for (int i = 0; i < epochs.size() && i < curve.size() && epochs.get(i) < haltedAt; i++) {
                if (observe(callback.get(), progress.computeIfAbsent(c.key(), k -> fresh()), curve.get(i))) {
                    c.stopEarly(epochs.get(i));
                    break;
                }
            }
        }
    }

    private static double[] fresh() {
        return new double[] {Double.NaN, 0, 0};
    }

    /** Counts one monitored value into {@code p} ({best, computations without improvement, computations seen}); true: stop. */
    private static boolean observe(EarlyStopping e, double[] p, double value) {
        p[2]++;
        if (e.improves(value, p[0])) {
            p[0] = value;
            p[1] = 0;
            return false;
        }
        p[1]++;
        return p[1] >= e.patience() && p[2] > 1;
    }

    /** Refuses a monitor the fit cannot compute: a validation value without a validation table, or a metric the model lacks. */
    static void validate(int mstKey, io.hopper.engine.ModelSpec model, boolean validated) {
        Optional<EarlyStopping> callback = model.fit().earlyStopping();
        if (callback.isEmpty()) {
            return;
        }
        String monitor = callback.get().monitor();
        boolean validation = monitor.startsWith("val_");
        String name = validation ? monitor.substring(4) : monitor;
        if (validation && !validated) {
            throw new IllegalArgumentException("fit_params of mst_key " + mstKey + ": EarlyStopping monitors '" + monitor
                    + "' but the fit has no validation table; pass --validation-table or monitor='loss'");
        }
        boolean metric = model.compile().metric().isPresent()
                && (model.compile().metric().get().names().contains(name) || model.compile().metricName().orElse("").equals(name));
        if (!name.equals("loss") && !metric) {
            throw new IllegalArgumentException("fit_params of mst_key " + mstKey + ": EarlyStopping monitors '" + monitor
                    + "', which this configuration does not compute; monitor 'loss', 'val_loss' or its metric"
                    + model.compile().metricName().map(m -> " '" + m + "'").orElse(""));
        }
    }
}
