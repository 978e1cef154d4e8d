package io.hopper.fit;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fit session's progress as its checkpoint takes it, between two unit results: the configurations the driver added
 * (their current states), the course so far ({@link SessionLog}'s JSON), and the states the driver last read that
 * differ from the current ones.
 *
 * @param configs the configurations added so far, in the order of the mst table and then of their addition
 * @param course the session's course as {@link SessionLog#encode} writes it
 * @param readStates by mst key, the state the driver's last read gave, when it trained on since
 */
record SessionProgress(List<ConfigState> configs, String course, Map<Integer, byte[]> readStates) {
    /** Copies. */
    SessionProgress {
        configs = List.copyOf(configs);
        Objects.requireNonNull(course, "course");
        readStates = Map.copyOf(readStates);
    }
}
