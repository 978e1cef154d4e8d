package io.hopper.model.params;

import java.util.List;

/** The metrics Hopper reports, under their Keras names; higher is better except for mae and mse. */
public enum Metric {
    ACCURACY(List.of("accuracy", "acc"), true),
    CATEGORICAL_ACCURACY(List.of("categorical_accuracy"), true),
    BINARY_ACCURACY(List.of("binary_accuracy"), true),
    TOP_K_CATEGORICAL_ACCURACY(List.of("top_k_categorical_accuracy"), true),
    MAE(List.of("mae", "mean_absolute_error"), false),
    MSE(List.of("mse", "mean_squared_error"), false);

    private final List<String> names;
    private final boolean higherIsBetter;

    Metric(List<String> names, boolean higherIsBetter) {
        this.names = names;
        this.higherIsBetter = higherIsBetter;
    }

    /** The canonical Keras name. */
    public String kerasName() {
        return names.get(0);
    }

    /** Every name this metric is known by. */
    public List<String> names() {
        return names;
    }

    /** Whether a larger value is a better model. */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }
}
