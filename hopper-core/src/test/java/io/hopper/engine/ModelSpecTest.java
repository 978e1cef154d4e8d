package io.hopper.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelSpecTest {
    @Test
    void equalSettingsMakeEqualSpecs() {
        ModelSpec a = UnitTaskTest.MODEL;
        assertEquals(a, new ModelSpec(a.archJson(), a.compile(), a.fit()));
        assertThrows(NullPointerException.class, () -> new ModelSpec(null, a.compile(), a.fit()));
        assertThrows(NullPointerException.class, () -> new ModelSpec("{}", a.compile(), null));
    }
}
