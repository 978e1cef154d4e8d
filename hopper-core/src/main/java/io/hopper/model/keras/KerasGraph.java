package io.hopper.model.keras;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopper.model.onnx.OnnxGraph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated Keras layer graph (a Sequential or a functional Model): layers in Keras's order, call nodes in an order
 * where every node comes after its inputs, per-node output shapes, and the weights of all layers in Keras's
 * get_weights() order.
 */
final class KerasGraph {
    /** Output tensor {@code tensor} of graph node {@code node}. */
    record Ref(int node, int tensor) {
    }

    /** One call of a layer on some inputs (none for an input layer). */
    record Node(int layer, List<Ref> inputs, List<Shape> outputShapes) {
    }

    private final String name;
    private final List<Layer> layers = new ArrayList<>();
    private final List<Boolean> shown = new ArrayList<>();
    private final List<Integer> firstNode = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Integer> inputNodes = new ArrayList<>();
    private final List<Ref> outputs = new ArrayList<>();
    private final List<List<WeightSpec>> layerWeights = new ArrayList<>();
    private final List<WeightSpec> weights = new ArrayList<>();
    private final List<Integer> weightStart = new ArrayList<>();

    private KerasGraph(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    List<WeightSpec> weights() {
        return List.copyOf(weights);
    }

    List<Shape> inputShapes() {
        return inputNodes.stream().map(n -> nodes.get(n).outputShapes().get(0)).toList();
    }

    List<Shape> outputShapes() {
        return outputs.stream().map(r -> nodes.get(r.node()).outputShapes().get(r.tensor())).toList();
    }

    /** One summary row per visible layer (a Sequential hides its input layer, as Keras does). */
    List<ArchSummary.Row> rows() {
        List<ArchSummary.Row> rows = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!shown.get(i)) {
                continue;
            }
            List<Shape> out = nodes.get(firstNode.get(i)).outputShapes();
            String shape = out.size() == 1 ? Shapes.keras(out.get(0))
                    : "[" + String.join(", ", out.stream().map(Shapes::keras).toList()) + "]";
            long params = 0;
            for (WeightSpec w : weights.subList(weightStart.get(i), end(i))) {
                params += w.shape().size();
            }
            rows.add(new ArchSummary.Row(layers.get(i).name(), layers.get(i).className(), shape, params));
        }
        return rows;
    }

    private int end(int layer) {
        return weightStart.get(layer) + layerWeights.get(layer).size();
    }

    /** Lays the layers' weights out in Keras's order (layer by layer) once every layer has been called. */
    private KerasGraph finish() {
        for (List<WeightSpec> w : layerWeights) {
            weightStart.add(weights.size());
            weights.addAll(w);
        }
        return this;
    }

    /** Runs the graph; weights are this graph's arrays in {@link #weights()} order. */
    NDList forward(ForwardContext ctx, NDList inputs, List<NDArray> w) {
        if (inputs.size() != inputNodes.size()) {
            throw new IllegalArgumentException("model '" + name + "': forward got " + inputs.size() + " inputs but the model has "
                    + inputNodes.size() + "; pass one array per model input");
        }
        NDList[] values = new NDList[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            NDList in = new NDList();
            if (n.inputs().isEmpty()) {
                in.add(inputs.get(inputNodes.indexOf(i)));
            }
            for (Ref r : n.inputs()) {
                in.add(values[r.node()].get(r.tensor()));
            }
            values[i] = layers.get(n.layer()).forward(ctx.at(i), in, w.subList(weightStart.get(n.layer()), end(n.layer())));
        }
        NDList out = new NDList();
        for (Ref r : outputs) {
            out.add(values[r.node()].get(r.tensor()));
        }
        return out;
    }

    /**
     * Adds the graph's inference pass to an ONNX graph, layer by layer in the order {@link #forward} runs them; weights
     * are this graph's values in {@link #weights()} order. Returns the output tensors' names.
     */
    List<String> onnx(OnnxGraph g, List<String> inputs, List<WeightValues> w) {
        if (inputs.size() != inputNodes.size()) {
            throw new IllegalArgumentException("model '" + name + "': ONNX export got " + inputs.size() + " inputs but the model has "
                    + inputNodes.size() + "; pass one tensor per model input");
        }
        List<List<String>> values = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            List<String> in = new ArrayList<>();
            List<Shape> shapes = new ArrayList<>();
            if (n.inputs().isEmpty()) {
                in.add(inputs.get(inputNodes.indexOf(i)));
                shapes.add(n.outputShapes().get(0));
            }
            for (Ref r : n.inputs()) {
                in.add(values.get(r.node()).get(r.tensor()));
                shapes.add(nodes.get(r.node()).outputShapes().get(r.tensor()));
            }
            values.add(layers.get(n.layer()).onnx(g, in, shapes, w.subList(weightStart.get(n.layer()), end(n.layer()))));
        }
        List<String> out = new ArrayList<>();
        for (Ref r : outputs) {
            out.add(values.get(r.node()).get(r.tensor()));
        }
        return out;
    }

    /** The names of the input layers, in input order. */
    List<String> inputNames() {
        return inputNodes.stream().map(n -> layers.get(nodes.get(n).layer()).name()).toList();
    }

    /** The names of the output layers, in output order. */
    List<String> outputNames() {
        return outputs.stream().map(r -> layers.get(nodes.get(r.node()).layer()).name()).toList();
    }

    private int addLayer(Layer layer, boolean show) {
        layers.add(layer);
        shown.add(show);
        firstNode.add(-1);
        layerWeights.add(List.of());
        return layers.size() - 1;
    }

    private int addNode(int layer, List<Ref> inputs) {
        List<Shape> in = new ArrayList<>();
        for (Ref r : inputs) {
            List<Shape> outs = nodes.get(r.node()).outputShapes();
            if (r.tensor() < 0 || r.tensor() >= outs.size()) {
                throw layers.get(layer).error("uses output " + r.tensor() + " of layer '" + layers.get(nodes.get(r.node()).layer()).name()
                        + "', which has " + outs.size() + "; fix inbound_nodes");
            }
            in.add(outs.get(r.tensor()));
        }
        Layer l = layers.get(layer);
        List<Shape> out = l.outputShapes(in);
        if (firstNode.get(layer) < 0) {
            layerWeights.set(layer, l.weights(in).stream().map(w -> w.within(l.name(), l.trainable())).toList());
            firstNode.set(layer, nodes.size());
        }
        nodes.add(new Node(layer, List.copyOf(inputs), List.copyOf(out)));
        return nodes.size() - 1;
    }

    private static IllegalArgumentException modelError(String name, String ruleAndFix) {
        return new IllegalArgumentException("model_arch: model '" + name + "': " + ruleAndFix);
    }

    /** Builds a Sequential from its config: a list of layers or an object with "layers". */
    static KerasGraph sequential(JsonNode config, String fallbackName, LayerFactory factory) {
        JsonNode list = config.isArray() ? config : config.path("layers");
        String name = config.isObject() && config.path("name").isTextual() ? config.get("name").asText() : fallbackName;
        if (!list.isArray() || list.isEmpty()) {
            throw modelError(name, "the Sequential config has no layers; pass the output of model.to_json() for a model with layers");
        }
        KerasGraph g = new KerasGraph(name);
        int previous = -1;
        for (int i = 0; i < list.size(); i++) {
            LayerConfig c = new LayerConfig(list.get(i));
            Layer layer = factory.create(c);
            if (layer instanceof CoreLayers.Input input) {
                if (i != 0) {
                    throw c.error("an InputLayer must come first in a Sequential; move it or remove it");
                }
                previous = g.addNode(g.addLayer(input, false), List.of());
                g.inputNodes.add(previous);
                continue;
            }
            if (i == 0) {
                Shape shape = CoreLayers.batchInputShape(c);
                if (shape == null && config.isObject() && config.path("build_input_shape").isArray()) {
                    shape = CoreLayers.perSample(config.get("build_input_shape"), c);
                }
                if (shape == null) {
                    throw modelError(name, "the first layer '" + c.name() + "' has no batch_input_shape; set input_shape on the first layer");
                }
                ObjectNode in = JsonNodeFactory.instance.objectNode();
                in.put("class_name", "InputLayer");
                in.putObject("config").put("name", c.name() + "_input");
                previous = g.addNode(g.addLayer(new CoreLayers.Input(new LayerConfig(in), shape), false), List.of());
                g.inputNodes.add(previous);
            }
            if (g.nodes.get(previous).outputShapes().size() != 1) {
                throw c.error("follows a layer with " + g.nodes.get(previous).outputShapes().size()
                        + " outputs, which a Sequential cannot chain; use a functional Model");
            }
            previous = g.addNode(g.addLayer(layer, true), List.of(new Ref(previous, 0)));
        }
        g.outputs.add(new Ref(previous, 0));
        g.checkUniqueNames();
        return g.finish();
    }

    private void checkUniqueNames() {
        Map<String, Integer> seen = new HashMap<>();
        for (Layer l : layers) {
            if (seen.put(l.name(), 1) != null) {
                throw modelError(name, "two layers are named '" + l.name() + "'; give every layer a unique name");
            }
        }
    }

    /** A reference [layer_name, node_index, tensor_index, ...] before resolution. */
    private record RawRef(String layer, int node, int tensor) {
    }

    private static RawRef rawRef(JsonNode r, String where, String model) {
        if (!r.isArray() || r.size() < 3 || !r.get(0).isTextual() || !r.get(1).isIntegralNumber() || !r.get(2).isIntegralNumber()) {
            throw modelError(model, where + " has the entry " + r + ", not [layer_name, node_index, tensor_index]; use the Keras 2 format");
        }
        return new RawRef(r.get(0).asText(), r.get(1).asInt(), r.get(2).asInt());
    }

    private static List<RawRef> refList(JsonNode list, String where, String model) {
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw modelError(model, where + " is missing or empty; list the model's " + where.replace('_', ' '));
        }
        List<RawRef> out = new ArrayList<>();
        if (list.get(0).isTextual()) {
            out.add(rawRef(list, where, model));
        } else {
            for (JsonNode r : list) {
                out.add(rawRef(r, where, model));
            }
        }
        return out;
    }

    /** Builds a functional Model from its config (layers with inbound_nodes, input_layers, output_layers). */
    static KerasGraph functional(JsonNode config, String fallbackName, LayerFactory factory) {
        String name = config.path("name").isTextual() ? config.get("name").asText() : fallbackName;
        JsonNode list = config.path("layers");
        if (!list.isArray() || list.isEmpty()) {
            throw modelError(name, "the model config has no layers; pass the output of model.to_json()");
        }
        KerasGraph g = new KerasGraph(name);
        Map<String, Integer> index = new HashMap<>();
        List<List<List<RawRef>>> inbound = new ArrayList<>();
        for (JsonNode entry : list) {
            LayerConfig c = new LayerConfig(entry);
            Layer layer = factory.create(c);
            if (index.put(layer.name(), g.addLayer(layer, true)) != null) {
                throw modelError(name, "two layers are named '" + layer.name() + "'; give every layer a unique name");
            }
            List<List<RawRef>> calls = new ArrayList<>();
            JsonNode nodes = entry.path("inbound_nodes");
            if (layer instanceof CoreLayers.Input) {
                calls.add(List.of());
            } else {
                if (!nodes.isArray() || nodes.isEmpty()) {
                    throw c.error("has no inbound_nodes; connect it to the graph or remove it");
                }
                for (JsonNode call : nodes) {
                    if (!call.isArray() || call.isEmpty()) {
                        throw c.error("has an inbound node " + call + " that is not a list of [layer_name, node_index, tensor_index, kwargs]; "
                                + "use the Keras 2 format");
                    }
                    List<RawRef> refs = new ArrayList<>();
                    for (JsonNode r : call) {
                        refs.add(rawRef(r, "layer '" + c.name() + "' inbound_nodes", name));
                    }
                    calls.add(refs);
                }
            }
            inbound.add(calls);
        }
        int[][] nodeIds = new int[inbound.size()][];
        for (int i = 0; i < nodeIds.length; i++) {
            nodeIds[i] = new int[inbound.get(i).size()];
            java.util.Arrays.fill(nodeIds[i], -1);
            for (List<RawRef> call : inbound.get(i)) {
                for (RawRef r : call) {
                    Integer src = index.get(r.layer());
                    if (src == null) {
                        throw modelError(name, "layer '" + g.layers.get(i).name() + "' takes input from unknown layer '" + r.layer()
                                + "'; fix inbound_nodes");
                    }
                    if (r.node() < 0 || r.node() >= inbound.get(src).size()) {
                        throw modelError(name, "layer '" + g.layers.get(i).name() + "' uses node " + r.node() + " of layer '" + r.layer()
                                + "', which has " + inbound.get(src).size() + "; fix inbound_nodes");
                    }
                }
            }
        }
        boolean progress = true;
        int remaining = java.util.Arrays.stream(nodeIds).mapToInt(a -> a.length).sum();
        while (remaining > 0 && progress) {
            progress = false;
            for (int i = 0; i < nodeIds.length; i++) {
                for (int k = 0; k < nodeIds[i].length; k++) {
                    if (nodeIds[i][k] >= 0) {
                        continue;
                    }
                    List<Ref> refs = new ArrayList<>();
                    for (RawRef r : inbound.get(i).get(k)) {
                        int n = nodeIds[index.get(r.layer())][r.node()];
                        if (n < 0) {
                            refs = null;
                            break;
                        }
                        refs.add(new Ref(n, r.tensor()));
                    }
                    if (refs != null) {
                        nodeIds[i][k] = g.addNode(i, refs);
                        remaining--;
                        progress = true;
                    }
                }
            }
        }
        if (remaining > 0) {
            for (int i = 0; i < nodeIds.length; i++) {
                if (java.util.Arrays.stream(nodeIds[i]).anyMatch(n -> n < 0)) {
                    throw modelError(name, "layer '" + g.layers.get(i).name() + "' depends on itself through a cycle; fix inbound_nodes");
                }
            }
        }
        for (RawRef r : refList(config.get("input_layers"), "input_layers", name)) {
            Integer l = index.get(r.layer());
            if (l == null || !(g.layers.get(l) instanceof CoreLayers.Input) || r.node() != 0 || r.tensor() != 0) {
                throw modelError(name, "input_layers names '" + r.layer() + "', which is not an InputLayer of this model; fix input_layers");
            }
            g.inputNodes.add(nodeIds[l][0]);
        }
        for (int i = 0; i < g.layers.size(); i++) {
            if (g.layers.get(i) instanceof CoreLayers.Input && !g.inputNodes.contains(nodeIds[i][0])) {
                throw modelError(name, "InputLayer '" + g.layers.get(i).name() + "' is not listed in input_layers; list it or remove it");
            }
        }
        for (RawRef r : refList(config.get("output_layers"), "output_layers", name)) {
            Integer l = index.get(r.layer());
            if (l == null || r.node() < 0 || r.node() >= nodeIds[l].length
                    || r.tensor() < 0 || r.tensor() >= g.nodes.get(nodeIds[l][r.node()]).outputShapes().size()) {
                throw modelError(name, "output_layers names " + r + ", which is not an output of this model; fix output_layers");
            }
            g.outputs.add(new Ref(nodeIds[l][r.node()], r.tensor()));
        }
        return g.finish();
    }
}
