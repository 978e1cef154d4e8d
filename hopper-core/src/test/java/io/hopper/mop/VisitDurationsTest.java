package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VisitDurationsTest {
    @Test
    void lowerBoundIsTotalWorkOverWorkersWhenLoadDominates() {
        VisitDurations d = new VisitDurations(Map.of(1, 1.0, 2, 2.0, 3, 3.0));
        // epochs on 4 partitions: 4, 8, 12; sum / 2 workers = 12; longest = 12
        assertEquals(12.0, d.iterationLowerBound(Configurations.of(1, 2, 3), Placement.roundRobin(4, 2)), 1e-12);
        // 4 workers: sum / 4 = 6 < longest 12
        assertEquals(12.0, d.iterationLowerBound(Configurations.of(1, 2, 3), Placement.roundRobin(4, 4)), 1e-12);
        // one worker: sum = 24
        assertEquals(24.0, d.iterationLowerBound(Configurations.of(1, 2, 3), Placement.roundRobin(4, 1)), 1e-12);
    }

    @Test
    void lowerBoundIsLongestEpochWhenOneConfigurationDominates() {
        VisitDurations d = new VisitDurations(Map.of(1, 1.0, 2, 1.0, 3, 10.0));
        // epochs on 2 partitions: 2, 2, 20; sum / 2 = 12 < 20
        assertEquals(20.0, d.iterationLowerBound(Configurations.of(1, 2, 3), Placement.roundRobin(2, 2)), 1e-12);
    }

    @Test
    void rejectsNonPositiveOrInfiniteDuration() {
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new VisitDurations(Map.of(4, bad)));
            assertTrue(e.getMessage().contains("mst 4"), e.getMessage());
        }
    }

    @Test
    void rejectsMissingConfiguration() {
        VisitDurations d = new VisitDurations(Map.of(1, 1.0));
        var e = assertThrows(IllegalArgumentException.class, () -> d.of(2));
        assertTrue(e.getMessage().contains("no duration for mst 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> d.iterationLowerBound(Configurations.of(1, 2), Placement.roundRobin(1, 1)));
    }
}
