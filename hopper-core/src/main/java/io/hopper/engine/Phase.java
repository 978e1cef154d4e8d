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

    /** The phase with this {@link #label()}; IllegalArgumentException for any other text. */
    public static Phase of(String label) {
        for (Phase p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("phase '" + label + "' is neither train nor eval");
    }
}
