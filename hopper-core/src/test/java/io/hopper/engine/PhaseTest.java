package io.hopper.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PhaseTest {
    @Test
    void labelsAreTheScheduleTablesValues() {
        assertEquals("train", Phase.TRAIN.label());
        assertEquals("eval", Phase.EVAL.label());
    }
}
