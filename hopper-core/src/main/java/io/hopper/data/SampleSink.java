package io.hopper.data;

/** Receives the raw rows a {@link SampleSource} reads, one call per row. */
interface SampleSink {
    /**
     * Takes one row.
     *
     * @param x the row's X values, row-major; valid only during the call
     * @param shape the shape of one sample of X; valid only during the call
     * @param y the Y value as text, null for a missing value (NULL); ignored when {@code yArray} is given
     * @param yArray the Y array of an already one-hot Y, else null; valid only during the call
     * @param position the row's line, row or image number (1-based), for messages
     */
    void accept(double[] x, int[] shape, String y, double[] yArray, long position);
}
