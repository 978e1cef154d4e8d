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

    /** A one-element list of a Y column, or null (missing) for null. */
    static List<String> one(String name) {
        return name == null ? null : java.util.Collections.singletonList(name);
    }

    /** Splits each comma-separated group; null stays null (missing). */
    static List<List<String>> groups(List<String> commaLists) {
        return commaLists == null ? null : commaLists.stream().map(Varnames::split).toList();
    }

    /** Checks the Y columns: at least one, none empty, none twice. */
    static List<String> requireDependents(List<String> names) {
        List<String> copy = new java.util.ArrayList<>(required("--dependent-varname", names));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("--dependent-varname is required; give it");
        }
        for (String n : copy) {
            requireColumn("--dependent-varname", n);
        }
        if (copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException("--dependent-varname " + copy + " names a column twice; name each Y column once");
        }
        return List.copyOf(copy);
    }

    /**
     * Checks the X groups: at least one, each valid; in a multi-input or multi-output table no Y column is also an X
     * column and no Y column name holds a comma (a column may feed several inputs, as in MADlib).
     */
    static List<List<String>> requireGroups(List<List<String>> groups, List<String> dependents) {
        List<List<String>> copy = required("--independent-varname", groups).stream().map(Varnames::requireColumns).toList();
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("--independent-varname is required; give it");
        }
        if (copy.size() > 1 || dependents.size() > 1) {
            for (String y : dependents) {
                if (copy.stream().anyMatch(g -> g.contains(y))) {
                    throw new IllegalArgumentException("--dependent-varname '" + y + "' is also in --independent-varname " + copy
                            + "; a Y column cannot be a feature");
                }
                if (y.contains(",")) {
                    throw new IllegalArgumentException("--dependent-varname '" + y + "' holds a comma; several Y columns are "
                            + "given as repeated --dependent-varname options");
                }
            }
        }
        return copy;
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
