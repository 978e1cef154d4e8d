package io.hopper.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.hopper.model.WeightPenalty;

import java.util.Map;
import java.util.Set;

/**
 * Reads a layer's weight regularizers ({@code kernel_regularizer}, {@code bias_regularizer}, ...) as Keras 2 and 3
 * serialize them: {@code L1}, {@code L2} and {@code L1L2} objects (Keras 2.0-2.3 write every one as L1L2), or the
 * strings {@code l1}, {@code l2}, {@code l1_l2} with Keras's default factor 0.01.
 */
final class KerasRegularizer {
    /** The weight each regularizer or constraint key prefix applies to (the last segment of the weight's name). */
    private static final Map<String, String> WEIGHT_OF_PREFIX = Map.of("kernel", "kernel", "bias", "bias",
            "recurrent", "recurrent_kernel", "embeddings", "embeddings", "depthwise", "depthwise_kernel",
            "pointwise", "pointwise_kernel", "beta", "beta", "gamma", "gamma", "alpha", "alpha");
    private static final double KERAS_DEFAULT = 0.01;

    private KerasRegularizer() {
    }

    /**
     * The penalties a layer's config sets, by the weight they apply to; null regularizers are skipped.
     *
     * @throws IllegalArgumentException naming the layer for activity regularizers, unknown keys or classes
     */
    static Map<String, WeightPenalty> penalties(LayerConfig c) {
        Map<String, WeightPenalty> out = new java.util.HashMap<>();
        for (var e : c.config().properties()) {
            String key = e.getKey();
            if (!key.endsWith("_regularizer") || e.getValue().isNull()) {
                continue;
            }
            if (key.equals("activity_regularizer")) {
                throw c.error("'activity_regularizer' is set, but Hopper applies only weight regularizers (kernel_regularizer and the"
                        + " like); set it to null");
            }
            String weight = weightOf(c, key, "_regularizer");
            WeightPenalty p = parse(c, key, e.getValue());
            if (!p.isNone()) {
                out.put(weight, p);
            }
        }
        return Map.copyOf(out);
    }

    private static WeightPenalty parse(LayerConfig c, String key, JsonNode node) {
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "l1" -> new WeightPenalty(KERAS_DEFAULT, 0);
                case "l2" -> new WeightPenalty(0, KERAS_DEFAULT);
                case "l1_l2" -> new WeightPenalty(KERAS_DEFAULT, KERAS_DEFAULT);
                default -> throw c.error("'" + key + "' is '" + node.asText() + "'; use l1, l2, l1_l2 or an L1, L2 or L1L2 object");
            };
        }
        String cls = node.path("class_name").asText("");
        String module = node.path("module").isTextual() ? node.get("module").asText() : "";
        JsonNode registered = node.get("registered_name");
        boolean builtIn = (module.isEmpty() || module.equals("keras") || module.startsWith("keras."))
                && (registered == null || registered.isNull() || registered.asText().equals(cls));
        Set<String> keys = switch (cls) {
            case "L1", "l1" -> Set.of("l1");
            case "L2", "l2" -> Set.of("l2");
            case "L1L2", "l1_l2" -> Set.of("l1", "l2");
            default -> null;
        };
        if (!node.isObject() || keys == null || !builtIn) {
            throw c.error("'" + key + "' is " + (cls.isEmpty() ? node.toString() : "the regularizer '" + cls + "'")
                    + ", which Hopper cannot apply; use an L1, L2 or L1L2 regularizer or set it to null");
        }
        JsonNode cfg = node.path("config");
        for (var e : cfg.properties()) {
            if (!keys.contains(e.getKey()) || !e.getValue().isNumber()) {
                throw c.error("'" + key + "' (" + cls + ") has config '" + e.getKey() + "': " + e.getValue() + "; " + cls
                        + " takes only the number" + (keys.size() > 1 ? "s l1 and l2" : " " + keys.iterator().next()));
            }
        }
        double fallback = keys.size() > 1 ? 0 : KERAS_DEFAULT;
        try {
            return new WeightPenalty(keys.contains("l1") ? cfg.path("l1").asDouble(fallback) : 0,
                    keys.contains("l2") ? cfg.path("l2").asDouble(fallback) : 0);
        } catch (IllegalArgumentException e) {
            throw c.error("'" + key + "': " + e.getMessage());
        }
    }

    /** The weight a {@code <prefix><suffix>} key applies to; refuses keys of weights Hopper does not know. */
    static String weightOf(LayerConfig c, String key, String suffix) {
        String weight = WEIGHT_OF_PREFIX.get(key.substring(0, key.length() - suffix.length()));
        if (weight == null) {
            throw c.error("'" + key + "' is set, but Hopper knows no weight it applies to; set it to null");
        }
        return weight;
    }

    /** The last segment of a weight's name, by which a layer's regularizers and constraints find it. */
    static String lastName(WeightSpec w) {
        return w.name().substring(w.name().lastIndexOf('/') + 1);
    }

    /** The penalty of a weight of the layer: the layer's own regularizer of it, else the one it already has. */
    static WeightSpec apply(Map<String, WeightPenalty> penalties, WeightSpec w) {
        WeightPenalty p = penalties.get(lastName(w));
        return p == null ? w : w.withPenalty(p);
    }
}
