package io.hopper.data;

/** Receives the raw rows a {@link SampleSource} reads, one call per row. */
interface SampleSink {
    /**
     * Takes one row: one X per independent-variable group and one Y per dependent variable.
     *
     * @param xs each group's X values, row-major; valid only during the call
     * @param shapes the shape of one sample of each group's X; valid only during the call
     * @param ys each Y value as text, null for a missing value (NULL); ignored where {@code yArrays} has an array
     * @param yArrays each Y's array when that Y is already one-hot, else a null entry; valid only during the call
     * @param position the row's line, row or image number (1-based), for messages
     */
    void accept(double[][] xs, int[][] shapes, String[] ys, double[][] yArrays, long position);
}
