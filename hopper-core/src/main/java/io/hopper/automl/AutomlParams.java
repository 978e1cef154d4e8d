package io.hopper.automl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The strict parser of an automl_params string such as {@code "R=6, eta=3, skip_last=0"}: comma-separated
 * {@code key=value} pairs, keys case-sensitive (R and r differ), each key at most once, only the method's keys; the
 * typed readers ({@link #integer}, {@link #number}, {@link #word}) refuse a value of the wrong kind naming the key.
 */
final class AutomlParams {
    private AutomlParams() {
    }

    /**
     * Parses the pairs of {@code text} (null or blank = none) into integers.
     *
     * @param method the method, for messages
     * @param allowed the keys the method takes, in the order messages list them
     * @return the values by key, in the order written
     * @throws IllegalArgumentException for a malformed pair, an unknown or repeated key, or a non-integer value
     */
    static Map<String, Integer> parse(String method, String text, List<String> allowed) {
        Map<String, Integer> values = new LinkedHashMap<>();
        parseText(method, text, allowed).forEach((key, value) -> values.put(key, integer(key, value)));
        return values;
    }

    /**
     * Parses the pairs of {@code text} (null or blank = none) as text, stripped.
     *
     * @throws IllegalArgumentException for a malformed pair or an unknown or repeated key
     */
    static Map<String, String> parseText(String method, String text, List<String> allowed) {
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return values;
        }
        String keys = String.join(", ", allowed);
        for (String pair : text.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("automl_params: '" + pair.strip() + "' in \"" + text + "\" is not key=value;"
                        + " write e.g. \"" + allowed.get(0) + "=6\" with keys " + keys + " for " + method);
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1).strip();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("automl_params: unknown key '" + key + "' for " + method + "; use "
                        + keys + " (keys are case-sensitive)");
            }
            if (values.containsKey(key)) {
                throw new IllegalArgumentException("automl_params: key '" + key + "' is given twice in \"" + text
                        + "\"; give each key once");
            }
            values.put(key, value);
        }
        return values;
    }

    /** The integer value of {@code key}. */
    static int integer(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("automl_params: " + key + "=" + value + " is not an integer; write e.g. "
                    + key + "=3", e);
        }
    }

    /** The finite number value of {@code key}. */
    static double number(String key, String value) {
        try {
            double v = Double.parseDouble(value);
            if (Double.isFinite(v) && !value.endsWith("d") && !value.endsWith("f") && !value.endsWith("D") && !value.endsWith("F")) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("automl_params: " + key + "=" + value + " is not a finite number; write e.g. "
                + key + "=0.25");
    }

    /** The value of {@code key} as a lowercase word, quotes around it removed. */
    static String word(String value) {
        String v = value;
        if (v.length() >= 2 && (v.startsWith("'") && v.endsWith("'") || v.startsWith("\"") && v.endsWith("\""))) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v.toLowerCase(Locale.ROOT);
    }
}
