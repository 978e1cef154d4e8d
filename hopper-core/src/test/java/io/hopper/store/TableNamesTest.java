package io.hopper.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableNamesTest {

    @Test
    void acceptsIdentifiers() {
        for (String name : new String[] {"a", "_", "iris_train", "T1", "_x9", "a".repeat(63)}) {
            assertEquals(name, TableNames.requireTable(name));
            assertTrue(TableNames.isIdentifier(name), name);
        }
    }

    @Test
    void refusesPathsSqlAndOddNames() {
        String[] bad = {"x; drop table y", "../etc", "..", ".", "a/b", "a\\b", "", " a", "1abc", "a-b", "a b", "a.b",
            "t\"x", "t'x", "é", "a".repeat(64), "a\nb", "a\u0000b"};
        for (String name : bad) {
            assertFalse(TableNames.isIdentifier(name), name);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableNames.requireTable(name));
            assertTrue(e.getMessage().startsWith("table name '" + name + "' is not an identifier"), e.getMessage());
        }
        assertFalse(TableNames.isIdentifier(null));
        assertThrows(IllegalArgumentException.class, () -> TableNames.requireTable(null));
    }

    @Test
    void messageNamesWhatWasChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableNames.requireIdentifier("column name", "x y"));
        assertTrue(e.getMessage().startsWith("column name 'x y' is not an identifier: use a letter or _"), e.getMessage());
    }
}
