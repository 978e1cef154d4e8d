package io.hopper.automl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomParamsTest {

    private static String refused(String params) {
        return assertThrows(IllegalArgumentException.class, () -> RandomParams.parse(params)).getMessage();
    }

    @Test
    void parsesAndRoundTrips() {
        RandomParams p = RandomParams.parse("num_configs=27, R=9");
        assertEquals(new RandomParams(9, 27), p);
        assertEquals(p, RandomParams.parse(p.params()));
    }

    @Test
    void bothKeysAreRequiredAndChecked() {
        assertTrue(refused("R=9").contains("no num_configs"));
        assertTrue(refused("num_configs=2").contains("no R"));
        assertTrue(refused("R=0, num_configs=2").contains("R=0"));
        assertTrue(refused("R=1, num_configs=0").contains("num_configs=0"));
        assertTrue(refused("R=1, num_configs=2, eta=3").contains("'eta'"));
    }
}
