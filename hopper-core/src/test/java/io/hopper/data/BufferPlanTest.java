package io.hopper.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BufferPlanTest {
    @Test
    void followsMadlibExamples() {
        BufferPlan p = BufferPlan.of(120, 2, 4, null);
        assertEquals(60, p.bufferSize());
        assertEquals(2, p.buffers());
        p = BufferPlan.of(52, 3, 4, null);
        assertEquals(18, p.bufferSize());
        assertEquals(3, p.buffers());
        assertEquals(16, p.rowsIn(2));
        assertEquals(2, p.partitionOf(2));
    }

    @Test
    void capsValuesPerBufferAndKeepsBuffersAMultipleOfPartitions() {
        // 60000 images of 784 values: 75e6 / 784 = 95663.3 > 60000 / 2, so buffers of 30000
        assertEquals(30000, BufferPlan.of(60000, 2, 784, null).bufferSize());
        // 1e6 rows of 1000 values on 1 partition: b = 75000, nbuf = 14, size = ceil(1e6 / 14) = 71429
        BufferPlan big = BufferPlan.of(1_000_000, 1, 1000, null);
        assertEquals(71429, big.bufferSize());
        assertEquals(14, big.buffers());
        BufferPlan requested = BufferPlan.of(10, 2, 2, 3);
        assertEquals(3, requested.bufferSize());
        assertEquals(4, requested.buffers());
        assertEquals(1, requested.rowsIn(3));
        assertEquals(1, requested.partitionOf(3));
    }

    @Test
    void refusesNonPositiveInput() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BufferPlan.of(10, 2, 2, 0));
        assertTrue(e.getMessage().contains("--buffer-size 0 is not positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BufferPlan.of(0, 2, 2, null));
        assertTrue(e.getMessage().contains("buffer plan"), e.getMessage());
    }
}
