package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import io.hopper.model.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Keras architecture with its weights as an ONNX model (opset {@value OnnxGraph#OPSET}): every layer object that builds
 * the DJL network adds its own inference pass to the graph (no tracing), so the file computes what Hopper's predict
 * computes. Inputs are named after the input layers and take [batch, dims...] float32; outputs after the output layers.
 */
public final class KerasOnnx {
    private KerasOnnx() {
    }

    /**
     * The ONNX model file of an architecture with these weights.
     *
     * @param architecture the parsed Keras architecture
     * @param flatWeights every weight concatenated in Keras's get_weights() order and layout
     * @param normalizingConst the graph divides every input by it first (1: inputs go in unchanged), so that it takes
     *     raw rows as Hopper's predict does
     * @param producerVersion the Hopper version to record as producer_version
     * @param metadata key/value pairs to record as the model's metadata_props
     * @throws IllegalArgumentException naming the layer when a layer has no ONNX mapping, or when the weights do not
     *     fit the architecture
     */
    public static byte[] export(KerasArchitecture architecture, float[] flatWeights, double normalizingConst, String producerVersion,
                                Map<String, String> metadata) {
        Objects.requireNonNull(architecture, "architecture");
        KerasGraph graph = architecture.graph();
        List<WeightSpec> specs = graph.weights();
        long total = specs.stream().mapToLong(s -> s.shape().size()).sum();
        if (flatWeights.length != total) {
            throw new IllegalArgumentException("ONNX export: got " + flatWeights.length + " weight values but model '" + graph.name() + "' has "
                    + total + "; pass all weights concatenated in get_weights() order");
        }
        List<WeightValues> weights = new ArrayList<>();
        int at = 0;
        for (WeightSpec s : specs) {
            int n = Math.toIntExact(s.shape().size());
            weights.add(new WeightValues(s.name(), s.shape(), java.util.Arrays.copyOfRange(flatWeights, at, at + n)));
            at += n;
        }
        if (!(normalizingConst > 0) || Double.isInfinite(normalizingConst)) {
            throw new IllegalArgumentException("ONNX export: normalizing constant " + normalizingConst + " is not a positive number; pass the "
                    + "constant the training data was divided by");
        }
        OnnxGraph g = new OnnxGraph(graph.name());
        List<String> inputs = new ArrayList<>();
        List<Shape> inputShapes = graph.inputShapes();
        for (int i = 0; i < inputShapes.size(); i++) {
            String in = g.input(graph.inputNames().get(i), Shapes.withBatch(-1, inputShapes.get(i)).getShape());
            inputs.add(normalizingConst == 1 ? in : g.op("Div", in + "/normalized", List.of(in, g.scalar("normalizing_const", (float) normalizingConst))));
        }
        List<String> outputNames = uniqueOutputNames(graph.outputNames(), Set.copyOf(graph.inputNames()));
        outputNames.forEach(g::reserve);
        List<String> outputs = graph.onnx(g, inputs, weights);
        List<Shape> outputShapes = graph.outputShapes();
        for (int i = 0; i < outputs.size(); i++) {
            g.output(outputNames.get(i), outputs.get(i), Shapes.withBatch(-1, outputShapes.get(i)).getShape());
        }
        return g.toModel("hopper", producerVersion, metadata);
    }

    /** The output layers' names, made unique (a layer with several outputs, or an input passed straight through). */
    private static List<String> uniqueOutputNames(List<String> layers, Set<String> inputs) {
        Set<String> seen = new HashSet<>(inputs);
        List<String> out = new ArrayList<>();
        for (String n : layers) {
            String name = n;
            for (int k = 1; !seen.add(name); k++) {
                name = n + "_" + k;
            }
            out.add(name);
        }
        return out;
    }

    /** The names of the model's inputs in the exported file, in input order. */
    public static List<String> inputNames(KerasArchitecture architecture) {
        return architecture.graph().inputNames();
    }
}
