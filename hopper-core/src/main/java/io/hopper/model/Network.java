package io.hopper.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

import java.util.List;

/**
 * A network the runtime can train: a DJL block built from an architecture, with its shapes and a seeded
 * initializer.
 *
 * <p>Contract: {@link #block()}'s forward takes one NDArray per input in Keras's layout ([batch, dims...],
 * channels last) and returns one NDArray per output exactly as Keras's model outputs them (so a softmax last
 * layer returns probabilities). Blocks that draw random numbers while training (dropout) take their seed from
 * the forward call's params under {@link #SEED_PARAM} (a {@code Long}) and never from the engine's global
 * generator, so that results do not depend on the thread or worker that runs them.
 */
public interface Network {

    /** The key of the forward params entry that carries the step's random seed (a {@code Long}). */
    String SEED_PARAM = "hopper.seed";

    /** The DJL block. */
    Block block();

    /** The shape of one sample of each input, without the batch dimension. */
    List<Shape> inputShapes();

    /**
     * Whether samples of shape {@code sample} fit an input of shape {@code input}: the same rank, and every dimension
     * equal where the input's is known (Keras's None, -1 here, takes any length, e.g. a text model's sequence length).
     *
     * @param input one of {@link #inputShapes()}
     * @param sample the shape of one sample, without the batch dimension
     * @return whether they fit
     */
    static boolean fits(Shape input, List<Integer> sample) {
        if (sample.size() != input.dimension()) {
            return false;
        }
        for (int d = 0; d < sample.size(); d++) {
            if (sample.get(d) < 0 || (input.get(d) != -1 && input.get(d) != sample.get(d))) {
                return false;
            }
        }
        return true;
    }

    /** The shape of one sample of each output, without the batch dimension. */
    List<Shape> outputShapes();

    /** The name of each output (compile_params' loss and loss_weights dicts use them); output_0, output_1, ... by default. */
    default List<String> outputNames() {
        return java.util.stream.IntStream.range(0, outputShapes().size()).mapToObj(k -> "output_" + k).toList();
    }

    /**
     * The weight regularization of the parameters that have one (Keras's kernel_regularizer and the like), by the
     * block's parameter name; the runtime adds their penalties to the loss. None by default.
     */
    default java.util.Map<String, WeightPenalty> penalties() {
        return java.util.Map.of();
    }

    /**
     * The weight constraints of the parameters that have one (Keras's kernel_constraint and the like), by the block's
     * parameter name; the runtime applies them to a trainable parameter after every update. None by default.
     */
    default java.util.Map<String, WeightConstraint> constraints() {
        return java.util.Map.of();
    }

    /**
     * Initializes every parameter (creating the block's arrays in the manager) with the architecture's
     * initializers, drawing every random number from the seed; the same seed gives the same weights.
     */
    void initialize(NDManager manager, long seed);
}
