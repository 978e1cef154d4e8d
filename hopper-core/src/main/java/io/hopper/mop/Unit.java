package io.hopper.mop;

/**
 * One unit of MOP work: configuration {@code mstKey} trains once on partition {@code partition} during
 * iteration {@code iteration}.
 *
 * @param mstKey the configuration's key in the model selection table
 * @param partition the partition index, from 0
 * @param iteration the iteration, from 1 as in MADlib
 */
public record Unit(int mstKey, int partition, int iteration) {
    /** Validates the partition and iteration. */
    public Unit {
        if (partition < 0) {
            throw new IllegalArgumentException("unit: partition=" + partition
                    + " is negative; partitions count from 0");
        }
        if (iteration < 1) {
            throw new IllegalArgumentException("unit: iteration=" + iteration + " is below 1; iterations count from 1");
        }
    }

    @Override
    public String toString() {
        return "(mst " + mstKey + ", partition " + partition + ", iteration " + iteration + ")";
    }
}
