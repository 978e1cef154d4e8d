package io.hopper.model.keras;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed access to one serialized Keras layer ({@code {"class_name": ..., "config": {...}}}); every accessor either
 * takes Keras's documented default for that key or requires the key, and every error names the layer.
 */
final class LayerConfig {
    private final String className;
    private final String name;
    private final JsonNode config;
    private final JsonNode buildInputShape;
    private boolean keras3;
    private final String module;

    LayerConfig(JsonNode layer) {
        JsonNode cls = layer.get("class_name");
        if (cls == null || !cls.isTextual()) {
            throw new IllegalArgumentException("model_arch: a layer entry has no class_name string; pass the output of model.to_json()");
        }
        this.className = cls.asText();
        JsonNode cfg = layer.get("config");
        this.config = cfg == null || cfg.isNull() ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode() : cfg;
        String n = config.isObject() && config.path("name").isTextual() ? config.get("name").asText() : layer.path("name").asText("");
        this.name = n.isEmpty() ? className.toLowerCase(java.util.Locale.ROOT) : n;
        JsonNode build = layer.path("build_config").path("input_shape");
        this.buildInputShape = build.isArray() && !build.isEmpty() && !build.get(0).isArray() ? build : null;
        JsonNode module = layer.get("module");
        this.module = module == null || module.isNull() ? "" : module.asText();
        JsonNode registered = layer.get("registered_name");
        boolean builtIn = (module == null || module.isNull() || module.asText().equals("keras") || module.asText().startsWith("keras."))
                && (registered == null || registered.isNull() || registered.asText().equals(className));
        if (!builtIn) {
            throw error("is the registered class '" + (registered == null || registered.isNull() ? className : registered.asText())
                    + "' from module '" + (module == null ? "" : module.asText()) + "', which holds Python code Hopper cannot run; "
                    + "rewrite it with built-in layers");
        }
    }

    /** Whether the entry is a Keras 3 operation (module keras.src.ops.*) rather than a layer. */
    boolean isOp() {
        return module.startsWith("keras.src.ops.") || module.equals("keras.ops");
    }

    /** Marks the layer as read from a Keras 3 document (set by the factory before the layer reads its config). */
    LayerConfig keras3(boolean fromKeras3) {
        this.keras3 = fromKeras3;
        return this;
    }

    /** Whether the layer comes from a Keras 3 document (for the few defaults and formulas Keras 3 changed). */
    boolean keras3() {
        return keras3;
    }

    /** Keras 3's build_config input shape ([null, dims...]), or null when the entry has none. */
    JsonNode buildInputShape() {
        return buildInputShape;
    }

    String className() {
        return className;
    }

    String name() {
        return name;
    }

    /** The layer's config object (for a Sequential it may be a list). */
    JsonNode config() {
        return config;
    }

    /** An error for this layer: one line naming the layer, the rule broken and the fix. */
    IllegalArgumentException error(String ruleAndFix) {
        return new IllegalArgumentException("model_arch: layer '" + name + "' (" + className + "): " + ruleAndFix);
    }

    boolean has(String key) {
        JsonNode v = config.get(key);
        return v != null && !v.isNull();
    }

    JsonNode node(String key) {
        return config.get(key);
    }

    int requiredPositiveInt(String key) {
        if (!has(key)) {
            throw error("'" + key + "' is missing; set it to a positive integer");
        }
        return positive(key, config.get(key));
    }

    int intOr(String key, int dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode v = config.get(key);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw error("'" + key + "' is " + v + ", not an integer; set an integer");
        }
        return v.asInt();
    }

    private int positive(String key, JsonNode v) {
        if (!v.isIntegralNumber() || v.asInt() <= 0) {
            throw error("'" + key + "' is " + v + ", not a positive integer; set a positive integer");
        }
        return v.asInt();
    }

    double doubleOr(String key, double dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode v = config.get(key);
        if (!v.isNumber()) {
            throw error("'" + key + "' is " + v + ", not a number; set a number");
        }
        return v.asDouble();
    }

    boolean boolOr(String key, boolean dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode v = config.get(key);
        if (!v.isBoolean()) {
            throw error("'" + key + "' is " + v + ", not true/false; set a boolean");
        }
        return v.asBoolean();
    }

    String stringOr(String key, String dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode v = config.get(key);
        if (!v.isTextual()) {
            throw error("'" + key + "' is " + v + ", not a string; set a string");
        }
        return v.asText();
    }

    /** A tuple of n positive integers given as one integer or a list of n, or the default when absent. */
    int[] tuple(String key, int n, int[] dflt) {
        if (!has(key)) {
            if (dflt == null) {
                throw error("'" + key + "' is missing; set " + n + " positive integer(s)");
            }
            return dflt.clone();
        }
        JsonNode v = config.get(key);
        int[] out = new int[n];
        if (v.isIntegralNumber()) {
            java.util.Arrays.fill(out, positive(key, v));
            return out;
        }
        if (!v.isArray() || v.size() != n) {
            throw error("'" + key + "' is " + v + "; give one positive integer or a list of " + n);
        }
        for (int i = 0; i < n; i++) {
            out[i] = positive(key, v.get(i));
        }
        return out;
    }

    /** "valid", "same" or (when allowed) "causal". */
    String padding(boolean allowCausal) {
        String p = stringOr("padding", "valid");
        if (!p.equals("valid") && !p.equals("same") && !(allowCausal && p.equals("causal"))) {
            throw error("padding '" + p + "' is not supported; use " + (allowCausal ? "valid, same or causal" : "valid or same"));
        }
        return p;
    }

    /** True for channels_first, false for channels_last (Keras's default). */
    boolean channelsFirst() {
        String f = stringOr("data_format", "channels_last");
        if (!f.equals("channels_last") && !f.equals("channels_first")) {
            throw error("data_format '" + f + "' is unknown; use channels_last or channels_first");
        }
        return f.equals("channels_first");
    }

    KerasActivation activation(String key, String dflt) {
        if (!has(key)) {
            return KerasActivation.of(dflt, this);
        }
        JsonNode v = config.get(key);
        if (!v.isTextual()) {
            throw error("'" + key + "' is " + v + ", not an activation name; use a built-in activation name");
        }
        return KerasActivation.of(v.asText(), this);
    }

    KerasInitializer initializer(String key, KerasInitializer dflt) {
        return has(key) ? KerasInitializer.parse(config.get(key), this, key) : dflt;
    }

    /** Refuses a key whose value differs from the only supported one. */
    void requireAbsentOr(String key, Object supported, String what) {
        if (!has(key)) {
            return;
        }
        JsonNode v = config.get(key);
        boolean same = supported instanceof Boolean b ? v.isBoolean() && v.asBoolean() == b
                : supported instanceof Number num ? v.isNumber() && v.asDouble() == num.doubleValue()
                : v.asText().equals(supported.toString());
        if (!same) {
            throw error("'" + key + "' = " + v + " (" + what + ") is not supported; set it to " + supported);
        }
    }
}
