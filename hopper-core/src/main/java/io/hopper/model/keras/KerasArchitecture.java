package io.hopper.model.keras;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hopper.model.Network;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A validated Keras architecture parsed from {@code model.to_json()} of Keras 2 (standalone or tf.keras, including
 * tf.keras 2.13-2.15's module/registered_name entries) or Keras 3: a Sequential or functional model (nested models
 * allowed anywhere) made only of layers Hopper can build. Keras 1 documents, Lambda layers, registered custom classes
 * and unknown layer classes are refused with a one-line message.
 */
public final class KerasArchitecture {
    /** The deepest JSON nesting a Keras document may have; model.to_json() of nested models stays far below. */
    static final int MAX_JSON_DEPTH = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(MAX_JSON_DEPTH).build())
            .build());
    private static final Set<String> KERAS1_KEYS = Set.of("output_dim", "nb_filter", "init", "nb_row", "nb_col", "border_mode", "subsample");

    private final String kerasVersion;
    private final KerasGraph graph;

    private KerasArchitecture(String kerasVersion, KerasGraph graph) {
        this.kerasVersion = kerasVersion;
        this.graph = graph;
    }

    /**
     * Parses and validates a Keras {@code model.to_json()} document.
     *
     * @throws IllegalArgumentException with a one-line message naming what is wrong and how to fix it
     */
    public static KerasArchitecture parse(String json) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("model_arch: the JSON is empty; pass the output of Keras model.to_json()");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new IllegalArgumentException("model_arch: the JSON nests deeper than " + MAX_JSON_DEPTH + " levels, deeper than"
                    + " any Keras model.to_json(); pass the output of Keras model.to_json()");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("model_arch: invalid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + " at line " + e.getLocation().getLineNr() + "); pass the output of Keras model.to_json()");
        }
        String version = root == null ? "" : root.path("keras_version").asText("");
        // TensorFlow.js's model.json (the converter's and tfjs's own save) holds the to_json document in modelTopology,
        // the converter's under model_config with the Keras version beside it; Keras's HDF5 files hold it as model_config.
        if (root != null && root.path("format").asText("").equals("graph-model")) {
            throw new IllegalArgumentException("model_arch: the JSON is a TensorFlow.js graph model, which holds TensorFlow ops, not"
                    + " Keras layers; convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model, or pass"
                    + " the output of model.to_json()");
        }
        if (root != null && root.isObject() && !root.has("class_name") && root.path("modelTopology").isObject()) {
            root = root.get("modelTopology");
            version = root.path("keras_version").asText(version);
        }
        if (root != null && root.isObject() && !root.has("class_name") && root.path("model_config").isObject()) {
            root = root.get("model_config");
            version = root.path("keras_version").asText(version);
        }
        if (root == null || !root.isObject() || !root.path("class_name").isTextual()) {
            throw new IllegalArgumentException("model_arch: the JSON is not a Keras model (no top-level class_name); pass the output of model.to_json()");
        }
        if (version.startsWith("1.")) {
            throw keras1("keras_version is " + version);
        }
        // Keras 1 keys only tell a document's version when it declares none: a Keras 2 or 3 document names its
        // version, and a custom class in it may well take an argument called output_dim or init.
        String keras1Key = version.isEmpty() ? keras1Key(root) : null;
        if (keras1Key != null) {
            throw keras1("a layer config uses the Keras 1 key '" + keras1Key + "'");
        }
        String cls = root.get("class_name").asText();
        LayerFactory factory = new LayerFactory(isTfKeras(version), isKeras3(version, root));
        KerasGraph graph = switch (cls) {
            case "Sequential" -> KerasGraph.sequential(root.path("config"), "sequential", factory);
            case "Model", "Functional" -> KerasGraph.functional(root.path("config"), "model", factory);
            default -> throw new IllegalArgumentException("model_arch: top-level class_name '" + cls
                    + "' is not a model; use Sequential, Model or Functional");
        };
        return new KerasArchitecture(version, graph);
    }

    private static IllegalArgumentException keras1(String why) {
        return new IllegalArgumentException("model_arch: this is a Keras 1 document (" + why + "); re-save the model with Keras 2 / tf.keras");
    }

    /** tf.keras documents ("2.2.4-tf", or 2.4 and later where Keras and tf.keras merged) default GRU reset_after to true. */
    static boolean isTfKeras(String version) {
        if (version.endsWith("-tf")) {
            return true;
        }
        String[] parts = version.split("[.\\-]");
        try {
            return parts.length >= 2 && Integer.parseInt(parts[0]) == 2 && Integer.parseInt(parts[1]) >= 4;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Keras 3 documents: keras_version 3.x, or (Keras 3's to_json writes no version) entries with module/registered_name.
     * tf.keras 2.13-2.15 documents carry module/registered_name too, but their keras_version says 2.x.
     */
    static boolean isKeras3(String version, JsonNode root) {
        return version.startsWith("3.") || version.isEmpty() && hasKeras3Entry(root);
    }

    private static boolean hasKeras3Entry(JsonNode node) {
        if (node.isObject() && node.has("class_name") && (node.has("module") || node.has("registered_name"))) {
            return true;
        }
        for (JsonNode child : node) {
            if (hasKeras3Entry(child)) {
                return true;
            }
        }
        return false;
    }

    private static String keras1Key(JsonNode node) {
        if (node.isObject() && node.has("class_name") && node.path("config").isObject()) {
            for (Map.Entry<String, JsonNode> e : node.get("config").properties()) {
                String key = e.getKey();
                // Keras 2 kept output_dim only for Embedding.
                if (KERAS1_KEYS.contains(key) && !(key.equals("output_dim") && node.get("class_name").asText().equals("Embedding"))) {
                    return key;
                }
            }
        }
        for (JsonNode child : node) {
            String k = keras1Key(child);
            if (k != null) {
                return k;
            }
        }
        return null;
    }

    /** The keras_version the document declares ("" when absent). */
    public String kerasVersion() {
        return kerasVersion;
    }

    /** The model's name. */
    public String name() {
        return graph.name();
    }

    /** The shape of one sample of each input (no batch dimension; -1 where Keras has None). */
    public List<Shape> inputShapes() {
        return graph.inputShapes();
    }

    /** The shape of one sample of each output (no batch dimension; -1 where Keras has None). */
    public List<Shape> outputShapes() {
        return graph.outputShapes();
    }

    /** The Keras-style summary with Keras's parameter counts. */
    public ArchSummary summary() {
        long total = 0;
        long trainable = 0;
        for (WeightSpec w : graph.weights()) {
            total += w.shape().size();
            trainable += w.trainable() ? w.shape().size() : 0;
        }
        return new ArchSummary(graph.name(), graph.rows(), total, trainable, total - trainable);
    }

    /** The names of the output layers in output order (the keys of compile_params' loss and loss_weights dicts). */
    public List<String> outputNames() {
        return graph.outputNames();
    }

    KerasGraph graph() {
        return graph;
    }

    /**
     * Checks that a packed table's inputs and outputs are this model's, in order: as many, each of the model's shape.
     *
     * @param table the packed table's summary
     * @param model how messages name the model, e.g. {@code model_id 2 of 'arch'}
     * @throws IllegalArgumentException of one line naming both sides
     */
    public void requireFits(io.hopper.data.PackedSummary table, String model) {
        List<Shape> in = inputShapes();
        List<Shape> out = outputShapes();
        boolean match = in.size() == table.inputs().size() && out.size() == table.outputs().size();
        for (int i = 0; match && i < in.size(); i++) {
            match = Network.fits(in.get(i), table.inputs().get(i).sampleShape());
        }
        for (int k = 0; match && k < out.size(); k++) {
            match = out.get(k).equals(new Shape(table.outputs().get(k).numClasses()));
        }
        if (!match) {
            throw new IllegalArgumentException("table '" + table.outputTable() + "' packs " + table.describeIo() + " but " + model
                    + " has " + in.size() + (in.size() == 1 ? " input " : " inputs ") + shapes(in) + " and " + out.size()
                    + (out.size() == 1 ? " output " : " outputs ") + shapes(out) + "; pack one --independent-varname group per model input"
                    + " and one --dependent-varname per output, in the model's order and shapes, or choose a model that fits the table");
        }
    }

    private static String shapes(List<Shape> shapes) {
        return "(" + String.join(", ", shapes.stream().map(s -> java.util.Arrays.toString(s.getShape())).toList()) + ")";
    }
}
