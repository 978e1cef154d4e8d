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

    /** Whether the text is a finite decimal number. */
    static boolean isNumber(String s) {
        return !Double.isNaN(parse(s));
    }
}
