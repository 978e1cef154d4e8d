package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What a layer's forward needs besides its inputs and weights: training or inference, whether the layer sits in a
 * frozen ({@code trainable: false}) layer or model, the mask of its input (Keras's implicit masks from Embedding's
 * mask_zero or Masking, or an explicit mask= tensor), and a random stream that is a pure function of the step's seed
 * and the layer's position in the (possibly nested) graph.
 */
final class ForwardContext {
    private final boolean training;
    private final Long seed;
    private final long scope;
    private final boolean frozen;
    private final NDArray mask;
    private final List<NDArray> inputMasks;

    ForwardContext(boolean training, Long seed) {
        this(training, seed, 0L, false, null, List.of());
    }

    private ForwardContext(boolean training, Long seed, long scope, boolean frozen, NDArray mask, List<NDArray> inputMasks) {
        this.training = training;
        this.seed = seed;
        this.scope = scope;
        this.frozen = frozen;
        this.mask = mask;
        this.inputMasks = inputMasks;
    }

    boolean training() {
        return training;
    }

    /** True inside a layer or nested model marked trainable=false: BatchNormalization then runs in inference mode. */
    boolean frozen() {
        return frozen;
    }

    /** The input's mask, float 0/1 of shape [batch, time], or null when the input carries none. */
    NDArray mask() {
        return mask;
    }

    /** Each input's own mask (entries may be null; empty when the caller gave none), for layers that treat inputs apart. */
    List<NDArray> inputMasks() {
        return inputMasks;
    }

    /** The context of the graph node with this key, inside the current scope (no mask). */
    ForwardContext at(long key) {
        return new ForwardContext(training, seed, Seeds.mix(scope, key), frozen, null, List.of());
    }

    /** The same context inside a frozen layer. */
    ForwardContext freeze() {
        return new ForwardContext(training, seed, scope, true, mask, inputMasks);
    }

    /** The same context with this input mask (null for none). */
    ForwardContext withMask(NDArray m) {
        return new ForwardContext(training, seed, scope, frozen, m, List.of());
    }

    /** The same context with a combined mask and each input's own mask. */
    ForwardContext withMasks(NDArray combined, List<NDArray> perInput) {
        return new ForwardContext(training, seed, scope, frozen, combined, java.util.Collections.unmodifiableList(new java.util.ArrayList<>(perInput)));
    }

    /** A random stream for the current node, from the forward call's seed. */
    SplittableRandom random() {
        if (seed == null) {
            throw new IllegalStateException("forward: a training pass through a random layer needs a Long seed under Network.SEED_PARAM ('"
                    + io.hopper.model.Network.SEED_PARAM + "') in the forward params; pass the step's seed");
        }
        return new SplittableRandom(Seeds.mix(seed, scope));
    }
}
