package io.hopper.model.keras;

import com.fasterxml.jackson.databind.JsonNode;
import io.hopper.model.WeightConstraint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a layer's weight constraints ({@code kernel_constraint}, {@code bias_constraint}, ...) as Keras 2 and 3
 * serialize them: MaxNorm, MinMaxNorm, UnitNorm and NonNeg objects, or their string names with Keras's defaults.
 */
final class KerasConstraint {
    private static final String SUFFIX = "_constraint";

    private KerasConstraint() {
    }

    /**
     * The constraints a layer's config sets, by the weight they apply to; null constraints are skipped.
     *
     * @throws IllegalArgumentException naming the layer and key for unknown constraints or config
     */
    static Map<String, WeightConstraint> constraints(LayerConfig c) {
        Map<String, WeightConstraint> out = new java.util.HashMap<>();
        for (var e : c.config().properties()) {
            if (e.getKey().endsWith(SUFFIX) && !e.getValue().isNull()) {
                out.put(KerasRegularizer.weightOf(c, e.getKey(), SUFFIX), parse(c, e.getKey(), e.getValue()));
            }
        }
        return Map.copyOf(out);
    }

    private static WeightConstraint parse(LayerConfig c, String key, JsonNode node) {
        String cls = node.isTextual() ? node.asText() : node.path("class_name").asText("");
        String module = node.path("module").isTextual() ? node.get("module").asText() : "";
        JsonNode registered = node.get("registered_name");
        boolean builtIn = (module.isEmpty() || module.equals("keras") || module.startsWith("keras."))
                && (registered == null || registered.isNull() || registered.asText().equals(cls));
        String kind = switch (cls) {
            case "MaxNorm", "max_norm", "maxnorm" -> "MaxNorm";
            case "MinMaxNorm", "min_max_norm" -> "MinMaxNorm";
            case "UnitNorm", "unit_norm", "unitnorm" -> "UnitNorm";
            case "NonNeg", "non_neg", "nonneg" -> "NonNeg";
            default -> null;
        };
        if (kind == null || !builtIn || !(node.isTextual() || node.isObject())) {
            throw c.error("'" + key + "' is " + (cls.isEmpty() ? node.toString() : "the constraint '" + cls + "'")
                    + ", which Hopper cannot apply; use MaxNorm, MinMaxNorm, UnitNorm or NonNeg, or set it to null");
        }
        JsonNode cfg = node.path("config");
        Set<String> keys = switch (kind) {
            case "MaxNorm" -> Set.of("max_value", "axis");
            case "MinMaxNorm" -> Set.of("min_value", "max_value", "rate", "axis");
            case "UnitNorm" -> Set.of("axis");
            default -> Set.of();
        };
        for (var e : cfg.properties()) {
            if (!keys.contains(e.getKey())) {
                throw c.error("'" + key + "' (" + kind + ") has config '" + e.getKey() + "'; " + kind + " takes "
                        + (keys.isEmpty() ? "no config" : "only " + String.join(", ", new java.util.TreeSet<>(keys))));
            }
        }
        try {
            List<Integer> axes = axes(c, key, cfg.path("axis"));
            return switch (kind) {
                case "MaxNorm" -> new WeightConstraint.MaxNorm(number(c, key, cfg, "max_value", 2), axes);
                case "MinMaxNorm" -> new WeightConstraint.MinMaxNorm(number(c, key, cfg, "min_value", 0), number(c, key, cfg, "max_value", 1),
                        number(c, key, cfg, "rate", 1), axes);
                case "UnitNorm" -> new WeightConstraint.UnitNorm(axes);
                default -> new WeightConstraint.NonNeg();
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("model_arch:") ? e : c.error("'" + key + "': " + e.getMessage());
        }
    }

    private static double number(LayerConfig c, String key, JsonNode cfg, String name, double keras) {
        JsonNode v = cfg.get(name);
        if (v == null || v.isNull()) {
            return keras;
        }
        if (!v.isNumber()) {
            throw c.error("'" + key + "' has " + name + " " + v + "; give a number");
        }
        return v.asDouble();
    }

    private static List<Integer> axes(LayerConfig c, String key, JsonNode axis) {
        if (axis.isMissingNode() || axis.isNull()) {
            return List.of(0);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode a : axis.isArray() ? axis : List.of(axis)) {
            if (!a.canConvertToInt() || !a.isIntegralNumber()) {
                throw c.error("'" + key + "' has axis " + axis + "; give an integer or a list of integers");
            }
            out.add(a.asInt());
        }
        return out;
    }

    /** The constraint of a weight of the layer: the layer's own constraint of it, else the one it already has. */
    static WeightSpec apply(Layer layer, Map<String, WeightConstraint> constraints, WeightSpec w) {
        WeightConstraint k = constraints.get(KerasRegularizer.lastName(w));
        if (k == null) {
            return w;
        }
        if (!k.fits(w.shape().dimension())) {
            throw layer.error("constrains '" + KerasRegularizer.lastName(w) + "' of shape " + Shapes.keras(w.shape())
                    + " along axes " + k.axes() + ", which it does not have; use axes below " + w.shape().dimension());
        }
        return w.withConstraint(k);
    }
}
