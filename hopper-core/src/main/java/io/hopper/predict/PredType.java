package io.hopper.predict;

import java.util.Locale;
import java.util.Objects;

/**
 * MADlib's pred_type: which classes of each row predict writes.
 *
 * <ul>
 *   <li>{@code prob}: every class, with its probability and rank;</li>
 *   <li>{@code response}: the top class only;</li>
 *   <li>an integer k: the top k classes;</li>
 *   <li>a number v in [0, 1) with a decimal point: the classes whose probability is above v.</li>
 * </ul>
 *
 * @param kind which rule
 * @param topK the k of {@link Kind#TOP_K} (1 for response, 0 for the others)
 * @param threshold the v of {@link Kind#THRESHOLD} (0 for the others)
 */
public record PredType(Kind kind, int topK, double threshold) {
    /** The kinds of pred_type. */
    public enum Kind {
        /** Every class. */
        PROB,
        /** The top class. */
        RESPONSE,
        /** The top k classes. */
        TOP_K,
        /** The classes above a probability. */
        THRESHOLD
    }

    /** Every class. */
    public static final PredType PROB = new PredType(Kind.PROB, 0, 0);
    /** The top class. */
    public static final PredType RESPONSE = new PredType(Kind.RESPONSE, 1, 0);

    /** Validates. */
    public PredType {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.TOP_K && topK < 1) {
            throw new IllegalArgumentException("--pred-type " + topK + " is not a positive number of classes; use k >= 1");
        }
        if (kind == Kind.THRESHOLD && !(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("--pred-type " + threshold + " is not a probability in [0, 1); use e.g. 0.5");
        }
    }

    /**
     * Parses {@code prob}, {@code response}, an integer k or a decimal number v.
     *
     * @throws IllegalArgumentException for anything else, naming the value
     */
    public static PredType parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("prob")) {
            return PROB;
        }
        if (t.equals("response")) {
            return RESPONSE;
        }
        if (t.matches("[+-]?\\d{1,9}")) {
            return new PredType(Kind.TOP_K, Integer.parseInt(t), 0);
        }
        if (t.matches("[+-]?(\\d+\\.\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return new PredType(Kind.THRESHOLD, 0, Double.parseDouble(t));
        }
        throw new IllegalArgumentException("--pred-type '" + text + "' is not prob, response, an integer k or a probability v;"
                + " use e.g. prob, response, 2 or 0.5");
    }

    /** How many of a row's classes, ranked by probability, to write given their sorted probabilities. */
    int keep(float[] sortedDescending) {
        return switch (kind) {
            case PROB -> sortedDescending.length;
            case RESPONSE, TOP_K -> Math.min(topK, sortedDescending.length);
            case THRESHOLD -> {
                int n = 0;
                while (n < sortedDescending.length && sortedDescending[n] > threshold) {
                    n++;
                }
                yield n;
            }
        };
    }

    /** The text form: prob, response, k or v. */
    @Override
    public String toString() {
        return switch (kind) {
            case PROB -> "prob";
            case RESPONSE -> "response";
            case TOP_K -> Integer.toString(topK);
            case THRESHOLD -> Double.toString(threshold);
        };
    }
}
