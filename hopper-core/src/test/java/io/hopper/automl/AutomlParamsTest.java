package io.hopper.automl;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutomlParamsTest {
    private static final List<String> KEYS = List.of("R", "eta", "skip_last");

    private static IllegalArgumentException refused(String text) {
        return assertThrows(IllegalArgumentException.class, () -> AutomlParams.parse("hyperband", text, KEYS));
    }

    @Test
    void parsesPairsWithSpacesInTheOrderWritten() {
        assertEquals(Map.of("R", 6, "eta", 3, "skip_last", 0), AutomlParams.parse("hyperband", " R = 6,eta=3 , skip_last=0", KEYS));
        assertEquals(List.of("eta", "R"), List.copyOf(AutomlParams.parse("hyperband", "eta=2, R=8", KEYS).keySet()));
        assertEquals(Map.of(), AutomlParams.parse("hyperband", "  ", KEYS));
        assertEquals(Map.of(), AutomlParams.parse("hyperband", null, KEYS));
    }

    @Test
    void unknownKeyIsNamedWithTheKnownOnes() {
        IllegalArgumentException e = refused("R=6, Eta=3");
        assertTrue(e.getMessage().contains("'Eta'") && e.getMessage().contains("R, eta, skip_last"), e.getMessage());
        assertTrue(refused("r=6").getMessage().contains("'r'"));
    }

    @Test
    void repeatedKeyIsRefused() {
        assertTrue(refused("R=6, R=9").getMessage().contains("'R' is given twice"));
    }

    @Test
    void nonIntegerValueIsRefused() {
        IllegalArgumentException e = refused("R=6.5");
        assertTrue(e.getMessage().contains("R=6.5") && e.getMessage().contains("not an integer"), e.getMessage());
    }

    @Test
    void pairWithoutEqualsIsRefused() {
        IllegalArgumentException e = refused("R=6, eta");
        assertTrue(e.getMessage().contains("'eta'") && e.getMessage().contains("key=value"), e.getMessage());
        assertTrue(refused("R=6,").getMessage().contains("key=value"));
    }
}
