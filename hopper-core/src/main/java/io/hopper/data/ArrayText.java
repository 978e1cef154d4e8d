package io.hopper.data;

import io.hopper.Echo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses the text of a numeric array as PostgreSQL prints it ({@code {1,2,3}}, nested {@code {{1,2},{3,4}}}) or
 * as JSON ({@code [1.0, 2.0]}), into row-major values and a shape.
 */
final class ArrayText {
    /** The parsed array. */
    record Parsed(double[] values, int[] shape) {
    }

    private final String text;
    private final String what;
    private int pos;
    private double[] values = new double[16];
    private int count;
    private int leafDepth = -1;
    /** The most dimensions an array may have. */
    static final int MAX_DEPTH = 32;

    private ArrayText(String text, String what) {
        this.text = text;
        this.what = what;
    }

    /** Whether a field holds an array: it starts with { or [. */
    static boolean looksLikeArray(String field) {
        return !field.isEmpty() && (field.charAt(0) == '{' || field.charAt(0) == '[');
    }

    /**
     * Parses an array.
     *
     * @param text the array text
     * @param what how messages name the value, e.g. "csv:x.csv column 'x' line 3"
     */
    static Parsed parse(String text, String what) {
        ArrayText p = new ArrayText(text, what);
        List<Integer> shape = new ArrayList<>();
        p.parseLevel(0, shape);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.bad("has text after the closing bracket");
        }
        int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
        return new Parsed(Arrays.copyOf(p.values, p.count), dims);
    }

    private void parseLevel(int depth, List<Integer> shape) {
        if (depth >= MAX_DEPTH) {
            throw bad("nests deeper than " + MAX_DEPTH + " levels; give X and Y arrays of at most " + MAX_DEPTH + " dimensions");
        }
        skipSpace();
        if (pos >= text.length() || (text.charAt(pos) != '{' && text.charAt(pos) != '[')) {
            throw bad("is not an array");
        }
        char close = text.charAt(pos) == '{' ? '}' : ']';
        pos++;
        if (shape.size() == depth) {
            shape.add(-1);
        }
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == close) {
            throw bad("has an empty array; X and Y arrays need at least one value");
        }
        int n = 0;
        while (true) {
            skipSpace();
            boolean nested = pos < text.length() && (text.charAt(pos) == '{' || text.charAt(pos) == '[');
            if (nested ? leafDepth != -1 && leafDepth <= depth : leafDepth != -1 && leafDepth != depth) {
                throw bad("is not rectangular; every sub-array needs the same shape");
            }
            if (nested) {
                parseLevel(depth + 1, shape);
            } else {
                leafDepth = depth;
                parseNumber();
            }
            n++;
            skipSpace();
            if (pos >= text.length()) {
                throw bad("is missing its closing '" + close + "'");
            }
            char c = text.charAt(pos++);
            if (c == close) {
                break;
            }
            if (c != ',') {
                throw bad("has '" + c + "' where a comma or '" + close + "' belongs");
            }
        }
        if (shape.get(depth) == -1) {
            shape.set(depth, n);
        } else if (shape.get(depth) != n) {
            throw bad("is not rectangular: a sub-array has " + n + " values where another has " + shape.get(depth));
        }
    }

    private void parseNumber() {
        int start = pos;
        while (pos < text.length() && ",}] \t".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String token = text.substring(start, pos);
        double v = Numbers.parse(token);
        if (Double.isNaN(v)) {
            if (token.equalsIgnoreCase("null") || token.isEmpty()) {
                throw bad("holds a NULL element; X and Y need every value: fill or drop the row");
            }
            throw bad("holds '" + token + "', which is not numeric");
        }
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = v;
    }

    private void skipSpace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t' || text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
            pos++;
        }
    }

    private IllegalArgumentException bad(String rule) {
        String shown = Echo.of(text.length() > 40 ? text.substring(0, 40) + "..." : text);
        return new IllegalArgumentException(what + ": array '" + shown + "' " + rule);
    }
}
