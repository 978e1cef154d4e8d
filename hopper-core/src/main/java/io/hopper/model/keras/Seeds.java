package io.hopper.model.keras;

/** Derives independent 64-bit seeds from a seed and a key, so that every random stream is a pure function of both. */
final class Seeds {
    private Seeds() {
    }

    /** Mixes a seed and a key into a new seed (Stafford's mix13 of the seed combined with the mixed key). */
    static long mix(long seed, long key) {
        return mix64(seed ^ mix64(key + 0x9E3779B97F4A7C15L));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
