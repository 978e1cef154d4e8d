package io.hopper.model.keras;

import java.util.SplittableRandom;

/**
 * What a layer's forward needs besides its inputs and weights: training or inference, and a random stream that is a
 * pure function of the step's seed and the layer's position in the (possibly nested) graph.
 */
final class ForwardContext {
    private final boolean training;
    private final Long seed;
    private final long scope;

    ForwardContext(boolean training, Long seed) {
        this(training, seed, 0L);
    }

    private ForwardContext(boolean training, Long seed, long scope) {
        this.training = training;
        this.seed = seed;
        this.scope = scope;
    }

    boolean training() {
        return training;
    }

    /** The context of the graph node with this key, inside the current scope. */
    ForwardContext at(long key) {
        return new ForwardContext(training, seed, Seeds.mix(scope, key));
    }

    /** A random stream for the current node, from the forward call's seed. */
    SplittableRandom random() {
        if (seed == null) {
            throw new IllegalStateException("forward: a training pass through a dropout layer needs a Long seed under Network.SEED_PARAM ('"
                    + io.hopper.model.Network.SEED_PARAM + "') in the forward params; pass the step's seed");
        }
        return new SplittableRandom(Seeds.mix(seed, scope));
    }
}
