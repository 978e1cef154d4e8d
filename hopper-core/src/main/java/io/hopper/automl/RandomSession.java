package io.hopper.automl;

import io.hopper.fit.FitSession;

import java.util.List;

/** Random search as the driver of one fit session: every configuration starts at once and trains to R. */
final class RandomSession implements FitSession.Driver {
    private final List<Integer> mstKeys;
    private final int maxIterations;

    /** Every key of {@code mstKeys} to {@code maxIterations}. */
    RandomSession(List<Integer> mstKeys, int maxIterations) {
        this.mstKeys = List.copyOf(mstKeys);
        this.maxIterations = maxIterations;
    }

    @Override
    public void start(FitSession.Control control) {
        mstKeys.forEach(k -> control.add(k, maxIterations));
    }

    @Override
    public void epochEnded(FitSession.EpochEnd end, FitSession.Control control) {
        // every configuration trains to R
    }

    @Override
    public void idle(int worker, FitSession.Control control) {
        // nothing more to start
    }
}
