package io.hopper;

/**
 * Input quoted back in an error message, made safe for one terminal line: control characters (line breaks, a
 * terminal's escape sequences) are shown as {@code \n}, {@code \r}, {@code \t} or {@code \x1b}-style escapes, and
 * at most {@value #MAX_CHARS} characters are kept, the rest counted.
 */
public final class Echo {
    /** The most characters of any input a message repeats. */
    public static final int MAX_CHARS = 300;

    private Echo() {
    }

    /** The input, escaped and cut to {@link #MAX_CHARS} characters with a note of the full length; "null" for null. */
    public static String of(String input) {
        if (input == null) {
            return "null";
        }
        int n = Math.min(input.length(), MAX_CHARS);
        StringBuilder b = new StringBuilder(n + 24);
        for (int i = 0; i < n; i++) {
            char c = input.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (input.length() > MAX_CHARS) {
            b.append("... (").append(input.length()).append(" characters)");
        }
        return b.toString();
    }
}
