package io.hopper.fit;

import java.util.Locale;

/**
 * How a fit's leaderboard shows its numbers: 4 significant digits, so that columns stay narrow and comparable.
 */
public final class Leaderboard {
    private Leaderboard() {
    }

    /** A number at 4 significant digits ({@code 0.1235}, {@code 12.35}, {@code 1.235e-05}); NaN and infinities by name. */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e-4 && a < 1e6 ? new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString()
                : String.format(Locale.ROOT, "%.3e", v);
    }
}
