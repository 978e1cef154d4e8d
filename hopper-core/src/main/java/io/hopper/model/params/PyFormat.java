package io.hopper.model.params;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Writes values in Python's literal syntax, the way Python's repr does, so that canonical parameter strings are
 * the same on every JVM and read back to the same values.
 */
final class PyFormat {
    private PyFormat() {
    }

    /**
     * A finite double as Python's repr writes it: the shortest decimal that reads back to the same double, in
     * positional notation when its decimal exponent is in [-4, 16), else as d.ddde-XX; always with a '.' or an
     * exponent, so that it reads back as a float ("1.0", "0.001", "1e-07", "1e+16").
     */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("cannot write non-finite number " + value + " as a Python literal");
        }
        if (value == 0.0) {
            return "0.0";
        }
        BigDecimal shortest = shortest(value);
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = shortest.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = value < 0 ? "-" : "";
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** The shortest decimal (fewest significant digits, nearest at that length) that parses back to value. */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(rounded.toString()) == value) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** A string in single quotes with backslash, quote and control characters escaped. */
    static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('\'').toString();
    }

    /** True or False. */
    static String bool(boolean value) {
        return value ? "True" : "False";
    }
}
