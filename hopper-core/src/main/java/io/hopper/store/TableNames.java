package io.hopper.store;

import java.util.regex.Pattern;

/**
 * Rules for table and column names: identifiers only, so that no name can smuggle SQL or a path.
 */
public final class TableNames {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private TableNames() {
    }

    /**
     * Returns the name if it is an identifier (a letter or underscore, then letters, digits or underscores, at
     * most 63 characters), else throws an IllegalArgumentException naming what and the rule.
     */
    public static String requireIdentifier(String what, String name) {
        if (!isIdentifier(name)) {
            throw new IllegalArgumentException(what + " '" + name + "' is not an identifier: use a letter or _ "
                    + "followed by letters, digits or _, at most 63 characters");
        }
        return name;
    }

    /** Whether the name is an identifier by the rule of {@link #requireIdentifier}; false for null. */
    public static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }

    /** Returns the table name if it is an identifier, else throws. */
    public static String requireTable(String name) {
        return requireIdentifier("table name", name);
    }
}
