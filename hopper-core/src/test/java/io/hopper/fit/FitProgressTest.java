package io.hopper.fit;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FitProgressTest {

    @Test
    void extrapolatesTheRemainingTime() {
        assertEquals(3000, new FitProgress(1, 2, 10, 40, 1000, Map.of()).estimatedRemainingMillis());
        assertEquals(-1, new FitProgress(1, 2, 0, 40, 1000, Map.of()).estimatedRemainingMillis());
    }

    @Test
    void sortsAndCopiesTheLosses() {
        Map<Integer, Double> losses = new HashMap<>(Map.of(3, 0.3, 1, 0.1));
        FitProgress p = new FitProgress(1, 1, 1, 1, 0, losses);
        losses.put(2, 0.2);
        assertEquals(List.of(1, 3), List.copyOf(p.latestLosses().keySet()));
    }

    @Test
    void refusesImpossibleCounts() {
        assertThrows(IllegalArgumentException.class, () -> new FitProgress(1, 1, 5, 4, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new FitProgress(1, 1, -1, 4, 0, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new FitProgress(1, 1, 1, 4, -1, Map.of()));
    }
}
