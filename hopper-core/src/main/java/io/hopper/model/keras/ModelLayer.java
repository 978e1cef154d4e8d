package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.hopper.model.onnx.OnnxGraph;

import java.util.List;

/**
 * A nested Sequential or functional model used as a layer of an enclosing model (any number of calls); with
 * trainable=false its weights are frozen and its BatchNormalization layers run in inference mode.
 */
final class ModelLayer extends Layer {
    private final KerasGraph graph;

    ModelLayer(LayerConfig c, KerasGraph graph) {
        super(c);
        this.graph = graph;
    }

    /** The nested model's input shapes. */
    List<Shape> inputShapes() {
        return graph.inputShapes();
    }

    @Override
    List<Shape> outputShapes(List<Shape> inputs) {
        List<Shape> expected = graph.inputShapes();
        if (inputs.size() != expected.size()) {
            throw error("receives " + inputs.size() + " inputs but the nested model takes " + expected.size() + "; connect one per model input");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!Shapes.compatible(inputs.get(i), expected.get(i))) {
                throw error("input " + i + " is " + Shapes.keras(inputs.get(i)) + " but the nested model expects " + Shapes.keras(expected.get(i))
                        + "; fix the connection or the nested model's input shape");
            }
        }
        return graph.outputShapes();
    }

    @Override
    List<WeightSpec> weights(List<Shape> inputs) {
        return graph.weights();
    }

    @Override
    NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> weights) {
        return graph.forward(ctx, inputs, weights);
    }

    @Override
    List<String> onnx(OnnxGraph g, List<String> inputs, List<Shape> inputShapes, List<WeightValues> weights) {
        return graph.onnx(g, inputs, weights);
    }
}
