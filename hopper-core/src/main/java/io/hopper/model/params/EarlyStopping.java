package io.hopper.model.params;

import java.util.Objects;

/**
 * Keras's EarlyStopping callback as fit_params gives it: a configuration stops once its monitored value has not
 * improved by more than min_delta for patience metric computations in a row.
 *
 * @param monitor what is watched: 'loss', 'val_loss', a metric name or 'val_' and a metric name (Keras's default val_loss)
 * @param minDelta the smallest change that counts as an improvement (Keras's default 0), at least 0
 * @param patience how many computations without improvement are tolerated (Keras's default 0), at least 0
 * @param higherIsBetter true for mode 'max' (or 'auto' on an accuracy), false for 'min' (or 'auto' otherwise)
 */
public record EarlyStopping(String monitor, double minDelta, int patience, boolean higherIsBetter) {
    /** Validates. */
    public EarlyStopping {
        Objects.requireNonNull(monitor, "monitor");
        if (monitor.isBlank()) {
            throw new IllegalArgumentException("fit_params: EarlyStopping monitor is blank; use e.g. monitor='val_loss'");
        }
        if (!(minDelta >= 0 && Double.isFinite(minDelta))) {
            throw new IllegalArgumentException("fit_params: EarlyStopping min_delta=" + minDelta + " must be a finite number >= 0; use e.g. min_delta=0.0");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("fit_params: EarlyStopping patience=" + patience + " must be >= 0; use e.g. patience=2");
        }
    }

    /** Keras's mode 'auto': 'max' when the monitored name contains 'acc', else 'min'. */
    public static boolean autoHigherIsBetter(String monitor) {
        return monitor.contains("acc");
    }

    /** Whether a value improves on the best so far (Keras's monitor_op with min_delta): always true without a best. */
    public boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return higherIsBetter ? value - minDelta > best : value + minDelta < best;
    }

    /** The callback as a Python call with every setting explicit. */
    public String canonical() {
        return "EarlyStopping(min_delta=" + PyFormat.number(minDelta) + ", mode=" + PyFormat.string(higherIsBetter ? "max" : "min")
                + ", monitor=" + PyFormat.string(monitor) + ", patience=" + patience + ")";
    }
}
