package io.hopper.automl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The strict parser of an automl_params string such as {@code "R=6, eta=3, skip_last=0"}: comma-separated
 * {@code key=integer} pairs, keys case-sensitive (R and r differ), each key at most once, only the method's keys.
 */
final class AutomlParams {
    private AutomlParams() {
    }

    /**
     * Parses the pairs of {@code text} (null or blank = none).
     *
     * @param method the method, for messages
     * @param allowed the keys the method takes, in the order messages list them
     * @return the values by key, in the order written
     * @throws IllegalArgumentException for a malformed pair, an unknown or repeated key, or a non-integer value
     */
    static Map<String, Integer> parse(String method, String text, List<String> allowed) {
        Map<String, Integer> values = new LinkedHashMap<>();
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
            try {
                values.put(key, Integer.parseInt(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("automl_params: " + key + "=" + value + " is not an integer; write e.g. "
                        + key + "=3", e);
            }
        }
        return values;
    }
}
