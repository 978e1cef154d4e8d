package io.hopper.automl;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AutomlResultTest {

    @Test
    void stageNamesBracketAndRoundOrRung() {
        OptionalInt none = OptionalInt.empty();
        assertEquals("s=2 i=1", new AutomlResult.Trial(1, OptionalInt.of(2), OptionalInt.of(1), none, 3, 0.5).stage());
        assertEquals("rung 2", new AutomlResult.Trial(1, none, none, OptionalInt.of(2), 9, 0.5).stage());
        assertEquals("full", new AutomlResult.Trial(1, none, none, none, 9, 0.5).stage());
    }

    @Test
    void fitCallsCountTheSteps() {
        AutomlResult r = new AutomlResult("o", AutomlSpec.Method.RANDOM, List.of(),
                List.of(new AutomlResult.Step(List.of(1, 2), 0, 3), new AutomlResult.Step(List.of(2), 3, 9)), 2, 12, 1.0);
        assertEquals(2, r.fitCalls());
    }
}
