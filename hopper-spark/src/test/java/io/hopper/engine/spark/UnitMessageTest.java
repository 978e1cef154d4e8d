package io.hopper.engine.spark;

import io.hopper.engine.Phase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitMessageTest {
    private static UnitMessage message(byte[] state) {
        return new UnitMessage("fit", "/store", java.time.Duration.ofSeconds(5), true, "iris", 1, 2, 3, Phase.TRAIN, "{}", "loss='mse'", "batch_size=1",
                7L, state, null);
    }

    @Test
    void carriesItsInlineState() {
        assertArrayEquals(new byte[] {1, 2}, message(new byte[] {1, 2}).state());
    }

    @Test
    void refusesAMessageWithoutAState() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> message(null));
        assertTrue(e.getMessage().startsWith("unit message (mst 1, partition 2): give the state either inline or by broadcast"),
                e.getMessage());
    }

    @Test
    void refusesABadTable() {
        assertThrows(IllegalArgumentException.class, () -> new UnitMessage("fit", "/store", java.time.Duration.ofSeconds(5), true, "no such table!", 1, 2, 3,
                Phase.TRAIN, "{}", "c", "f", 7L, new byte[0], null));
    }
}
