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

    /** One call of a layer on some inputs (none for an input layer), with the mask passed explicitly (null when implicit). */
    record Node(int layer, List<Ref> inputs, Ref mask, List<Shape> outputShapes) {
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
        List<List<NDArray>> masks = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            Layer layer = layers.get(n.layer());
            NDList in = new NDList();
            List<NDArray> inMasks = new ArrayList<>();
            if (n.inputs().isEmpty()) {
                in.add(inputs.get(inputNodes.indexOf(i)));
                inMasks.add(null);
            }
            for (Ref r : n.inputs()) {
                in.add(values[r.node()].get(r.tensor()));
                inMasks.add(masks.get(r.node()).get(r.tensor()));
            }
            NDArray mask = n.mask() != null ? Masks.of(values[n.mask().node()].get(n.mask().tensor())) : Masks.and(inMasks);
            ForwardContext c = ctx.at(i).withMasks(mask, n.mask() != null ? List.of() : inMasks);
            if (!layer.trainable()) {
                c = c.freeze();
            }
            values[i] = layer.forward(c, in, w.subList(weightStart.get(n.layer()), end(n.layer())));
            List<NDArray> outMasks = layer.outputMasks(c, in, values[i]);
            masks.add(outMasks == null ? java.util.Collections.nCopies(values[i].size(), null) : outMasks);
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
        return addNode(layer, inputs, null);
    }

    private int addNode(int layer, List<Ref> inputs, Ref mask) {
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
            layerWeights.set(layer, l.qualifiedWeights(in));
            firstNode.set(layer, nodes.size());
        }
        if (mask != null && (mask.tensor() < 0 || mask.tensor() >= nodes.get(mask.node()).outputShapes().size())) {
            throw l.error("takes its mask from a missing output of layer '" + layers.get(nodes.get(mask.node()).layer()).name() + "'; fix inbound_nodes");
        }
        nodes.add(new Node(layer, List.copyOf(inputs), mask, List.copyOf(out)));
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
                Shape shape = firstInputShape(c, layer, config, name);
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

    /**
     * The input shape of a Sequential without an InputLayer: the first layer's batch_input_shape, its Keras 3
     * build_config, the Sequential's build_input_shape, or the input of a nested model that comes first.
     */
    private static Shape firstInputShape(LayerConfig c, Layer layer, JsonNode config, String name) {
        Shape shape = CoreLayers.batchInputShape(c);
        if (shape == null && c.buildInputShape() != null) {
            shape = CoreLayers.perSample(c.buildInputShape(), c);
        }
        if (shape == null && config.isObject() && config.path("build_input_shape").isArray()) {
            shape = CoreLayers.perSample(config.get("build_input_shape"), c);
        }
        if (shape == null && layer instanceof ModelLayer nested) {
            List<Shape> in = nested.inputShapes();
            if (in.size() != 1) {
                throw c.error("is a nested model with " + in.size() + " inputs, which cannot come first in a Sequential; use a functional Model");
            }
            shape = in.get(0);
        }
        if (shape == null) {
            throw modelError(name, "the first layer '" + c.name() + "' has no batch_input_shape; set input_shape on the first layer");
        }
        return shape;
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

    /** One serialized call: its input tensors in order and the tensor passed as mask= (or null). */
    private record RawCall(List<RawRef> inputs, RawRef mask) {
    }

    private static RawRef rawRef(JsonNode r, String where, String model) {
        if (!r.isArray() || r.size() < 3 || !r.get(0).isTextual() || !r.get(1).isIntegralNumber() || !r.get(2).isIntegralNumber()) {
            throw modelError(model, where + " has the entry " + r + ", not [layer_name, node_index, tensor_index]; pass the output of model.to_json()");
        }
        return new RawRef(r.get(0).asText(), r.get(1).asInt(), r.get(2).asInt());
    }

    private static List<RawRef> refList(JsonNode list, String where, String model) {
        if (list != null && list.isObject()) {
            // Keras 3 writes a dict of named inputs or outputs as {name: [layer, node, tensor]}.
            List<JsonNode> values = new ArrayList<>();
            list.forEach(values::add);
            list = JsonNodeFactory.instance.arrayNode().addAll(values);
        }
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

    /** Whether a serialized value is a Keras 3 tensor ({"class_name": "__keras_tensor__", "config": {"keras_history": ...}}). */
    static boolean isKerasTensor(JsonNode v) {
        return v != null && v.isObject() && "__keras_tensor__".equals(v.path("class_name").asText());
    }

    /** The Keras 3 tensors inside a serialized args structure, depth first. */
    private static void tensors(JsonNode v, List<JsonNode> out) {
        if (isKerasTensor(v)) {
            out.add(v);
        } else if (v != null && (v.isArray() || v.isObject() && !v.has("class_name"))) {
            for (JsonNode child : v) {
                tensors(child, out);
            }
        }
    }

    /** Parses one inbound node: Keras 2's [[layer, node, tensor, kwargs], ...] or Keras 3's {"args": [...], "kwargs": {...}}. */
    private static RawCall call(JsonNode call, LayerConfig c, String model) {
        String where = "layer '" + c.name() + "' inbound_nodes";
        if (call.isObject() && call.has("args")) {
            List<JsonNode> found = new ArrayList<>();
            tensors(call.get("args"), found);
            RawRef mask = null;
            JsonNode kwargs = call.path("kwargs");
            for (var e : kwargs.properties()) {
                switch (e.getKey()) {
                    case "mask" -> {
                        List<JsonNode> m = new ArrayList<>();
                        tensors(e.getValue(), m);
                        if (m.size() > 1) {
                            throw c.error("is called with " + m.size() + " masks; Hopper takes one mask tensor per call, so pass one");
                        }
                        mask = m.isEmpty() ? null : history(m.get(0), where, model);
                    }
                    case "initial_state", "constants", "attention_mask" -> {
                        if (!e.getValue().isNull()) {
                            throw c.error("is called with " + e.getKey() + "=..., which is not supported; remove it");
                        }
                    }
                    default -> tensors(e.getValue(), found); // e.g. MultiHeadAttention's value= and key=
                }
            }
            List<RawRef> refs = new ArrayList<>();
            for (JsonNode t : found) {
                refs.add(history(t, where, model));
            }
            if (refs.isEmpty()) {
                throw c.error("has an inbound node without input tensors; connect it to the graph");
            }
            return new RawCall(refs, mask);
        }
        if (!call.isArray() || call.isEmpty()) {
            throw c.error("has an inbound node " + call + " that is neither a list of [layer_name, node_index, tensor_index, kwargs] "
                    + "nor Keras 3's {args, kwargs}; pass the output of model.to_json()");
        }
        List<RawRef> refs = new ArrayList<>();
        List<JsonNode> entries = new ArrayList<>();
        if (call.get(0).isTextual()) {
            entries.add(call);
        } else {
            call.forEach(entries::add);
        }
        RawRef mask = null;
        List<RawRef> kwargTensors = new ArrayList<>();
        for (JsonNode r : entries) {
            refs.add(rawRef(r, where, model));
            // tf.keras 2 keeps tensors passed by keyword (MultiHeadAttention's value=, mask=) in the entry's kwargs.
            JsonNode kwargs = r.size() > 3 ? r.get(3) : null;
            if (kwargs != null && kwargs.isObject()) {
                for (var e : kwargs.properties()) {
                    boolean ref = e.getValue().isArray() && e.getValue().size() >= 3 && e.getValue().get(0).isTextual();
                    if (!ref) {
                        continue;
                    }
                    if (e.getKey().equals("mask")) {
                        mask = rawRef(e.getValue(), where, model);
                    } else if (List.of("initial_state", "constants", "attention_mask").contains(e.getKey())) {
                        throw c.error("is called with " + e.getKey() + "=..., which is not supported; remove it");
                    } else {
                        kwargTensors.add(rawRef(e.getValue(), where, model));
                    }
                }
            }
        }
        refs.addAll(kwargTensors);
        return new RawCall(refs, mask);
    }

    private static RawRef history(JsonNode tensor, String where, String model) {
        return rawRef(tensor.path("config").path("keras_history"), where + " keras_history", model);
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
        List<List<RawCall>> inbound = new ArrayList<>();
        for (JsonNode entry : list) {
            LayerConfig c = new LayerConfig(entry);
            JsonNode nodes = entry.path("inbound_nodes");
            Layer layer = factory.create(c, nodes.isArray() && !nodes.isEmpty() ? nodes.get(0) : null);
            if (index.put(layer.name(), g.addLayer(layer, true)) != null) {
                throw modelError(name, "two layers are named '" + layer.name() + "'; give every layer a unique name");
            }
            List<RawCall> calls = new ArrayList<>();
            if (layer instanceof CoreLayers.Input) {
                calls.add(new RawCall(List.of(), null));
            } else {
                if (!nodes.isArray() || nodes.isEmpty()) {
                    throw c.error("has no inbound_nodes; connect it to the graph or remove it");
                }
                for (JsonNode call : nodes) {
                    calls.add(call(call, c, name));
                }
            }
            inbound.add(calls);
        }
        List<RawRef> inputRefs = refList(config.get("input_layers"), "input_layers", name);
        List<RawRef> outputRefs = refList(config.get("output_layers"), "output_layers", name);
        // A nested functional model starts with a node of its own, so Keras counts its calls from 1 (tf.keras 2.4+ and Keras 3).
        int[] offset = new int[inbound.size()];
        List<RawRef> allRefs = new ArrayList<>();
        inbound.forEach(calls -> calls.forEach(call -> {
            allRefs.addAll(call.inputs());
            if (call.mask() != null) {
                allRefs.add(call.mask());
            }
        }));
        for (RawRef r : allRefs) {
            Integer src = index.get(r.layer());
            if (src == null) {
                throw modelError(name, "a layer takes input from unknown layer '" + r.layer() + "'; fix inbound_nodes");
            }
            if (g.layers.get(src) instanceof ModelLayer && r.node() == inbound.get(src).size()) {
                offset[src] = 1;
            }
        }
        for (RawRef r : outputRefs) {
            Integer src = index.get(r.layer());
            if (src != null && g.layers.get(src) instanceof ModelLayer && r.node() == inbound.get(src).size()) {
                offset[src] = 1;
            }
        }
        for (RawRef r : allRefs) {
            int src = index.get(r.layer());
            int node = r.node() - offset[src];
            if (node < 0 || node >= inbound.get(src).size()) {
                throw modelError(name, "a layer uses node " + r.node() + " of layer '" + r.layer() + "', which has " + inbound.get(src).size()
                        + "; fix inbound_nodes");
            }
        }
        int[][] nodeIds = new int[inbound.size()][];
        for (int i = 0; i < nodeIds.length; i++) {
            nodeIds[i] = new int[inbound.get(i).size()];
            java.util.Arrays.fill(nodeIds[i], -1);
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
                    RawCall call = inbound.get(i).get(k);
                    List<Ref> refs = new ArrayList<>();
                    for (RawRef r : call.inputs()) {
                        Ref ref = resolve(r, index, offset, nodeIds);
                        if (ref == null) {
                            refs = null;
                            break;
                        }
                        refs.add(ref);
                    }
                    Ref mask = call.mask() == null ? null : resolve(call.mask(), index, offset, nodeIds);
                    if (refs != null && (call.mask() == null || mask != null)) {
                        nodeIds[i][k] = g.addNode(i, refs, mask);
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
        for (RawRef r : inputRefs) {
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
        for (RawRef r : outputRefs) {
            Integer src = index.get(r.layer());
            Ref ref = src == null || r.node() - offset[src] < 0 || r.node() - offset[src] >= nodeIds[src].length ? null
                    : resolve(r, index, offset, nodeIds);
            if (ref == null || r.tensor() < 0 || r.tensor() >= g.nodes.get(ref.node()).outputShapes().size()) {
                throw modelError(name, "output_layers names " + r + ", which is not an output of this model; fix output_layers");
            }
            g.outputs.add(ref);
        }
        return g.finish();
    }

    /** The graph node of a reference, or null while the referenced call is not built yet. */
    private static Ref resolve(RawRef r, Map<String, Integer> index, int[] offset, int[][] nodeIds) {
        int src = index.get(r.layer());
        int n = nodeIds[src][r.node() - offset[src]];
        return n < 0 ? null : new Ref(n, r.tensor());
    }
}
