package io.hopper.engine;

/**
 * The one derivation of the seeds of a run: a configuration's initial weights from (seed, mst_key), a unit's random
 * draws from (seed, mst_key, iteration, partition), never from the worker, the thread or the engine, so that
 * placement and timing do not change results.
 */
public final class UnitSeeds {
    private static final long INIT_STREAM = 0x1A2B3C4DL;

    private UnitSeeds() {
    }

    /** SplitMix64's finalizer applied to {@code a} advanced by stream {@code b}: a well-mixed combination. */
    public static long mix(long a, long b) {
        long z = a + 0x9E3779B97F4A7C15L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The seed of a unit: a mix of (seed, mst_key, iteration, partition). */
    public static long unit(long seed, int mstKey, int iteration, int partition) {
        return mix(mix(mix(seed, mstKey), iteration), partition);
    }

    /** The seed of a configuration's initial weights: a mix of (seed, mst_key). */
    public static long init(long seed, int mstKey) {
        return mix(mix(seed, INIT_STREAM), mstKey);
    }
}
