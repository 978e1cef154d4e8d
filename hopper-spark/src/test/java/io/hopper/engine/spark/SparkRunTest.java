package io.hopper.engine.spark;

import io.hopper.engine.Phase;
import io.hopper.mop.Unit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkRunTest {
    @Test
    void recordsWorkerAndExecutor() {
        SparkRun r = new SparkRun(new Unit(1, 0, 1), Phase.TRAIN, 1, "3", true);
        assertEquals("3", r.executorId());
        assertEquals(1, r.worker());
    }

    @Test
    void refusesANegativeWorker() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparkRun(new Unit(1, 0, 1), Phase.EVAL, -1, "driver", false));
        assertTrue(e.getMessage().contains("worker=-1"), e.getMessage());
    }
}
