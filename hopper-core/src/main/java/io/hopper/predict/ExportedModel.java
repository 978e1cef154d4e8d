package io.hopper.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A model read back from the files {@link ModelExport} wrote, without any table: the architecture JSON, the weights
 * concatenated in get_weights() order, and the normalizing constant and class values the manifest records.
 *
 * @param archJson the Keras JSON
 * @param kerasWeights every weight concatenated in get_weights() order and layout
 * @param normalizingConst what X must be divided by before {@link #predictor()}
 * @param classValues the class of each output
 */
public record ExportedModel(String archJson, float[] kerasWeights, double normalizingConst, List<String> classValues) {
    /** Validates and copies the class values (nulls allowed; the weight array is not copied). */
    public ExportedModel {
        Objects.requireNonNull(archJson, "archJson");
        Objects.requireNonNull(kerasWeights, "kerasWeights");
        classValues = Collections.unmodifiableList(new ArrayList<>(classValues));
    }

    /**
     * Reads an export directory.
     *
     * @throws IllegalArgumentException when a file is missing or of another format
     */
    public static ExportedModel read(Path dir) {
        try {
            JsonNode manifest = new ObjectMapper().readTree(dir.resolve(ModelExport.MANIFEST_FILE).toFile());
            if (!ModelExport.FORMAT.equals(manifest.path("format").asText()) || manifest.path("format_version").asInt() != ModelExport.FORMAT_VERSION) {
                throw new IllegalArgumentException("'" + dir.resolve(ModelExport.MANIFEST_FILE) + "' is not a " + ModelExport.FORMAT + " version "
                        + ModelExport.FORMAT_VERSION + " manifest; export the model with this Hopper");
            }
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            for (JsonNode w : manifest.path("weights")) {
                Npy.Array a = Npy.read(dir.resolve(w.path("file").asText()));
                List<Integer> shape = new ArrayList<>();
                w.path("shape").forEach(d -> shape.add(d.asInt()));
                if (!a.shape().equals(shape)) {
                    throw new IllegalArgumentException("weights file '" + w.path("file").asText() + "' has shape " + a.shape() + " but the manifest says "
                            + shape + "; export the model again");
                }
                parts.add(a.values());
                total += a.values().length;
            }
            float[] flat = new float[total];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, flat, at, p.length);
                at += p.length;
            }
            List<String> classes = new ArrayList<>();
            manifest.path("class_values").forEach(c -> classes.add(c.isNull() ? null : c.asText()));
            String arch = Files.readString(dir.resolve(manifest.path("architecture").asText(ModelExport.ARCH_FILE)), StandardCharsets.UTF_8);
            return new ExportedModel(arch, flat, manifest.path("normalizing_const").asDouble(), classes);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("exported model in '" + dir + "': file '" + e.getFile() + "' is missing; export the model again");
        } catch (IOException e) {
            throw new UncheckedIOException("exported model in '" + dir + "': " + e.getMessage(), e);
        }
    }

    /** A predictor with these weights; X must be divided by {@link #normalizingConst()} first. */
    public KerasPredictor predictor() {
        return new KerasPredictor(archJson, kerasWeights);
    }
}
