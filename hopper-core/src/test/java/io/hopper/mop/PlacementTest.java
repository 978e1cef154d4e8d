package io.hopper.mop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementTest {
    @Test
    void roundRobinPutsPartitionPOnWorkerPModW() {
        Placement placement = Placement.roundRobin(5, 2);
        assertEquals(List.of(List.of(0, 2, 4), List.of(1, 3)), placement.partitionsByWorker());
        assertEquals(2, placement.workers());
        assertEquals(5, placement.partitions());
        for (int p = 0; p < 5; p++) {
            assertEquals(p % 2, placement.workerOf(p));
        }
    }

    @Test
    void sortsEachWorkersPartitions() {
        Placement placement = new Placement(List.of(List.of(2, 0), List.of(1)));
        assertEquals(List.of(0, 2), placement.partitionsOf(0));
        assertEquals(1, placement.workerOf(1));
    }

    @Test
    void rejectsPartitionOnTwoWorkers() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Placement(List.of(List.of(0, 1), List.of(1))));
        assertTrue(e.getMessage().contains("partition 1 is on workers 0 and 1"), e.getMessage());
    }

    @Test
    void rejectsGapInPartitions() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Placement(List.of(List.of(0), List.of(2))));
        assertTrue(e.getMessage().contains("partition 2"), e.getMessage());
    }

    @Test
    void rejectsWorkerWithoutPartition() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Placement(List.of(List.of(0), List.of())));
        assertTrue(e.getMessage().contains("worker 1 owns no partition"), e.getMessage());
    }

    @Test
    void rejectsNoWorker() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Placement(List.of()));
        assertTrue(e.getMessage().contains("no worker"), e.getMessage());
    }

    @Test
    void roundRobinRejectsMoreWorkersThanPartitions() {
        var e = assertThrows(IllegalArgumentException.class, () -> Placement.roundRobin(2, 3));
        assertTrue(e.getMessage().contains("workers=3"), e.getMessage());
    }

    @Test
    void rejectsUnknownWorkerAndPartition() {
        Placement placement = Placement.roundRobin(3, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> placement.partitionsOf(2));
        assertTrue(e.getMessage().contains("worker 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> placement.workerOf(3));
        assertTrue(e.getMessage().contains("partition 3"), e.getMessage());
    }
}
