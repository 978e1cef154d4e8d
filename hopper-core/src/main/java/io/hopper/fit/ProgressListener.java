package io.hopper.fit;

/**
 * Hears what a fit does, so that reporting stays out of its loop (as DJL's training listeners do).
 */
public interface ProgressListener {

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };

    /** Called once before training, with the memory estimate (before it is checked against the limit). */
    default void onEstimate(MemoryEstimate estimate, long limitBytes) {
    }

    /** Called once before training when the run resumes an interrupted one, with what it continues from. */
    default void onResume(String resumedAt) {
    }

    /** Called after every finished unit. */
    default void onProgress(FitProgress progress) {
    }

    /** Called once when training ends, successfully or not. */
    default void onEnd() {
    }
}
