package io.hopper.model.keras;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardContextTest {

    @Test
    void streamsDependOnSeedAndPosition() {
        ForwardContext c = new ForwardContext(true, 5L);
        assertEquals(c.at(1).random().nextLong(), new ForwardContext(true, 5L).at(1).random().nextLong());
        assertNotEquals(c.at(1).random().nextLong(), c.at(2).random().nextLong());
        assertNotEquals(c.at(1).at(2).random().nextLong(), c.at(2).at(1).random().nextLong());
        assertNotEquals(c.at(1).random().nextLong(), new ForwardContext(true, 6L).at(1).random().nextLong());
        assertTrue(c.training());
    }

    @Test
    void randomWithoutSeedIsBrokenState() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ForwardContext(true, null).at(0).random());
        assertTrue(e.getMessage().contains("SEED_PARAM"), e.getMessage());
    }
}
