package io.hopper.data;

import io.hopper.store.TableNames;

import java.util.Arrays;
import java.util.List;

/** Checks of the names and numbers the preprocessing specs share. */
final class Varnames {
    /** The longest output table name: the summary table adds {@code _summary} and must stay an identifier. */
    static final int MAX_OUTPUT_TABLE = 63 - PackedTables.SUMMARY_SUFFIX.length();

    private Varnames() {
    }

    /** Splits a comma-separated list of column names, dropping spaces around them. */
    static List<String> split(String commaList) {
        if (commaList == null || commaList.isBlank()) {
            throw new IllegalArgumentException("--independent-varname is empty; give a column name or a comma-separated list");
        }
        List<String> names = Arrays.stream(commaList.split(",", -1)).map(String::strip).toList();
        if (names.contains("")) {
            throw new IllegalArgumentException("--independent-varname '" + commaList + "' has an empty name; separate names by single commas");
        }
        return names;
    }

    static List<String> requireColumns(List<String> names) {
        List<String> copy = List.copyOf(names);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("--independent-varname is empty; give a column name or a comma-separated list");
        }
        if (copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException("--independent-varname " + copy + " names a column twice; name each column once");
        }
        return copy;
    }

    static void requireColumn(String flag, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(flag + " is empty; give a column name");
        }
    }

    static void requireOutputTable(String flag, String table) {
        TableNames.requireIdentifier(flag, table);
        if (table.length() > MAX_OUTPUT_TABLE) {
            throw new IllegalArgumentException(flag + " '" + table + "' has " + table.length() + " characters; use at most "
                    + MAX_OUTPUT_TABLE + " so that its " + PackedTables.SUMMARY_SUFFIX + " table stays an identifier");
        }
    }

    static void requireBufferSize(Integer bufferSize) {
        if (bufferSize != null && bufferSize < 1) {
            throw new IllegalArgumentException("--buffer-size " + bufferSize + " is not positive; use a positive integer or leave it out");
        }
    }

    static <T> T required(String flag, T value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " is required; give it");
        }
        return value;
    }
}
