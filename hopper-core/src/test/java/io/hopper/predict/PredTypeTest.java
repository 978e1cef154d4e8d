package io.hopper.predict;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredTypeTest {
    @Test
    void parsesTheFourForms() {
        assertEquals(PredType.PROB, PredType.parse("prob"));
        assertEquals(PredType.RESPONSE, PredType.parse(" Response "));
        assertEquals(new PredType(PredType.Kind.TOP_K, 2, 0), PredType.parse("2"));
        assertEquals(new PredType(PredType.Kind.THRESHOLD, 0, 0.25), PredType.parse("0.25"));
        assertEquals(new PredType(PredType.Kind.THRESHOLD, 0, 0.0), PredType.parse("0."));
        assertEquals("2", PredType.parse("2").toString());
    }

    @Test
    void keepsTheRankedClassesItsRuleSelects() {
        float[] sorted = {0.6f, 0.3f, 0.1f};
        assertEquals(3, PredType.PROB.keep(sorted));
        assertEquals(1, PredType.RESPONSE.keep(sorted));
        assertEquals(2, PredType.parse("2").keep(sorted));
        assertEquals(2, PredType.parse("0.2").keep(sorted));
        assertEquals(0, PredType.parse("0.65").keep(sorted));
    }

    @Test
    void anythingElseIsAOneLineErrorNamingTheValue() {
        for (String bad : new String[] {"probs", "", "1e3", "two", "0.5x"}) {
            String m = assertThrows(IllegalArgumentException.class, () -> PredType.parse(bad)).getMessage();
            assertTrue(m.startsWith("--pred-type '" + bad + "'") && m.contains("use e.g."), m);
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PredType.parse("0")).getMessage().contains("k >= 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PredType.parse("1.5")).getMessage().contains("[0, 1)"));
    }
}
