package io.hopper.data;

import java.util.Optional;

/**
 * How a CSV file is written: the field delimiter and the text, besides an empty field, that stands for a missing
 * value (NULL). Quoting is RFC 4180's (double quotes, doubled inside), lines end in LF or CRLF, a leading byte order
 * mark is dropped.
 *
 * @param delimiter the field delimiter, e.g. {@code ','}, {@code ';'} or a tab
 * @param nullString a field equal to this text is a missing value, as an empty field is; empty when only empty
 *     fields are missing
 */
public record CsvDialect(char delimiter, Optional<String> nullString) {
    /** Commas, and only empty fields are missing. */
    public static final CsvDialect DEFAULT = new CsvDialect(',', Optional.empty());

    /** Validates. */
    public CsvDialect {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r' || delimiter == ' ') {
            throw new IllegalArgumentException("--csv-delimiter '" + printable(delimiter)
                    + "': a quote, a space or a line break cannot separate fields; use one character such as , ; | or \\t");
        }
        if (nullString.isPresent() && (nullString.get().isEmpty() || nullString.get().indexOf(delimiter) >= 0
                || nullString.get().contains("\n") || nullString.get().contains("\r"))) {
            throw new IllegalArgumentException("--null-string '" + nullString.get() + "': must be non-empty text without the delimiter '"
                    + printable(delimiter) + "' or a line break, e.g. NA or \\N");
        }
    }

    /**
     * The dialect of the command line's {@code --csv-delimiter} and {@code --null-string}.
     *
     * @param delimiter one character, or {@code \t} or {@code tab} for a tab; null for a comma
     * @param nullString the missing-value text, or null
     */
    public static CsvDialect of(String delimiter, String nullString) {
        char d = ',';
        if (delimiter != null) {
            if (delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab")) {
                d = '\t';
            } else if (delimiter.length() == 1) {
                d = delimiter.charAt(0);
            } else {
                throw new IllegalArgumentException("--csv-delimiter '" + delimiter + "': give one character (or \\t for a tab)");
            }
        }
        return new CsvDialect(d, Optional.ofNullable(nullString));
    }

    /** Whether a field's text stands for a missing value. */
    boolean isNull(String field) {
        return field.isEmpty() || nullString.isPresent() && nullString.get().equals(field);
    }

    private static String printable(char c) {
        return c == '\t' ? "\\t" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : String.valueOf(c);
    }
}
