package io.hopper.model.params;

import java.util.List;

/** The losses Hopper trains with, under their Keras names. */
public enum Loss {
    CATEGORICAL_CROSSENTROPY(List.of("categorical_crossentropy")),
    BINARY_CROSSENTROPY(List.of("binary_crossentropy")),
    MEAN_SQUARED_ERROR(List.of("mean_squared_error", "mse")),
    MEAN_ABSOLUTE_ERROR(List.of("mean_absolute_error", "mae")),
    CATEGORICAL_HINGE(List.of("categorical_hinge")),
    KULLBACK_LEIBLER_DIVERGENCE(List.of("kullback_leibler_divergence", "kld"));

    private final List<String> names;

    Loss(List<String> names) {
        this.names = names;
    }

    /** The canonical Keras name (the first of its names). */
    public String kerasName() {
        return names.get(0);
    }

    /** Every name this loss is known by. */
    public List<String> names() {
        return names;
    }
}
