package io.hopper.model.keras;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.hopper.model.Network;

import java.util.ArrayList;
import java.util.List;

/**
 * The DJL block of a Keras graph: one parameter per Keras weight, in Keras's get_weights() order and layout
 * (moving statistics are parameters without gradient), and a forward pass that runs the graph's layers in
 * Keras's [batch, dims...] layout.
 */
final class KerasBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final KerasGraph graph;
    private final List<Parameter> weights = new ArrayList<>();

    KerasBlock(KerasGraph graph) {
        super(VERSION);
        this.graph = graph;
        for (WeightSpec w : graph.weights()) {
            weights.add(addParameter(Parameter.builder().setName(w.name())
                    .setType(w.trainable() ? Parameter.Type.WEIGHT : Parameter.Type.OTHER)
                    .optRequiresGrad(w.trainable()).build()));
        }
    }

    /** The parameters in Keras's get_weights() order. */
    List<Parameter> weights() {
        return List.copyOf(weights);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        Object seed = params == null ? null : params.get(Network.SEED_PARAM);
        if (seed != null && !(seed instanceof Long)) {
            throw new IllegalArgumentException("forward params: " + Network.SEED_PARAM + " is a " + seed.getClass().getSimpleName()
                    + "; pass a Long");
        }
        Device device = inputs.head().getDevice();
        List<NDArray> arrays = new ArrayList<>(weights.size());
        for (Parameter p : weights) {
            arrays.add(store.getValue(p, device, training));
        }
        return graph.forward(new ForwardContext(training, (Long) seed), inputs, arrays);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes.length == 0 ? -1 : inputShapes[0].get(0);
        return graph.outputShapes().stream().map(s -> Shapes.withBatch(batch, s)).toArray(Shape[]::new);
    }

    /** DJL's initialize only records shapes: the weights must come from {@link KerasNetwork#initialize} first. */
    @Override
    public void initialize(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Parameter p : weights) {
            if (!p.isInitialized()) {
                throw new IllegalStateException("KerasBlock: parameter " + p.getName()
                        + " has no array; call KerasNetwork.initialize(manager, seed) before DJL's initialize");
            }
        }
        super.initialize(manager, dataType, inputShapes);
    }
}
