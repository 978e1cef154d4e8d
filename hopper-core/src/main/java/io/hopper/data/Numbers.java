package io.hopper.data;

/** Strict parsing of decimal numbers from text. */
final class Numbers {
    private Numbers() {
    }

    /**
     * Parses a finite decimal number ({@code 12}, {@code -0.5}, {@code 1e-3}); returns NaN for anything else,
     * including text Java would accept but a CSV should not ({@code NaN}, {@code Infinity}, {@code 0x1p3},
     * {@code 1d}).
     */
    static double parse(String s) {
        int n = s.length();
        if (n == 0) {
            return Double.NaN;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Double.NaN;
            }
        }
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The value as float32, as packed tables store X; IllegalArgumentException when it is beyond float32's range
     * (about 3.4e38), which would be stored as infinity.
     *
     * @param where the value's place for the message, e.g. "csv:x.csv: line 3"
     * @param raw the value before dividing by the normalizing constant
     * @param normalizingConst the constant X is divided by
     */
    static float float32(double raw, double normalizingConst, String where) {
        float f = (float) (normalizingConst == 1.0 ? raw : raw / normalizingConst);
        if (Float.isInfinite(f)) {
            throw new IllegalArgumentException(where + ": X value " + raw + (normalizingConst == 1.0 ? "" : " / " + normalizingConst)
                    + " is beyond float32's range (+-3.4e38), so it would be stored as infinity; scale the column down or"
                    + " pass a larger --normalizing-const");
        }
        return f;
    }

    /** Whether the text is a finite decimal number. */
    static boolean isNumber(String s) {
        return !Double.isNaN(parse(s));
    }
}
