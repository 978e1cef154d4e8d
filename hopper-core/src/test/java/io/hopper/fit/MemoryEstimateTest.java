package io.hopper.fit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryEstimateTest {

    @Test
    void cacheBytesFollowMadlibsFormula() {
        // 150 iris rows: 4 float32 features and 3 int16 labels each.
        assertEquals(150L * (4 * 4 + 2 * 3), MemoryEstimate.cacheBytes(150, 4, 3));
    }

    @Test
    void decodedPartitionsCountOnTheHeapAndInTheTotal() {
        MemoryEstimate e = new MemoryEstimate(0, 4000, 100, 3);
        assertEquals(4400, e.totalBytes());
        assertEquals(4100 + 41 * 25, e.heapBytes());
        assertTrue(e.describe().contains("decoded partitions 3.9 KiB"), e.describe());
        assertThrows(IllegalArgumentException.class, () -> e.check(1L << 30, 4100));
    }

    @Test
    void aStateBoundCountsWeightsAndTwoOptimizerSlotsAndNeverOverflows() {
        assertEquals(12L * 1000 + (1 << 16), MemoryEstimate.stateBytesBound(1000));
        assertEquals(Long.MAX_VALUE, MemoryEstimate.stateBytesBound(Long.MAX_VALUE / 2));
        assertTrue(MemoryEstimate.stateBytesBound(1_000_000_000L) > MemoryEstimate.MAX_STATE_BYTES);
    }

    @Test
    void totalCountsAModelPerWorkerAndTheDriver() {
        MemoryEstimate e = new MemoryEstimate(1000, 100, 3);
        assertEquals(400, e.residentModelBytes());
        assertEquals(1400, e.totalBytes());
        assertTrue(e.describe().contains("3 workers and the driver"), e.describe());
    }

    @Test
    void checkRefusesAboveTheLimitOrTheHeapCountingTheHeadroom() {
        MemoryEstimate e = new MemoryEstimate(1000, 100, 3);
        assertEquals(1750, e.neededBytes(), "1400 and 25% headroom");
        assertEquals(1375, e.heapBytes(), "cache and the driver's states, and 25% headroom");
        e.check(1750, 1375);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> e.check(1749, 1 << 20)).getMessage()
                .startsWith("memory: the fit needs about 1.7 KiB"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> e.check(1 << 20, 1374)).getMessage()
                .startsWith("memory: the partition cache, the decoded partitions and the driver's model states need 1.3 KiB"
                        + " with 25% headroom but the Java heap"));
        assertThrows(IllegalArgumentException.class, () -> new MemoryEstimate(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MemoryEstimate(0, 0, 0));
    }

    @Test
    void parsesSizes() {
        assertEquals(8L << 30, MemoryEstimate.parseSize("--memory-limit", "8g"));
        assertEquals(512L << 20, MemoryEstimate.parseSize("--memory-limit", "512M"));
        assertEquals(64L << 10, MemoryEstimate.parseSize("--memory-limit", "64kb"));
        assertEquals(1000, MemoryEstimate.parseSize("--memory-limit", "1000"));
        for (String bad : new String[] {"", "8x", "-1g", "0", "99999999999999999999", "9000000t"}) {
            String msg = assertThrows(IllegalArgumentException.class, () -> MemoryEstimate.parseSize("--memory-limit", bad)).getMessage();
            assertTrue(msg.startsWith("--memory-limit '" + bad + "'"), msg);
        }
    }

    @Test
    void formatsSizes() {
        assertEquals("512 B", MemoryEstimate.format(512));
        assertEquals("1.5 KiB", MemoryEstimate.format(1536));
        assertEquals("8.0 GiB", MemoryEstimate.format(8L << 30));
        assertTrue(MemoryEstimate.physicalMemory() > 0);
    }
}
