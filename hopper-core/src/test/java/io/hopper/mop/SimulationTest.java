package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
    @Test
    void ratioIsMakespanOverLowerBound() {
        assertEquals(1.5, new Simulation(List.of(), 0, 3.0, 2.0).ratio(), 1e-12);
    }

    @Test
    void copiesTheExecutedList() {
        List<ExecutedUnit> list = new ArrayList<>();
        Simulation s = new Simulation(list, 0, 1.0, 1.0);
        list.add(new ExecutedUnit(new Unit(1, 0, 1), 0, 0, 1));
        assertTrue(s.executed().isEmpty());
    }

    @Test
    void rejectsNonPositiveLowerBound() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Simulation(List.of(), 0, 1.0, 0.0));
        assertTrue(e.getMessage().contains("lowerBound=0.0"), e.getMessage());
    }
}
