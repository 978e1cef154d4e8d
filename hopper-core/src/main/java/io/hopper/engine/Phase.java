package io.hopper.engine;

/**
 * What a unit does with its partition: train the model one pass over it, or evaluate the model on it.
 */
public enum Phase {
    /** One training pass (fit_params epochs) over the partition; the state changes. */
    TRAIN,
    /** Loss and metric over the partition; the state does not change. */
    EVAL;

    /** The name written to the schedule table: {@code train} or {@code eval}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
