package io.hopper.engine.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitReplyTest {
    @Test
    void keepsWhatTheExecutorReported() {
        UnitReply r = new UnitReply(null, 0.5, 0.9, true, 50, "1", "10.0.0.2", false);
        assertEquals("1", r.executorId());
        assertEquals(50, r.samples());
    }

    @Test
    void refusesNegativeSamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnitReply(null, 0.5, 0.9, true, -1, "1", "h", false));
        assertTrue(e.getMessage().startsWith("unit reply: samples=-1"), e.getMessage());
    }
}
