package io.hopper.fit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionLogTest {
    @Test
    void roundTripsEveryResultToTheBitInOrder() {
        List<SessionLog.Event> events = List.of(
                new SessionLog.Event(3, 1, 2, Optional.empty(), 0.1 + 0.2, OptionalDouble.empty(), 50, Optional.empty()),
                new SessionLog.Event(3, 1, 0, Optional.of("iris_v"), Double.NaN, OptionalDouble.of(1e-300), 49, Optional.empty()),
                new SessionLog.Event(3, 1, 1, Optional.of("iris"), 0.5, OptionalDouble.of(0.25), 49, Optional.empty(),
                        List.of(0.1 + 0.2, Double.NaN), List.of(0.75, 1e-300)),
                new SessionLog.Event(1, 2, 1, Optional.empty(), Double.NEGATIVE_INFINITY, OptionalDouble.empty(), 0, Optional.empty()),
                new SessionLog.Event(2, 4, 0, Optional.empty(), Double.NaN, OptionalDouble.empty(), 0, Optional.of("boom \"x\"")));
        SessionLog.Course course = SessionLog.decode(SessionLog.encode(events, Map.of(3, 1, 12, 4)));
        assertEquals(events, course.events(), "records compare doubles by their bits: NaN and infinities too");
        assertEquals(Map.of(3, 1, 12, 4), course.reads());
        assertEquals(new SessionLog.Course(List.of(), Map.of()), SessionLog.decode(SessionLog.encode(List.of(), Map.of())));
    }

    @Test
    void refusesWhatIsNotACourse() {
        for (String field : List.of("", "{\"rung\":3}", "{\"events\":[[1]],\"reads\":{}}", "not json")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SessionLog.decode(field));
            assertTrue(e.getMessage().startsWith("its session field"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new SessionLog.Event(1, 0, 0, Optional.empty(), 0, OptionalDouble.empty(), 0,
                Optional.empty()));
    }
}
