package io.hopper.data;

/**
 * How many rows go into each buffer, by MADlib's rule: {@code b = ceil(min(75e6 / product(X dims), rows / partitions))}
 * (or the requested buffer size), then {@code nbuf = partitions * ceil(rows / b / partitions)} and the real size
 * {@code ceil(rows / nbuf)}. Buffer {@code i} holds rows {@code [i * size, min((i + 1) * size, rows))} and goes to
 * partition {@code i % partitions}.
 *
 * <p>Examples: 120 rows on 2 partitions give 2 buffers of 60; 52 rows on 3 give 18, 18 and 16.
 *
 * @param rows the number of rows, at least 1
 * @param partitions the number of partitions, at least 1
 * @param bufferSize the real buffer size
 * @param buffers the number of non-empty buffers, {@code ceil(rows / bufferSize)}
 */
public record BufferPlan(long rows, int partitions, int bufferSize, int buffers) {
    /** MADlib's cap on the number of X values in one default buffer. */
    public static final double MAX_VALUES_PER_BUFFER = 75e6;

    /** Checks the plan is consistent. */
    public BufferPlan {
        if (rows < 1 || partitions < 1 || bufferSize < 1 || buffers != (rows + bufferSize - 1) / bufferSize) {
            throw new IllegalArgumentException("buffer plan: inconsistent rows " + rows + ", partitions " + partitions
                    + ", buffer size " + bufferSize + ", buffers " + buffers);
        }
    }

    /**
     * Plans the buffers.
     *
     * @param rows the number of rows, at least 1
     * @param partitions the number of partitions, at least 1
     * @param sampleValues the number of X values in one sample (product of its dims)
     * @param requested the requested buffer size, or null for MADlib's default
     */
    public static BufferPlan of(long rows, int partitions, long sampleValues, Integer requested) {
        if (rows < 1 || partitions < 1 || sampleValues < 1) {
            throw new IllegalArgumentException("buffer plan: rows, partitions and sample values must be positive, got "
                    + rows + ", " + partitions + ", " + sampleValues);
        }
        long b = requested != null ? requested
                : (long) Math.ceil(Math.min(MAX_VALUES_PER_BUFFER / sampleValues, (double) rows / partitions));
        if (b < 1) {
            throw new IllegalArgumentException("--buffer-size " + b + " is not positive; use a positive integer");
        }
        long nbuf = partitions * ceilDiv(ceilDiv(rows, b), partitions);
        long size = ceilDiv(rows, nbuf);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buffer size " + size + " is too large; use --buffer-size below 2^31");
        }
        long buffers = ceilDiv(rows, size);
        if (buffers > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(buffers + " buffers are too many; use a larger --buffer-size");
        }
        return new BufferPlan(rows, partitions, (int) size, (int) buffers);
    }

    /** The number of rows in buffer {@code id}. */
    public int rowsIn(int id) {
        return (int) Math.min(bufferSize, rows - (long) id * bufferSize);
    }

    /** The partition that buffer {@code id} goes to. */
    public int partitionOf(int id) {
        return id % partitions;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
