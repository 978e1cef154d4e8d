package io.hopper.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrayTextTest {
    @Test
    void parsesPostgresAndJsonArraysWithTheirShape() {
        ArrayText.Parsed p = ArrayText.parse("{1.0,2,-3e1}", "v");
        assertArrayEquals(new double[] {1, 2, -30}, p.values());
        assertArrayEquals(new int[] {3}, p.shape());
        p = ArrayText.parse("[[1, 2, 3], [4, 5, 6]]", "v");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, p.values());
        assertArrayEquals(new int[] {2, 3}, p.shape());
        assertTrue(ArrayText.looksLikeArray("[1]"));
        assertFalse(ArrayText.looksLikeArray("1"));
    }

    private static void refused(String text, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrayText.parse(text, "csv:x column 'a' line 2"));
        assertTrue(e.getMessage().startsWith("csv:x column 'a' line 2: array"), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @Test
    void refusesRaggedEmptyNullAndNonNumericArrays() {
        refused("{{1,2},{3}}", "not rectangular");
        refused("{1,{2}}", "not rectangular");
        refused("{{1},2}", "not rectangular");
        refused("{}", "empty array");
        refused("{1,NULL}", "NULL element");
        refused("{1,abc}", "'abc', which is not numeric");
        refused("{1,2", "missing its closing '}'");
        refused("{1,2} x", "text after the closing bracket");
    }
}
