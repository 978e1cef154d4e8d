package io.hopper.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hopper.Version;
import io.hopper.model.keras.KerasArchitecture;
import io.hopper.model.keras.KerasNetwork;
import io.hopper.model.keras.KerasOnnx;
import io.hopper.model.onnx.OnnxGraph;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes one model as files that tools other than Hopper load: the Keras architecture JSON and its weights in
 * Keras's get_weights() order and layout as NumPy .npy files, described by a manifest, with a Python loader.
 *
 * <p>The directory (docs/export-format.md describes it):
 * <pre>
 * model_arch.json          Keras model.to_json()
 * manifest.json            format, versions, mst_key, normalizing_const, class_values, input_shape and
 *                          weights: [{name, shape, file}] in get_weights() order
 * weights/NNN_layer_w.npy  one float32 array per weight
 * load_model.py            numpy loader: keras.models.model_from_json + set_weights when Keras is installed, and a
 *                          NumPy forward pass for Sequential Dense/Activation/Dropout/Flatten models
 * </pre>
 *
 * <p>Or, with {@link Format#ONNX}, {@code model.onnx} (an ONNX opset 17 model that divides its inputs by the
 * normalizing constant and returns the outputs of Hopper's predict) and a manifest naming its inputs and outputs.
 */
public final class ModelExport {
    /** The manifest's format name. */
    public static final String FORMAT = "hopper-keras-weights";
    /** The manifest's format version. */
    public static final int FORMAT_VERSION = 1;
    static final String ARCH_FILE = "model_arch.json";
    static final String MANIFEST_FILE = "manifest.json";
    static final String LOADER_FILE = "load_model.py";
    /** The ONNX manifest's format name. */
    public static final String ONNX_FORMAT = "hopper-onnx";
    static final String ONNX_FILE = "model.onnx";

    /** What export-model writes. */
    public enum Format {
        /** Keras JSON, .npy weights, manifest and Python loader. */
        KERAS,
        /** One ONNX file and a manifest. */
        ONNX;

        /** keras or onnx, as the CLI's --format takes them. */
        public static Format parse(String name) {
            return switch (name) {
                case "keras" -> KERAS;
                case "onnx" -> ONNX;
                default -> throw new IllegalArgumentException("--format '" + name + "' is not an export format; use keras or onnx");
            };
        }
    }

    private ModelExport() {
    }

    /**
     * Writes {@code model} into {@code dir} (created if missing; it must not hold an export already).
     *
     * @return the files written, manifest first
     * @throws IllegalArgumentException when the directory already holds a manifest or cannot be written
     */
    public static List<Path> write(ChosenModel model, Path dir) {
        return write(model, dir, Format.KERAS);
    }

    /**
     * Writes {@code model} into {@code dir} in this format (the directory is created if missing; it must not hold an
     * export already).
     *
     * @return the files written, manifest first
     * @throws IllegalArgumentException when the directory already holds a manifest or cannot be written, or (ONNX) a
     *     layer of the model has no ONNX mapping
     */
    public static List<Path> write(ChosenModel model, Path dir, Format format) {
        if (Files.exists(dir.resolve(MANIFEST_FILE))) {
            throw new IllegalArgumentException("--out '" + dir + "' already holds an exported model (" + MANIFEST_FILE
                    + "); choose an empty directory");
        }
        return format == Format.ONNX ? writeOnnx(model, dir) : writeKeras(model, dir);
    }

    private static List<Path> writeOnnx(ChosenModel model, Path dir) {
        KerasArchitecture arch = KerasArchitecture.parse(model.archJson());
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode manifest = json.createObjectNode();
        manifest.put("format", ONNX_FORMAT).put("format_version", FORMAT_VERSION).put("hopper_version", Version.hopper())
                .put("model_table", model.modelTable()).put("mst_key", model.mstKey()).put("model", ONNX_FILE)
                .put("opset", OnnxGraph.OPSET).put("dependent_varname", model.dependentVarname())
                .put("normalizing_const", model.normalizingConst()).put("inputs_divided_by_normalizing_const", true);
        ArrayNode classes = manifest.putArray("class_values");
        model.classValues().forEach(classes::add);
        ArrayNode inputs = manifest.putArray("inputs");
        List<String> groups = model.inputGroups();
        boolean multiIo = arch.inputShapes().size() > 1 || arch.outputShapes().size() > 1;
        for (int i = 0; i < arch.inputShapes().size(); i++) {
            ObjectNode in = inputs.addObject().put("name", KerasOnnx.inputNames(arch).get(i));
            Arrays.stream(arch.inputShapes().get(i).getShape()).forEach(in.putArray("shape")::add);
            if (multiIo) {
                columns(groups.get(i)).forEach(in.putArray("independent_varname")::add);
            }
        }
        if (multiIo) {
            outputs(manifest, model);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("model_table", model.modelTable());
        metadata.put("mst_key", Integer.toString(model.mstKey()));
        metadata.put("dependent_varname", String.valueOf(model.dependentVarname()));
        metadata.put("normalizing_const", Double.toString(model.normalizingConst()));
        metadata.put("class_values", classes.toString());
        byte[] onnx = KerasOnnx.export(arch, model.kerasWeights(), model.normalizingConst(), Version.hopper(), metadata);
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(ONNX_FILE), onnx);
            Files.writeString(dir.resolve(MANIFEST_FILE), json.writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
            return List.of(dir.resolve(MANIFEST_FILE), dir.resolve(ONNX_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("export-model: cannot write '" + dir + "': " + e.getMessage(), e);
        }
    }

    /** The columns of one X group: comma-separated names, or one array column. */
    private static List<String> columns(String group) {
        return Arrays.stream(group.split(",")).map(String::strip).toList();
    }

    /** A multi-input or multi-output model's outputs in the manifest: each one's dependent variable and class values. */
    private static void outputs(ObjectNode manifest, ChosenModel model) {
        ArrayNode outputs = manifest.putArray("outputs");
        for (ChosenModel.Output o : model.outputs()) {
            ObjectNode out = outputs.addObject().put("dependent_varname", o.dependentVarname());
            o.classValues().forEach(out.putArray("class_values")::add);
        }
    }

    private static List<Path> writeKeras(ChosenModel model, Path dir) {
        try {
            Files.createDirectories(dir.resolve("weights"));
            KerasNetwork network = new KerasNetwork(KerasArchitecture.parse(model.archJson()));
            List<String> names = network.kerasWeightNames();
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode manifest = json.createObjectNode();
            manifest.put("format", FORMAT).put("format_version", FORMAT_VERSION).put("hopper_version", Version.hopper())
                    .put("model_table", model.modelTable()).put("mst_key", model.mstKey()).put("architecture", ARCH_FILE)
                    .put("dependent_varname", model.dependentVarname()).put("normalizing_const", model.normalizingConst());
            List<String> groups = model.inputGroups();
            ArrayNode features = manifest.putArray("independent_varname");
            columns(groups.get(0)).forEach(features::add);
            ArrayNode classes = manifest.putArray("class_values");
            model.classValues().forEach(classes::add);
            ArrayNode input = manifest.putArray("input_shape");
            Arrays.stream(network.inputShapes().get(0).getShape()).forEach(input::add);
            if (network.inputShapes().size() > 1 || network.outputShapes().size() > 1) {
                ArrayNode inputs = manifest.putArray("inputs");
                for (int i = 0; i < network.inputShapes().size(); i++) {
                    ObjectNode in = inputs.addObject();
                    columns(groups.get(i)).forEach(in.putArray("independent_varname")::add);
                    Arrays.stream(network.inputShapes().get(i).getShape()).forEach(in.putArray("shape")::add);
                }
                outputs(manifest, model);
            }
            ArrayNode weights = manifest.putArray("weights");
            List<Path> files = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < names.size(); i++) {
                List<Integer> shape = Arrays.stream(network.kerasWeightShapes().get(i).getShape()).mapToInt(Math::toIntExact).boxed().toList();
                int size = shape.stream().reduce(1, (a, b) -> a * b);
                String file = String.format(Locale.ROOT, "weights/%03d_%s.npy", i, names.get(i).replaceAll("[^A-Za-z0-9_]", "_"));
                Npy.write(dir.resolve(file), shape, Arrays.copyOfRange(model.kerasWeights(), at, at + size));
                at += size;
                ObjectNode w = weights.addObject().put("name", names.get(i)).put("file", file);
                shape.forEach(w.putArray("shape")::add);
                files.add(dir.resolve(file));
            }
            if (at != model.kerasWeights().length) {
                throw new IllegalStateException("model " + model.mstKey() + " of '" + model.modelTable() + "' has " + model.kerasWeights().length
                        + " weight values but its architecture needs " + at + "; the table is inconsistent");
            }
            Files.writeString(dir.resolve(ARCH_FILE), model.archJson(), StandardCharsets.UTF_8);
            try (InputStream loader = ModelExport.class.getResourceAsStream(LOADER_FILE)) {
                Files.write(dir.resolve(LOADER_FILE), loader.readAllBytes());
            }
            Files.writeString(dir.resolve(MANIFEST_FILE), json.writeValueAsString(manifest) + "\n", StandardCharsets.UTF_8);
            files.add(0, dir.resolve(LOADER_FILE));
            files.add(0, dir.resolve(ARCH_FILE));
            files.add(0, dir.resolve(MANIFEST_FILE));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("export-model: cannot write '" + dir + "': " + e.getMessage(), e);
        }
    }
}
