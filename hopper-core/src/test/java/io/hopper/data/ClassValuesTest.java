package io.hopper.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassValuesTest {
    @Test
    void putsNullFirstThenNumbersNumericallyElseText() {
        assertEquals(Arrays.asList(null, "2", "9", "10"), ClassValues.sorted(Arrays.asList("10", null, "9", "2")));
        assertEquals(Arrays.asList(null, "10", "9", "a"), ClassValues.sorted(Arrays.asList("9", "a", null, "10")));
        assertEquals(List.of("-1.5", "0", "1e3"), ClassValues.sorted(List.of("1e3", "0", "-1.5")));
    }

    @Test
    void infersTheVartype() {
        assertEquals("integer", ClassValues.inferVartype(Arrays.asList("1", null, "20")));
        assertEquals("double precision", ClassValues.inferVartype(List.of("1", "2.5")));
        assertEquals("text", ClassValues.inferVartype(List.of("1", "x")));
        assertEquals("text", ClassValues.inferVartype(Arrays.asList((String) null)));
    }
}
